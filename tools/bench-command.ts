/**
 * `npm run bench -- [--mesh istio|submariner] [--sizes 2,10,25,50,64] [--format text|json]`
 *
 * How the program grows with the fleet. For each size, a synthetic fleet (./synthetic-fleet.ts) is evaluated under
 * the mock runtime, exactly as `npm run plan` evaluates a stack, and compared with a bare-SDK baseline: a flat loop
 * that registers the very resources the fleet registered (the same types, names, inputs and providers, read from the
 * fleet's record) with the SDK alone, under the same mocks. The baseline loads the same modules, so the ratio isolates
 * what the program adds per resource on top of the SDK: planners, components, output wiring, its own rendering.
 *
 * Every measurement runs in a fresh child process (`tools/bench.ts --child fleet <mesh> <n> <record>` writes the
 * record, `--child baseline <record>` replays it): Pulumi's runtime is process-global, and peak memory
 * (`process.resourceUsage().maxRSS`) is only meaningful per process.
 *
 * Per size it prints: resources, the child's wall time (process start to the end of evaluation, module loading
 * included), evaluation wall and CPU time, peak RSS, the baseline's, and the ratios of evaluation CPU time and of
 * peak RSS to the baseline's. The default sizes run up to the largest fleet of the mesh the config accepts.
 * Exit codes: 0 every size evaluated; 1 a size failed to evaluate; 2 invalid arguments.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { SLOT_PREFIX } from "../plan/address-layout";
import { checkFleet } from "../plan";
import { renderIssue, SpecError } from "../plan/issues";
import {
  SYNTHETIC_CLOUDS,
  SYNTHETIC_MESHES,
  type SyntheticCloud,
  type SyntheticMesh,
  syntheticFleetSpec,
} from "./synthetic-fleet";

/**
 * What the README records as the goal: the largest accepted fleet within 2 minutes and 2 GB on 2 cores, at most 1.5×
 * the baseline in evaluation time and in peak memory.
 */
export const GOALS = { wallSeconds: 120, peakRssMiB: 2048, ratio: 1.5 } as const;

/** The most clusters any fleet holds: one per /16 slot of the largest address space (a /8). */
export const MAX_SLOTS = 2 ** (SLOT_PREFIX - 8);

/** The sizes measured by default below the largest accepted one, which is always measured too. */
export const DEFAULT_STEPS: readonly number[] = [2, 10, 25, 50, 128];

/** Why a fleet of the size is refused, at once, or undefined when the config accepts it. */
export function refusal(size: number, mesh: SyntheticMesh, clouds: readonly SyntheticCloud[]): string | undefined {
  try {
    const issues = checkFleet(syntheticFleetSpec(size, "bench", mesh, clouds));
    return issues.length === 0 ? undefined : issues.map(renderIssue).join("\n");
  } catch (e) {
    if (e instanceof SpecError) {
      return e.issues.map(renderIssue).join("\n");
    }
    throw e;
  }
}

/**
 * The largest synthetic fleet of the mesh and clouds that the config accepts (refusals only grow with the fleet: the
 * address space, Istio's cap, the clouds' rule and address limits), up to one cluster per slot.
 */
export function largestAccepted(mesh: SyntheticMesh, clouds: readonly SyntheticCloud[]): number {
  let low = 1;
  let high = MAX_SLOTS;
  if (refusal(high, mesh, clouds) === undefined) {
    return high;
  }
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (refusal(mid, mesh, clouds) === undefined) {
      low = mid;
    } else {
      high = mid;
    }
  }
  return low;
}

/** The default sizes: the steps below the largest accepted fleet, then that fleet. */
export function defaultSizes(largest: number): number[] {
  return [...DEFAULT_STEPS.filter((n) => n < largest), largest];
}

/** A child that runs longer than this is stopped and its size reported as failed. */
const CHILD_TIMEOUT_MS = 15 * 60 * 1000;

/** The line a child prints its measurement on. */
const RESULT_MARKER = "bench-result ";

const PROJECT = "multicluster-mesh";

