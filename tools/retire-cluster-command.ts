/**
 * `npm run retire-cluster -- --stack <env> --name <name>`
 *
 * Removes the cluster from the stack file and records its slot under `retiredSlots`, which the config schema
 * keeps every later cluster off (plan/spec/retired.ts); validates the result, writes it and prints what the change
 * removes. Exit codes as `npm run plan`: 0 retired; 1 retired but a mandatory policy fails; 2 invalid arguments,
 * invalid stack file or refused (nothing written).
 */
import { parseArgs } from "node:util";
import { interconnectOf } from "../plan/interconnect";
import { type Issue, SpecError } from "../plan/issues";
import { type FleetSpec, parseFleetSpec } from "../plan/spec";
import { rawConfigFromStackYaml } from "../stacks/load";
import type { CommandResult } from "./plan-command";
import { stackAndFile } from "./stack-file";
import { applyStackChange, refused, readStackText } from "./stack-change";
import { recordRetiredSlot, removeCluster, StackEditError } from "./stack-edit";

export const RETIRE_USAGE = `usage: npm run retire-cluster -- --stack <env> --name <cluster> [--config <stack file>] [--dry-run]

  Removes the cluster and records its slot as retired: no cluster may use that slot again.

exit codes: 0 retired; 1 retired, a mandatory policy fails; 2 invalid arguments or stack file, or refused (nothing written)`;

/** Why a cluster cannot be retired by this command, if it cannot. */
export function checkRetire(spec: FleetSpec, name: string): Issue[] {
  const index = spec.clusters.findIndex((c) => c.name === name);
  if (index < 0) {
    return [
      {
        path: "--name",
        message: "no cluster of this stack has this name",
        fix: `use one of: ${spec.clusters.map((c) => c.name).join(", ")}`,
        value: name,
      },
    ];
  }
  if (spec.clusters.length === 1) {
    return [
      {
        path: "--name",
        message: "is the stack's only cluster",
        fix: 'an environment needs a cluster: tear the environment down instead (README "Deletion safety and teardown")',
        value: name,
      },
    ];
  }
  const host = interconnectOf(spec.mesh).sharedHost(spec);
  if (host?.cluster === name) {
    return [{ path: "--name", message: `hosts ${host.hosts}`, fix: host.move, value: name }];
  }
  return [];
}

export async function runRetireCluster(argv: readonly string[]): Promise<CommandResult> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        config: { type: "string" },
        name: { type: "string" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return { code: 2, stdout: "", stderr: `${(e as Error).message}\n\n${RETIRE_USAGE}\n` };
  }
  if (values.help) {
    return { code: 0, stdout: `${RETIRE_USAGE}\n`, stderr: "" };
  }
  const name = values.name;
  if (name === undefined || name === "") {
    return { code: 2, stdout: "", stderr: `--name is required\n\n${RETIRE_USAGE}\n` };
  }
  const located = stackAndFile(values.stack, values.config);
  if (typeof located === "string") {
    return { code: 2, stdout: "", stderr: `${located}\n` };
  }
  const { stack, file } = located;
  const before = readStackText(file);
  if (typeof before !== "string") {
    return before;
  }
  let spec: FleetSpec;
  try {
    spec = parseFleetSpec(rawConfigFromStackYaml(before, file), stack);
  } catch (e) {
    if (e instanceof SpecError) {
      return { code: 2, stdout: "", stderr: `retire-cluster: fix the stack file first\n${e.message}\n` };
    }
    throw e;
  }
  const problems = checkRetire(spec, name);
  const cluster = spec.clusters.find((c) => c.name === name);
  if (problems.length > 0 || cluster === undefined) {
    return refused("retire-cluster", problems);
  }
  let after: string;
  try {
    after = recordRetiredSlot(removeCluster(before, name), { slot: cluster.slot, cluster: name });
  } catch (e) {
    if (e instanceof StackEditError) {
      return { code: 2, stdout: "", stderr: `retire-cluster: ${e.message}\n` };
    }
    throw e;
  }
  return applyStackChange({
    what: `retired ${name} (slot ${cluster.slot} is now retired)`,
    file,
    stack,
    before,
    after,
    dryRun: values["dry-run"] === true,
    notes: spec.protect
      ? [
          `protect is on: pulumi up refuses to delete ${name}'s network and cluster until they are unprotected (README "Retire a region")`,
        ]
      : [],
  });
}
