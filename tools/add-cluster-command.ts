/**
 * `npm run add-cluster -- --stack <env> --cloud aws|gcp|existing --region <region> [--name <name>] [--zones ...]`
 *
 * Appends a cluster to the stack file (./new-cluster.ts decides its slot, zones, name and cloud keys;
 * ./stack-edit.ts keeps every comment and line of the file as it was), validates the result, writes it and prints
 * what the change adds. Exit codes as `npm run plan`: 0 added, 1 added but a mandatory policy fails, 2 invalid
 * arguments, invalid stack file or refused (nothing written).
 */
import { parseArgs } from "node:util";
import { SpecError } from "../plan/issues";
import { CLOUDS, type Cloud, parseFleetSpec } from "../plan/spec";
import { rawConfigFromStackYaml } from "../stacks/load";
import type { CommandResult } from "./plan-command";
import { stackAndFile } from "./stack-file";
import { newCluster, type NewClusterRequest } from "./new-cluster";
import { applyStackChange, policyConfigOf, refused, readStackText } from "./stack-change";
import { appendCluster, StackEditError } from "./stack-edit";

export const ADD_USAGE = `usage: npm run add-cluster -- --stack <env> --cloud aws|gcp|existing --region <region> [--name <name>]
                            [--zones <zone,zone,...>] [--project <gcp project>] [--config <stack file>] [--dry-run]
  existing clusters also: --kubeconfig <path> --endpoint <https://api:port> [--context <ctx>]
                          --nodes-cidr <cidr> --pods-cidr <cidr> --services-cidr <cidr>

  Appends the cluster with the next never-used slot, the zones the environment needs (from plan/regions.ts), the
  conventional name <cloud>-<region abbreviation> (aws-use1, gcp-euw4) and the keys its cloud requires.

exit codes: 0 added; 1 added, a mandatory policy fails; 2 invalid arguments or stack file, or refused (nothing written)`;

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(argv: readonly string[]): Values | string {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        config: { type: "string" },
        cloud: { type: "string" },
        region: { type: "string" },
        name: { type: "string" },
        zones: { type: "string", multiple: true },
        project: { type: "string" },
        kubeconfig: { type: "string" },
        context: { type: "string" },
        endpoint: { type: "string" },
        "nodes-cidr": { type: "string" },
        "pods-cidr": { type: "string" },
        "services-cidr": { type: "string" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return (e as Error).message;
  }
}

function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === "string" ? v : undefined;
}

export async function runAddCluster(argv: readonly string[]): Promise<CommandResult> {
  const values = parse(argv);
  if (typeof values === "string") {
    return { code: 2, stdout: "", stderr: `${values}\n\n${ADD_USAGE}\n` };
  }
  if (values["help"]) {
    return { code: 0, stdout: `${ADD_USAGE}\n`, stderr: "" };
  }
  const cloud = str(values, "cloud");
  const region = str(values, "region");
  if (cloud === undefined || !(CLOUDS as readonly string[]).includes(cloud) || region === undefined || region === "") {
    const problem =
      cloud === undefined || !(CLOUDS as readonly string[]).includes(cloud)
        ? `--cloud must be one of ${CLOUDS.join(", ")} (got ${JSON.stringify(cloud ?? null)})`
        : "--region is required";
    return { code: 2, stdout: "", stderr: `${problem}\n\n${ADD_USAGE}\n` };
  }
  const located = stackAndFile(str(values, "stack"), str(values, "config"));
  if (typeof located === "string") {
    return { code: 2, stdout: "", stderr: `${located}\n` };
  }
  const { stack, file } = located;
  const before = readStackText(file);
  if (typeof before !== "string") {
    return before;
  }
  let spec;
  try {
    spec = parseFleetSpec(rawConfigFromStackYaml(before, file), stack);
  } catch (e) {
    if (e instanceof SpecError) {
      return { code: 2, stdout: "", stderr: `add-cluster: fix the stack file first\n${e.message}\n` };
    }
    throw e;
  }
  const zones = (values["zones"] as string[] | undefined)?.flatMap((z) => z.split(",")).map((z) => z.trim());
  const nodes = str(values, "nodes-cidr");
  const pods = str(values, "pods-cidr");
  const services = str(values, "services-cidr");
  const optional = {
    name: str(values, "name"),
    zones: zones?.filter((z) => z !== ""),
    project: str(values, "project"),
    kubeconfig: str(values, "kubeconfig"),
    context: str(values, "context"),
    endpoint: str(values, "endpoint"),
    cidrs:
      (nodes ?? pods ?? services)
        ? {
            ...(nodes ? { nodes } : {}),
            ...(pods ? { pods } : {}),
            ...(services ? { services } : {}),
          }
        : undefined,
  };
  const request = {
    cloud: cloud as Cloud,
    region,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  } as NewClusterRequest;
  const cluster = newCluster(request, spec, policyConfigOf(stack));
  if (Array.isArray(cluster)) {
    return refused("add-cluster", cluster);
  }
  let after: string;
  try {
    after = appendCluster(before, cluster);
  } catch (e) {
    if (e instanceof StackEditError) {
      return { code: 2, stdout: "", stderr: `add-cluster: ${e.message}\n` };
    }
    throw e;
  }
  const zoneList = (cluster["zones"] as string[]).join(", ");
  return applyStackChange({
    what: `added ${String(cluster["name"])} (${cloud} ${region}, zones ${zoneList}, slot ${String(cluster["slot"])})`,
    file,
    stack,
    before,
    after,
    dryRun: values["dry-run"] === true,
  });
}
