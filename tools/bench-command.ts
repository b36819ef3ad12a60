/**
 * `npm run bench -- [--sizes 2,10,25,50,64] [--format text|json]`
 *
 * How the program grows with the fleet. For each size, a synthetic Istio fleet (./synthetic-fleet.ts) is evaluated
 * under the mock runtime, exactly as `npm run plan` evaluates a stack, and compared with a baseline that registers
 * the same number of bare resources (one Kubernetes provider and ConfigMaps, in a flat loop) under the same mocks.
 * The baseline loads the same modules, so the ratio isolates what the program itself adds per resource: planners,
 * components, output wiring.
 *
 * Every measurement runs in a fresh child process (`tools/bench.ts --child fleet|baseline <n>`): Pulumi's runtime
 * is process-global, and peak memory (`process.resourceUsage().maxRSS`) is only meaningful per process.
 *
 * Per size it prints: resources, the child's wall time (process start to the end of evaluation, module loading
 * included), evaluation wall and CPU time, peak RSS, the baseline's, and the ratios of evaluation CPU time and of
 * peak RSS to the baseline's. The default sizes run up to the largest Istio mesh the config accepts.
 * Exit codes: 0 every size evaluated; 1 a size failed to evaluate; 2 invalid arguments.
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { MAX_ISTIO_CLUSTERS } from "../plan/interconnect/istio/topology";

/**
 * What the README records as the goal: the largest accepted fleet within 2 minutes and 2 GB on 2 cores, at most 1.5×
 * the baseline in evaluation time and in peak memory.
 */
export const GOALS = { wallSeconds: 120, peakRssMiB: 2048, ratio: 1.5 } as const;

export const DEFAULT_SIZES = [2, 10, 25, 50, MAX_ISTIO_CLUSTERS] as const;

/** A child that runs longer than this is stopped and its size reported as failed. */
const CHILD_TIMEOUT_MS = 15 * 60 * 1000;

/** The line a child prints its measurement on. */
const RESULT_MARKER = "bench-result ";

const PROJECT = "multicluster-mesh";

export const USAGE = `usage: npm run bench -- [--sizes 2,10,25,50,64] [--format text|json]

  --sizes <n,n,...>   fleet sizes in clusters (default ${DEFAULT_SIZES.join(",")})
  --format <fmt>      text (default) or json

exit codes: 0 every size evaluated; 1 a size failed to evaluate; 2 invalid arguments`;

export type Mode = "fleet" | "baseline";

/** One child process's measurement. */
export interface Measurement {
  readonly mode: Mode;
  /** Clusters (fleet) or resources asked for (baseline). */
  readonly size: number;
  /** Resources recorded by the mock runtime, the stack included. */
  readonly resources: number;
  /** From process start to the end of evaluation: module loading, planning, registration. */
  readonly wallMs: number;
  /** `runUnderMocks` alone. */
  readonly evalMs: number;
  /**
   * CPU time (user + system) of `runUnderMocks`. The time ratio compares it when both sides report it: on a shared
   * machine, wall time also measures the other processes.
   */
  readonly evalCpuMs?: number;
  /** Peak resident set size of the child, KiB. */
  readonly maxRssKiB: number;
}

export interface BenchRow {
  readonly clusters: number;
  readonly fleet?: Measurement;
  readonly baseline?: Measurement;
  /** Why the size failed, when it did. */
  readonly error?: string;
}

export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly format: "text" | "json";
}

/** Parses the flags; a string is the message for an invalid argument ("" for --help). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | string {
  let values: { sizes?: string; format?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { sizes: { type: "string" }, format: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return (e as Error).message;
  }
  if (values.help) {
    return "";
  }
  const format = values.format ?? "text";
  if (format !== "text" && format !== "json") {
    return `--format must be text or json (got ${JSON.stringify(format)})`;
  }
  const raw = values.sizes ?? DEFAULT_SIZES.join(",");
  const parts = raw.split(",").map((s) => s.trim());
  const sizes = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || sizes.some((n) => n < 1)) {
    return `--sizes must list whole numbers of clusters, 1 or more, separated by commas (got ${JSON.stringify(raw)})`;
  }
  return { sizes: [...new Set(sizes)], format };
}

/** The measurement a child printed, if it printed one. */
export function parseChildOutput(stdout: string): Measurement | undefined {
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_MARKER.length)) as Measurement);
}

