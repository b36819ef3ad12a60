/**
 * The difference between two offline plans of one environment: by resource (added, removed, changed with the paths
 * that changed) and by cluster (added, removed, or, for a cluster in both, whether anything of it changed).
 *
 * Resources are matched by URN. A resource changes when its inputs, provider, protect flag or explicit dependencies
 * differ (its type and parent are part of its URN). Each resource belongs to a cluster by ./attribution.ts: the base
 * run's clusters for removed resources, the head run's for the others.
 *
 * An added or removed resource of a cluster in both plans (or of the shared bucket) "pairs it with" an added or removed cluster when its name
 * ends in `-<that cluster>` or holds `-<that cluster>-` (the remote secret in each cluster holding a new cluster's
 * credentials, `<env>-<cluster>-remote-secrets-<new cluster>`). A cluster in both plans is `unchanged` when nothing of
 * it changed and it gained or lost only such pairings; `allow-list-only` when its only other changes are in-place
 * updates of an east-west gateway's allow list (`spec.loadBalancerSourceRanges`, from
 * `istio.gateway.allowPeersOnly`); `changed` otherwise. Pure.
 */
import { attributeResources, SHARED } from "./attribution";
import type { RecordedResource } from "./mock-runtime";
import type { Violation } from "./plan-document";

/** What a plan of one side needs: its resources and its cluster names. */
export interface DiffSide {
  readonly resources: readonly RecordedResource[];
  readonly clusters: readonly string[];
}

export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** The owning cluster, or "shared" for environment-wide resources (root CA, mesh, fleet). */
  readonly cluster: string;
  readonly change: "added" | "removed" | "changed";
  /** For `changed`: what differs, e.g. `inputs.spec.loadBalancerSourceRanges`, `dependsOn`, `protect`. */
  readonly paths: readonly string[];
  /** For an added or removed resource of a cluster in both plans or of "shared": the added or removed cluster it pairs with. */
  readonly pairsWith: string | null;
}

export type ClusterStatus = "added" | "removed" | "unchanged" | "allow-list-only" | "changed";

export interface ClusterChange {
  /** A cluster name, or "shared". */
  readonly cluster: string;
  readonly status: ClusterStatus;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
}

/** The `npm run plan -- --against <ref> --format json` document. */
export interface DiffDocument {
  readonly project: string;
  readonly stack: string;
  /** What the plan was compared with: the `--against` git ref or stack file. */
  readonly against: string;
  readonly summary: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly unchanged: number;
  };
  readonly resources: readonly ResourceChange[];
  readonly clusters: readonly ClusterChange[];
  /** The head plan's policy violations (as in the plan document). */
  readonly violations: readonly Violation[];
}

