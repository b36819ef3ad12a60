/**
 * What every rule shares: the message form, reading a rule's config with its schema defaults, and naming clusters.
 *
 * A message reads `<cluster(s)>: <what is wrong> (<offending value>) — <how to fix it>`, like the config problems
 * the stack loader reports (plan/issues.ts).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { renderValue } from "./shared/render-value";
import type { NodePoolFacts } from "./facts";

/** `<subject>: <problem> (<value>) — <fix>`; `value` is shown as given (use `show` for JSON). */
export function say(subject: string, problem: string, value: string, fix: string): string {
  return `${subject}: ${problem} (${value}) — ${fix}`;
}

/** A value as JSON, shortened (the way config problems show values). */
export function show(value: unknown): string {
  return renderValue(value);
}

/** `cluster a` or `clusters a, b`. */
export function clusters(names: readonly string[]): string {
  return names.length === 1 ? `cluster ${names[0]}` : `clusters ${names.join(", ")}`;
}

/** A config key of the stack file, as users write it. */
export function configKey(path: string): string {
  return `multicluster-mesh:${path}`;
}

/**
 * A rule's config: what CrossGuard (or the offline runner) passes, over the schema's defaults. The defaults are
 * written once, in the schema; this only fills them in when a caller passed none.
 */
export function configOf<T extends object>(schema: PolicyConfigSchema, given: object): T {
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties)) {
    if (typeof property === "object" && property.default !== undefined) {
      defaults[key] = property.default;
    }
  }
  return { ...defaults, ...given } as T;
}

/** Groups items by a key, keeping first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) {
      groups.set(k, [...(groups.get(k) ?? []), item]);
    }
  }
  return groups;
}

/** The nodes of a set of pools: which zones, how many zones at least one node is guaranteed in. */
export function spannedZones(pools: readonly NodePoolFacts[]): {
  /** The zones by name, when every pool names its zones. */
  zones: readonly string[] | undefined;
  /** How many zones the pools may use. */
  zoneCount: number;
  /** How many zones are guaranteed a node: zoneCount, capped by the nodes the pools keep. */
  count: number;
  /** The fewest nodes the pools keep together; undefined when a pool sets no minimum. */
  minNodes: number | undefined;
} {
  const named = new Set(pools.flatMap((p) => p.zones ?? []));
  const unnamed = pools.some((p) => p.zones === undefined);
  const zoneCount = unnamed ? Math.max(named.size, ...pools.map((p) => p.zoneCount ?? 0)) : named.size;
  const minima = pools.map((p) => p.minNodes);
  const minNodes = minima.every((m) => m !== undefined) ? minima.reduce<number>((a, m) => a + (m ?? 0), 0) : undefined;
  return {
    zones: unnamed ? undefined : [...named].sort(),
    zoneCount,
    count: minNodes === undefined ? zoneCount : Math.min(zoneCount, minNodes),
    minNodes,
  };
}