const mib = (kib: number): number => kib / 1024;

/** Evaluation time of the fleet over the baseline's: CPU time when both report it, else wall time. */
export function ratio(row: BenchRow): number | undefined {
  const { fleet, baseline } = row;
  if (!fleet || !baseline) {
    return undefined;
  }
  if (fleet.evalCpuMs !== undefined && baseline.evalCpuMs !== undefined && baseline.evalCpuMs > 0) {
    return fleet.evalCpuMs / baseline.evalCpuMs;
  }
  return baseline.evalMs > 0 ? fleet.evalMs / baseline.evalMs : undefined;
}

/** Peak RSS of the fleet over the baseline's. */
export function memoryRatio(row: BenchRow): number | undefined {
  return row.fleet && row.baseline && row.baseline.maxRssKiB > 0
    ? row.fleet.maxRssKiB / row.baseline.maxRssKiB
    : undefined;
}

/** The goals a row misses, by name. */
export function missedGoals(row: BenchRow): string[] {
  const missed: string[] = [];
  if (row.fleet && row.fleet.wallMs / 1000 > GOALS.wallSeconds) {
    missed.push(`wall > ${GOALS.wallSeconds} s`);
  }
  if (row.fleet && mib(row.fleet.maxRssKiB) > GOALS.peakRssMiB) {
    missed.push(`RSS > ${GOALS.peakRssMiB} MiB`);
  }
  const r = ratio(row);
  if (r !== undefined && r > GOALS.ratio) {
    missed.push(`time ratio > ${GOALS.ratio}`);
  }
  const m = memoryRatio(row);
  if (m !== undefined && m > GOALS.ratio) {
    missed.push(`RSS ratio > ${GOALS.ratio}`);
  }
  return missed;
}

/** Right-aligned columns, two spaces apart. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}

export function renderBenchText(rows: readonly BenchRow[]): string {
  const header = [
    "clusters",
    "resources",
    "wall s",
    "eval s",
    "eval CPU s",
    "peak RSS MiB",
    "base eval s",
    "base CPU s",
    "base RSS MiB",
    "ratio",
    "RSS ratio",
    "goals",
  ];
  const body = rows.map((row) => {
    const f = row.fleet;
    const b = row.baseline;
    const r = ratio(row);
    const m = memoryRatio(row);
    if (row.error !== undefined) {
      return [
        String(row.clusters),
        f ? String(f.resources) : "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        `FAILED: ${row.error.split("\n")[0] ?? ""}`,
      ];
    }
    const missed = missedGoals(row);
    return [
      String(row.clusters),
      f ? String(f.resources) : "-",
      f ? (f.wallMs / 1000).toFixed(1) : "-",
      f ? (f.evalMs / 1000).toFixed(2) : "-",
      f?.evalCpuMs !== undefined ? (f.evalCpuMs / 1000).toFixed(2) : "-",
      f ? mib(f.maxRssKiB).toFixed(0) : "-",
      b ? (b.evalMs / 1000).toFixed(2) : "-",
      b?.evalCpuMs !== undefined ? (b.evalCpuMs / 1000).toFixed(2) : "-",
      b ? mib(b.maxRssKiB).toFixed(0) : "-",
      r !== undefined ? r.toFixed(2) : "-",
      m !== undefined ? m.toFixed(2) : "-",
      missed.length === 0 ? "met" : `missed: ${missed.join(", ")}`,
    ];
  });
  const goals = `goals: wall <= ${GOALS.wallSeconds} s, peak RSS <= ${GOALS.peakRssMiB} MiB, ratio (eval CPU time / baseline eval CPU time) and RSS ratio (peak RSS / baseline peak RSS) <= ${GOALS.ratio}`;
  return `${[...columns([header, ...body]), "", goals].join("\n")}\n`;
}

export function renderBenchJson(rows: readonly BenchRow[]): string {
  return `${JSON.stringify({ goals: GOALS, results: rows.map((row) => ({ ...row, ratio: ratio(row) ?? null, memoryRatio: memoryRatio(row) ?? null, missedGoals: missedGoals(row) })) }, null, 2)}\n`;
}

/** Runs one measurement in a fresh process: `node --import tsx tools/bench.ts --child <mode> <size>`. */
function measure(mode: Mode, size: number): Promise<Measurement> {
  const entry = resolve(__dirname, "bench.ts");
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, "--child", mode, String(size)], {
      cwd: resolve(__dirname, ".."),
      stdio: ["ignore", "pipe", "pipe"],
      timeout: CHILD_TIMEOUT_MS,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code, signal) => {
      const result = code === 0 ? parseChildOutput(stdout) : undefined;
      if (result) {
        done(result);
      } else {
        const why = signal ? `stopped by ${signal}` : `exit code ${code}`;
        fail(new Error(`${mode} ${size}: ${why}\n${stderr.trim().split("\n").slice(-15).join("\n")}`));
      }
    });
  });
}