/** The gateway allow list that `istio.gateway.allowPeersOnly` keeps in step with the other clusters. */
const ALLOW_LIST_PATH = "inputs.spec.loadBalancerSourceRanges";
const SERVICE_TYPE = "kubernetes:core/v1:Service";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Paths where two JSON values differ: objects by key, equal-length arrays by index, anything else whole. */
export function changedPaths(before: unknown, after: unknown, path: string): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedPaths(before[k], after[k], `${path}.${k}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => changedPaths(b, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path];
}

function resourcePaths(a: RecordedResource, b: RecordedResource): string[] {
  return [
    ...changedPaths(a.inputs, b.inputs, "inputs"),
    ...(a.provider === b.provider ? [] : ["provider"]),
    ...(a.protect === b.protect ? [] : ["protect"]),
    ...(JSON.stringify([...a.dependsOn].sort()) === JSON.stringify([...b.dependsOn].sort()) ? [] : ["dependsOn"]),
  ];
}

/** An in-place update of a gateway's allow list, and nothing else. */
export function isAllowListUpdate(r: ResourceChange): boolean {
  return (
    r.change === "changed" &&
    r.type === SERVICE_TYPE &&
    r.paths.every((p) => p === ALLOW_LIST_PATH || p.startsWith(`${ALLOW_LIST_PATH}[`))
  );
}

/** The added or removed cluster a resource's name pairs it with (see the header). */
function pairedCluster(name: string, comingOrGoing: readonly string[]): string | null {
  return comingOrGoing.find((c) => name.endsWith(`-${c}`) || name.includes(`-${c}-`)) ?? null;
}

function statusOf(
  cluster: string,
  inBase: boolean,
  inHead: boolean,
  changes: readonly ResourceChange[],
): ClusterStatus {
  if (!inBase && inHead) {
    return "added";
  }
  if (inBase && !inHead) {
    return "removed";
  }
  const touched = changes.filter((r) => r.cluster === cluster && r.pairsWith === null);
  if (touched.length === 0) {
    return "unchanged";
  }
  return touched.every(isAllowListUpdate) ? "allow-list-only" : "changed";
}

/** Compares the base plan (what the environment is) with the head plan (what the change makes it). */
export function diffPlans(
  base: DiffSide,
  head: DiffSide,
  meta: { project: string; stack: string; against: string; violations: readonly Violation[] },
): DiffDocument {
  const baseOwner = attributeResources(base.resources, base.clusters, meta.stack);
  const headOwner = attributeResources(head.resources, head.clusters, meta.stack);
  const before = new Map(base.resources.map((r) => [r.urn, r]));
  const after = new Map(head.resources.map((r) => [r.urn, r]));
  const changes: ResourceChange[] = [];
  let unchanged = 0;
  const comingOrGoing = [
    ...head.clusters.filter((c) => !base.clusters.includes(c)),
    ...base.clusters.filter((c) => !head.clusters.includes(c)),
  ].sort((a, b) => b.length - a.length);
  const pairing = (name: string, cluster: string): string | null =>
    cluster === SHARED || (base.clusters.includes(cluster) && head.clusters.includes(cluster))
      ? pairedCluster(name, comingOrGoing)
      : null;
  for (const r of head.resources) {
    const old = before.get(r.urn);
    const cluster = headOwner.get(r.urn) ?? SHARED;
    if (old === undefined) {
      changes.push({
        urn: r.urn,
        type: r.type,
        name: r.name,
        cluster,
        change: "added",
        paths: [],
        pairsWith: pairing(r.name, cluster),
      });
      continue;
    }
    const paths = resourcePaths(old, r);
    if (paths.length === 0) {
      unchanged++;
    } else {
      changes.push({ urn: r.urn, type: r.type, name: r.name, cluster, change: "changed", paths, pairsWith: null });
    }
  }
  for (const r of base.resources) {
    if (!after.has(r.urn)) {
      const cluster = baseOwner.get(r.urn) ?? SHARED;
      changes.push({
        urn: r.urn,
        type: r.type,
        name: r.name,
        cluster,
        change: "removed",
        paths: [],
        pairsWith: pairing(r.name, cluster),
      });
    }
  }
  changes.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.urn.localeCompare(b.urn));
  const names = [...new Set([...base.clusters, ...head.clusters])].sort();
  const count = (cluster: string, change: ResourceChange["change"]): number =>
    changes.filter((r) => r.cluster === cluster && r.change === change).length;
  const clusters: ClusterChange[] = [...names, SHARED].map((cluster) => ({
    cluster,
    status:
      cluster === SHARED
        ? statusOf(cluster, true, true, changes)
        : statusOf(cluster, base.clusters.includes(cluster), head.clusters.includes(cluster), changes),
    added: count(cluster, "added"),
    removed: count(cluster, "removed"),
    changed: count(cluster, "changed"),
  }));
  const total = (change: ResourceChange["change"]): number => changes.filter((r) => r.change === change).length;
  return {
    project: meta.project,
    stack: meta.stack,
    against: meta.against,
    summary: { added: total("added"), removed: total("removed"), changed: total("changed"), unchanged },
    resources: changes,
    clusters,
    violations: meta.violations,
  };
}