export const USAGE = `usage: npm run bench -- [--mesh istio|submariner] [--clouds aws,gcp] [--sizes 2,10,25,50,64] [--format text|json]

  --mesh <mesh>       the synthetic fleets' interconnect: istio (default) or submariner
  --clouds <c,c>      the clouds the synthetic clusters alternate between: aws,gcp (default), aws or gcp
  --sizes <n,n,...>   fleet sizes in clusters (default ${DEFAULT_STEPS.join(", ")} below the largest fleet the config
                      accepts, and that one; the next size up is checked for its refusal)
  --format <fmt>      text (default) or json

exit codes: 0 every size evaluated; 1 a size failed to evaluate; 2 invalid arguments`;

export type Mode = "fleet" | "baseline";

/** One child process's measurement. */
export interface Measurement {
  readonly mode: Mode;
  /** Clusters (fleet) or resources replayed (baseline). */
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
  readonly mesh: SyntheticMesh;
  readonly clouds: readonly SyntheticCloud[];
  /** Absent: the default sizes, up to the largest accepted fleet. */
  readonly sizes?: readonly number[];
  readonly format: "text" | "json";
}

/** Parses the flags; a string is the message for an invalid argument ("" for --help). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | string {
  let values: { mesh?: string; clouds?: string; sizes?: string; format?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        mesh: { type: "string" },
        clouds: { type: "string" },
        sizes: { type: "string" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
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
  const mesh = values.mesh ?? "istio";
  if (!isMesh(mesh)) {
    return `--mesh must be ${SYNTHETIC_MESHES.join(" or ")} (got ${JSON.stringify(mesh)})`;
  }
  const clouds = (values.clouds ?? SYNTHETIC_CLOUDS.join(",")).split(",").map((c) => c.trim());
  if (clouds.length === 0 || new Set(clouds).size !== clouds.length || !clouds.every(isCloud)) {
    return `--clouds must list ${SYNTHETIC_CLOUDS.join(" and/or ")}, each once, separated by commas (got ${JSON.stringify(values.clouds)})`;
  }
  if (values.sizes === undefined) {
    return { mesh, clouds, format };
  }
  const raw = values.sizes;
  const parts = raw.split(",").map((s) => s.trim());
  const sizes = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || sizes.some((n) => n < 1)) {
    return `--sizes must list whole numbers of clusters, 1 or more, separated by commas (got ${JSON.stringify(raw)})`;
  }
  return { mesh, clouds, sizes: [...new Set(sizes)], format };
}

function isCloud(value: string): value is SyntheticCloud {
  return (SYNTHETIC_CLOUDS as readonly string[]).includes(value);
}

function isMesh(value: string): value is SyntheticMesh {
  return (SYNTHETIC_MESHES as readonly string[]).includes(value);
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

/** Where the accepted fleets end: the largest accepted size, and how the next one is refused. */
export interface FleetLimit {
  readonly mesh: SyntheticMesh;
  readonly clouds: readonly SyntheticCloud[];
  readonly largest: number;
  /** The next size up, refused (past the last slot, by the address space). */
  readonly next: { readonly clusters: number; readonly refusedInMs: number; readonly reason: string };
}

/** Finds the largest accepted fleet and times the refusal of the next size (in this process: parsing and checks). */
export function fleetLimit(mesh: SyntheticMesh, clouds: readonly SyntheticCloud[]): FleetLimit {
  const largest = largestAccepted(mesh, clouds);
  const start = performance.now();
  const reason = refusal(largest + 1, mesh, clouds) ?? "accepted";
  return { mesh, clouds, largest, next: { clusters: largest + 1, refusedInMs: performance.now() - start, reason } };
}

function renderLimit(limit: FleetLimit): string[] {
  return [
    `${limit.mesh} fleets over ${limit.clouds.join(", ")}: the largest the config accepts has ${limit.largest} clusters;`,
    `${limit.next.clusters} clusters are refused in ${limit.next.refusedInMs.toFixed(0)} ms (checks alone):`,
    ...limit.next.reason
      .split("\n")
      .slice(0, 3)
      .map((l) => `  ${l}`),
  ];
}

export function renderBenchText(rows: readonly BenchRow[], limit?: FleetLimit): string {
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
  return `${[...columns([header, ...body]), "", goals, ...(limit ? ["", ...renderLimit(limit)] : [])].join("\n")}\n`;
}