/** Measures every size: the fleet, then a baseline of as many resources. */
export async function runBench(
  options: BenchOptions,
  progress: (line: string) => void = () => undefined,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const clusters of options.sizes) {
    progress(`evaluating a fleet of ${clusters} clusters...`);
    let fleet: Measurement | undefined;
    try {
      fleet = await measure("fleet", clusters);
      progress(`  ${fleet.resources} resources; baseline of as many bare resources...`);
      const baseline = await measure("baseline", fleet.resources);
      rows.push({ clusters, fleet, baseline });
    } catch (e) {
      rows.push({ clusters, ...(fleet ? { fleet } : {}), error: (e as Error).message });
    }
  }
  return rows;
}

/** The child side: evaluates one fleet or one baseline and prints its measurement. */
export async function runChild(mode: Mode, size: number): Promise<void> {
  // Both modes load the same modules before the clock for evaluation starts.
  const { fleetProgram } = await import("../program");
  const { runUnderMocks } = await import("./mock-runtime");
  const k8s = await import("@pulumi/kubernetes");
  const { syntheticFleetSpec } = await import("./synthetic-fleet");
  let program: () => Record<string, unknown>;
  if (mode === "fleet") {
    const spec = syntheticFleetSpec(size);
    program = () => fleetProgram(spec);
  } else {
    // The stack and the provider count as resources, like in the fleet's record.
    program = () => {
      const provider = new k8s.Provider("baseline-k8s", { kubeconfig: "{}" });
      for (let i = 0; i < size - 2; i++) {
        new k8s.core.v1.ConfigMap(
          `baseline-${i}`,
          { metadata: { name: `baseline-${i}` }, data: { index: String(i) } },
          { provider },
        );
      }
      return {};
    };
  }
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const run = await runUnderMocks(program, { project: PROJECT, stack: "bench" });
  const cpu = process.cpuUsage(cpuStart);
  const end = performance.now();
  const measurement: Measurement = {
    mode,
    size,
    resources: run.resources.length,
    wallMs: end,
    evalMs: end - start,
    evalCpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKiB: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(measurement)}\n`);
}

/** The bench command; resolves to the exit code. */
export async function runBenchCommand(argv: readonly string[]): Promise<number> {
  if (argv[0] === "--child") {
    const [, mode, size] = argv;
    if ((mode !== "fleet" && mode !== "baseline") || !/^\d+$/.test(size ?? "")) {
      process.stderr.write(`usage: tools/bench.ts --child fleet|baseline <size>\n`);
      return 2;
    }
    await runChild(mode, Number(size));
    return 0;
  }
  const options = parseBenchArgs(argv);
  if (typeof options === "string") {
    if (options === "") {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`${options}\n\n${USAGE}\n`);
    return 2;
  }
  const rows = await runBench(options, (line) => process.stderr.write(`${line}\n`));
  for (const row of rows.filter((r) => r.error !== undefined)) {
    process.stderr.write(`\n${row.clusters} clusters failed:\n${row.error}\n`);
  }
  process.stdout.write(options.format === "json" ? renderBenchJson(rows) : renderBenchText(rows));
  return rows.some((r) => r.error !== undefined) ? 1 : 0;
}
