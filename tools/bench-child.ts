/**
 * The benchmark's child process (`tools/bench.ts --child …`): evaluates one synthetic fleet under the mock runtime and
 * records its registrations, or replays a record as the bare-SDK baseline, and prints its measurement on one line.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Measurement } from "./bench-report";
import { PROJECT, type Registration, registrationsOf, replayProgram, type SdkPackages } from "./bench-replay";
import { isSyntheticCloud, isSyntheticMesh, type SyntheticCloud, type SyntheticMesh } from "./synthetic-fleet";

/** The line a child prints its measurement on. */
const RESULT_MARKER = "bench-result ";

/** The measurement a child printed, if it printed one. */
export function parseChildOutput(stdout: string): Measurement | undefined {
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_MARKER.length)) as Measurement);
}

/** What a child is asked to measure. */
export type ChildTask =
  | {
      readonly mode: "fleet";
      readonly mesh: SyntheticMesh;
      readonly clouds: readonly SyntheticCloud[];
      readonly clusters: number;
      readonly record: string;
    }
  | { readonly mode: "baseline"; readonly record: string };

/** The child's arguments (after `--child`), or undefined when they are not a task. */
export function parseChildArgs(args: readonly string[]): ChildTask | undefined {
  const [mode, ...rest] = args;
  if (mode === "fleet" && rest.length === 4) {
    const [mesh, cloudList, clusters, record] = rest as [string, string, string, string];
    const clouds = cloudList.split(",");
    return isSyntheticMesh(mesh) && clouds.every(isSyntheticCloud) && /^\d+$/.test(clusters) && record !== ""
      ? { mode, mesh, clouds: clouds as SyntheticCloud[], clusters: Number(clusters), record }
      : undefined;
  }
  if (mode === "baseline" && rest.length === 1 && rest[0] !== "") {
    return { mode, record: rest[0] as string };
  }
  return undefined;
}

/** The child side: evaluates one fleet (and records its registrations) or replays one, and prints the measurement. */
export async function runChild(task: ChildTask): Promise<void> {
  // Both modes load the same modules before the clock for evaluation starts.
  const { fleetProgram } = await import("../program");
  const { syntheticFleetSpec } = await import("./synthetic-fleet");
  const { runUnderMocks } = await import("./mock-runtime");
  let program: () => Record<string, unknown>;
  let size: number;
  if (task.mode === "fleet") {
    const spec = syntheticFleetSpec(task.clusters, "bench", task.mesh, task.clouds);
    program = () => fleetProgram(spec);
    size = task.clusters;
  } else {
    // Read before the clock starts; the SDK holds every resource's inputs either way.
    const registrations = JSON.parse(readFileSync(task.record, "utf8")) as Registration[];
    const packages: SdkPackages = {
      aws: await import("@pulumi/aws"),
      gcp: await import("@pulumi/gcp"),
      kubernetes: await import("@pulumi/kubernetes"),
      random: await import("@pulumi/random"),
      tls: await import("@pulumi/tls"),
    };
    program = replayProgram(registrations, packages);
    size = registrations.length;
  }
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  // The fleet's record keeps secret inputs' values, so the baseline replays what the fleet registered.
  const run = await runUnderMocks(program, { project: PROJECT, stack: "bench", revealSecrets: task.mode === "fleet" });
  const cpu = process.cpuUsage(cpuStart);
  const end = performance.now();
  if (task.mode === "fleet") {
    writeFileSync(task.record, JSON.stringify(registrationsOf(run.resources)));
  }
  const measurement: Measurement = {
    mode: task.mode,
    size,
    resources: run.resources.length,
    wallMs: end,
    evalMs: end - start,
    evalCpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(measurement)}\n`);
}