export function renderBenchJson(rows: readonly BenchRow[], limit?: FleetLimit): string {
  return `${JSON.stringify({ goals: GOALS, ...(limit ? { limit } : {}), results: rows.map((row) => ({ ...row, ratio: ratio(row) ?? null, memoryRatio: memoryRatio(row) ?? null, missedGoals: missedGoals(row) })) }, null, 2)}\n`;
}

/** Runs one measurement in a fresh process: `node --import tsx tools/bench.ts --child <args>`. */
function measure(what: string, childArgs: readonly string[]): Promise<Measurement> {
  const entry = resolve(__dirname, "bench.ts");
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, "--child", ...childArgs], {
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
        fail(new Error(`${what}: ${why}\n${stderr.trim().split("\n").slice(-15).join("\n")}`));
      }
    });
  });
}

/** Measures every size: the fleet, then the baseline replaying the fleet's registrations. */
export async function runBench(
  options: BenchOptions & { readonly sizes: readonly number[] },
  progress: (line: string) => void = () => undefined,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), "multicluster-mesh-bench-"));
  const clouds = options.clouds.join(",");
  try {
    for (const clusters of options.sizes) {
      progress(`evaluating a ${options.mesh} fleet of ${clusters} clusters over ${clouds}...`);
      const record = join(dir, `${options.mesh}-${clusters}.json`);
      let fleet: Measurement | undefined;
      try {
        fleet = await measure(`fleet ${clusters}`, ["fleet", options.mesh, clouds, String(clusters), record]);
        progress(`  ${fleet.resources} resources; the baseline replays them with the SDK alone...`);
        const baseline = await measure(`baseline ${clusters}`, ["baseline", record]);
        rows.push({ clusters, fleet, baseline });
      } catch (e) {
        rows.push({ clusters, ...(fleet ? { fleet } : {}), error: (e as Error).message });
      } finally {
        rmSync(record, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** One registration of the fleet, as the baseline replays it. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The URN of the provider the resource was registered with, if any. */
  readonly provider: string | null;
  /** Its own URN (providers are looked up by it). */
  readonly urn: string;
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** The fleet's registrations to replay: everything but the stack itself, which the runtime registers on both sides. */
export function registrationsOf(resources: readonly Registration[]): Registration[] {
  return resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, provider: r.provider, urn: r.urn }));
}

/** The SDK packages whose classes the baseline registers resources with, by package name. */
export type SdkPackages = Readonly<Record<string, unknown>>;

type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => unknown;

function member(scope: unknown, key: string): unknown {
  return typeof scope === "object" && scope !== null ? (scope as Record<string, unknown>)[key] : undefined;
}

/**
 * The SDK class that registers a type token, as a program would use it: `aws:ec2/vpc:Vpc` → `aws.ec2.Vpc`,
 * `tls:index/privateKey:PrivateKey` → `tls.PrivateKey`, `kubernetes:core/v1:Secret` → `k8s.core.v1.Secret`,
 * `kubernetes:helm.sh/v3:Release` → `k8s.helm.v3.Release`, `pulumi:providers:gcp` → `gcp.Provider`; a Kubernetes kind
 * with no class of its own (a custom resource such as Istio's Gateway) → `k8s.apiextensions.CustomResource`, whose
 * inputs carry apiVersion and kind. Undefined for a token no package explains.
 */
export function sdkClassOf(type: string, packages: SdkPackages): ResourceClass | undefined {
  const [pkg, module, name] = type.split(":");
  if (pkg === undefined || module === undefined || name === undefined) {
    return undefined;
  }
  let found: unknown;
  if (pkg === "pulumi" && module === "providers") {
    found = member(packages[name], "Provider");
  } else if (pkg === "kubernetes") {
    const [group = "", version = ""] = module.split("/");
    const namespace = group.split(".")[0] ?? "";
    found = member(member(member(packages[pkg], namespace), version), name);
    found ??= member(member(packages[pkg], "apiextensions"), "CustomResource");
  } else {
    const path = module.split("/")[0] ?? "";
    found = member(path === "index" ? packages[pkg] : member(packages[pkg], path), name);
  }
  return typeof found === "function" ? (found as ResourceClass) : undefined;
}

/**
 * The baseline program: the same registrations in a flat loop, each with its SDK class and its recorded inputs
 * (providers first, so resources find theirs; components as bare ComponentResources; no parents, no planners, no
 * Output wiring between resources). A token no SDK class explains fails the run rather than fall back to something
 * lighter.
 */
export function replayProgram(
  registrations: readonly Registration[],
  packages: SdkPackages,
): () => Record<string, unknown> {
  const classes = new Map<string, ResourceClass>();
  for (const { type } of registrations) {
    const found = type.startsWith(`${PROJECT}:`) ? undefined : sdkClassOf(type, packages);
    if (found !== undefined) {
      classes.set(type, found);
    } else if (!type.startsWith(`${PROJECT}:`)) {
      throw new Error(`bench baseline: no SDK class registers ${type}`);
    }
  }
  const classOf = (type: string): ResourceClass => classes.get(type) as ResourceClass;
  return () => {
    const providers = new Map<string, pulumi.ProviderResource>();
    for (const r of registrations.filter((x) => x.type.startsWith(PROVIDER_PREFIX))) {
      providers.set(
        r.urn,
        new (classOf(r.type))(
          r.name,
          providerArgs(r.type.slice(PROVIDER_PREFIX.length), r.inputs),
        ) as pulumi.ProviderResource,
      );
    }
    for (const r of registrations) {
      if (r.type.startsWith(PROVIDER_PREFIX)) {
        continue;
      }
      if (r.type.startsWith(`${PROJECT}:`)) {
        new ReplayedComponent(r.type, r.name);
        continue;
      }
      const provider = r.provider === null ? undefined : providers.get(r.provider);
      new (classOf(r.type))(r.name, r.inputs, provider === undefined ? {} : { provider });
    }
    return {};
  };
}

/** Provider inputs that the schema types as strings although they may hold JSON text (a kubeconfig can be JSON). */
const STRING_PROVIDER_INPUTS: Readonly<Record<string, readonly string[]>> = { kubernetes: ["kubeconfig"] };

/**
 * A provider's recorded inputs are as its SDK class sent them: every value the schema does not type as a string
 * serialised to JSON (`skipRegionValidation: "true"`, `defaultTags: "{...}"`); its constructor takes the values.
 */
export function providerArgs(pkg: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const strings = STRING_PROVIDER_INPUTS[pkg] ?? [];
  const decode = (key: string, v: unknown): unknown => {
    if (typeof v !== "string" || strings.includes(key)) {
      return v;
    }
    try {
      const parsed: unknown = JSON.parse(v);
      return typeof parsed === "string" ? v : parsed;
    } catch {
      return v;
    }
  };
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, decode(k, v)]));
}

class ReplayedComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string) {
    super(type, name);
  }
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
    return isMesh(mesh) && clouds.every(isCloud) && /^\d+$/.test(clusters) && record !== ""
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

/** The bench command; resolves to the exit code. */
export async function runBenchCommand(argv: readonly string[]): Promise<number> {
  if (argv[0] === "--child") {
    const task = parseChildArgs(argv.slice(1));
    if (task === undefined) {
      process.stderr.write(
        `usage: tools/bench.ts --child fleet ${SYNTHETIC_MESHES.join("|")} <clouds> <clusters> <record> | --child baseline <record>\n`,
      );
      return 2;
    }
    await runChild(task);
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
  const limit = fleetLimit(options.mesh, options.clouds);
  const sizes = options.sizes ?? defaultSizes(limit.largest);
  const rows = await runBench({ ...options, sizes }, (line) => process.stderr.write(`${line}\n`));
  for (const row of rows.filter((r) => r.error !== undefined)) {
    process.stderr.write(`\n${row.clusters} clusters failed:\n${row.error}\n`);
  }
  process.stdout.write(options.format === "json" ? renderBenchJson(rows, limit) : renderBenchText(rows, limit));
  return rows.some((r) => r.error !== undefined) ? 1 : 0;
}
