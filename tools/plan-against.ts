/**
 * `npm run plan -- --against <git ref | stack file>`: plans what the stack file was (at a git ref, or in another
 * file) and reports what the current stack file changes (./plan-diff.ts).
 *
 * A value naming an existing file is a stack file; anything else is a git ref, read with
 * `git show <ref>:./<stack file name>` in the stack file's folder (no shell), so any repository holding it works.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { promisify } from "node:util";
import { CONFIG_NAMESPACE, SpecError } from "../plan/issues";
import { type FleetSpec, parseFleetSpec } from "../plan/spec";
import { planFleet } from "../plan";
import { fleetProgram } from "../program";
import { encryptedConfigFromStackYaml, rawConfigFromStackYaml } from "../stacks/load";
import { type MockRun, runUnderMocks } from "./mock-runtime";
import { type DiffDocument, diffPlans } from "./plan-diff";
import type { Violation } from "./plan-document";
import { standInsFor } from "./stand-ins";

const run = promisify(execFile);

/** A git ref as git accepts it on the command line (never an option). */
const GIT_REF = /^[A-Za-z0-9][A-Za-z0-9_./@{}~^-]*$/;

/** The base stack file's text: from a file, or from git at a ref. Throws an Error with a message for the user. */
export async function readAgainst(against: string, stackFile: string): Promise<string> {
  if (existsSync(against)) {
    return readFileSync(against, "utf8");
  }
  if (!GIT_REF.test(against)) {
    throw new Error(`--against: neither a stack file nor a git ref (${JSON.stringify(against)})`);
  }
  const path = basename(stackFile);
  try {
    const { stdout } = await run("git", ["show", `${against}:./${path}`], {
      cwd: dirname(resolve(stackFile)),
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (e) {
    const detail = ((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split("\n")[0];
    throw new Error(`--against: cannot read ${path} at ${against}: ${detail}`);
  }
}

/** Plans a stack file's text under mocks; a SpecError names the side it came from. */
export async function planText(text: string, label: string, stack: string): Promise<{ spec: FleetSpec; run: MockRun }> {
  let spec: FleetSpec;
  try {
    const standIns = await standInsFor(encryptedConfigFromStackYaml(text, label));
    spec = parseFleetSpec(rawConfigFromStackYaml(text, label, standIns.values), stack);
    planFleet(spec);
  } catch (e) {
    if (e instanceof SpecError) {
      throw new SpecError(e.issues.map((i) => ({ ...i, message: `${i.message} [in ${label}]` })));
    }
    throw e;
  }
  const mockRun = await runUnderMocks(() => fleetProgram(spec), { project: CONFIG_NAMESPACE, stack });
  return { spec, run: mockRun };
}

/** Diffs a planned head (the current stack file) against the base's text. */
export async function diffAgainst(
  head: { spec: FleetSpec; run: MockRun; violations: readonly Violation[] },
  baseText: string,
  against: string,
): Promise<DiffDocument> {
  const stack = head.spec.environment;
  const base = await planText(baseText, against, stack);
  return diffPlans(
    { resources: base.run.resources, clusters: base.spec.clusters.map((c) => c.name) },
    { resources: head.run.resources, clusters: head.spec.clusters.map((c) => c.name) },
    { project: head.run.project, stack, against, violations: head.violations },
  );
}
