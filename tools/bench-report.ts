/**
 * The benchmark's measurements and report: what a child measured, the ratios to the bare-SDK baseline, the goals a
 * size misses, and the text and JSON renderings.
 */
import type { FleetLimit } from "./bench-limits";

/**
 * What the README records as the goal: the largest accepted fleet within 2 minutes and 2 GB on 2 cores, at most 1.5×
 * the baseline in evaluation time and in peak memory.
 */
export const GOALS = { wallSeconds: 120, peakRssMiB: 2048, ratio: 1.5 } as const;

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
