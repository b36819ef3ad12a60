/**
 * `npm run bench -- [--mesh istio|submariner] [--clouds aws,gcp] [--sizes 2,10,25,50,64] [--format text|json]`
 *
 * How the program grows with the fleet. For each size, a synthetic fleet (./synthetic-fleet.ts) is evaluated under
 * the mock runtime, exactly as `npm run plan` evaluates a stack, and compared with a bare-SDK baseline: a flat loop
 * that registers the very resources the fleet registered (the same types, names, inputs and providers, read from the
 * fleet's record) with the SDK alone, under the same mocks. The baseline loads the same modules, so the ratio isolates
 * what the program adds per resource on top of the SDK: planners, components, output wiring, its own rendering.
 *
 * Every measurement runs in a fresh child process (./bench-child.ts; `--child fleet <mesh> <clouds> <n> <record>`
 * writes the record, `--child baseline <record>` replays it, ./bench-replay.ts): Pulumi's runtime is process-global,
 * and peak memory (`process.resourceUsage().maxRSS`) is only meaningful per process. The sizes, the largest accepted
 * fleet and the refusal of the next come from ./bench-limits.ts; the report from ./bench-report.ts.
 *
 * Per size it prints: resources, the child's wall time (process start to the end of evaluation, module loading
 * included), evaluation wall and CPU time, peak RSS, the baseline's, and the ratios of evaluation CPU time and of
 * peak RSS to the baseline's. The default sizes run up to the largest fleet of the mesh the config accepts.
 * Exit codes: 0 every size evaluated; 1 a size failed to evaluate; 2 invalid arguments.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseChildArgs, parseChildOutput, runChild } from "./bench-child";
import { DEFAULT_STEPS, defaultSizes, fleetLimit } from "./bench-limits";
import { type BenchRow, type Measurement, renderBenchJson, renderBenchText } from "./bench-report";
import {
  isSyntheticCloud,
  isSyntheticMesh,
  SYNTHETIC_CLOUDS,
  SYNTHETIC_MESHES,
  type SyntheticCloud,
  type SyntheticMesh,
} from "./synthetic-fleet";

export * from "./bench-child";
export * from "./bench-limits";
export * from "./bench-replay";
export * from "./bench-report";

/** A child that runs longer than this is stopped and its size reported as failed. */
const CHILD_TIMEOUT_MS = 15 * 60 * 1000;

export const USAGE = `usage: npm run bench -- [--mesh istio|submariner] [--clouds aws,gcp] [--sizes 2,10,25,50,64] [--format text|json]

  --mesh <mesh>       the synthetic fleets' interconnect: istio (default) or submariner
  --clouds <c,c>      the clouds the synthetic clusters alternate between: aws,gcp (default), aws or gcp
  --sizes <n,n,...>   fleet sizes in clusters (default ${DEFAULT_STEPS.join(", ")} below the largest fleet the config
                      accepts, and that one; the next size up is checked for its refusal)
  --format <fmt>      text (default) or json

exit codes: 0 every size evaluated; 1 a size failed to evaluate; 2 invalid arguments`;

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
  if (!isSyntheticMesh(mesh)) {
    return `--mesh must be ${SYNTHETIC_MESHES.join(" or ")} (got ${JSON.stringify(mesh)})`;
  }
  const clouds = (values.clouds ?? SYNTHETIC_CLOUDS.join(",")).split(",").map((c) => c.trim());
  if (clouds.length === 0 || new Set(clouds).size !== clouds.length || !clouds.every(isSyntheticCloud)) {
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
