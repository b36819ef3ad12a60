/**
 * Overlap checks of the address plan (./addresses.ts): a cluster's own ranges must be disjoint, and no range of one
 * cluster may overlap a range of another. Each problem is reported once: within a cluster on the range the user chose
 * most freely, between clusters on the newer cluster (the higher slot).
 */
import * as cidr from "./cidr";
import { interconnectOf } from "./interconnect";
import type { Issue } from "./issues";
import type { ClusterSpec, FleetSpec } from "./spec";

export type Role = "nodes" | "pods" | "services" | "controlPlane";
export const ROLES: readonly Role[] = ["nodes", "pods", "services", "controlPlane"];

/** Who chose a range: the planner (from the slot), the user (an override), or the cluster itself (existing). */
export type Origin = "planned" | "override" | "declared";

/** One range a cluster holds, for the overlap checks. */
export interface Held {
  readonly role: Role;
  readonly cidr: string;
  readonly origin: Origin;
}

/** Where a problem with a range is fixed: its override, or the slot it was planned from. */
export function pathOf(at: string, held: Held): string {
  return held.origin === "planned" ? `${at}.slot` : `${at}.cidrs.${held.role}`;
}

/** Which range of one cluster to report: the one the user chose most freely (override, then slot, then a fact). */
const BLAME_RANK: Record<Origin, number> = { override: 2, planned: 1, declared: 0 };

/** A cluster's own ranges are disjoint; an existing cluster may use one range for nodes and pods (e.g. VPC CNI). */
export function checkWithinCluster(at: string, slot: number, held: readonly Held[]): Issue[] {
  const issues: Issue[] = [];
  held.forEach((a, i) => {
    for (const b of held.slice(i + 1)) {
      const shared = a.origin === "declared" && b.origin === "declared" && a.cidr === b.cidr;
      if (shared && a.role === "nodes" && b.role === "pods") {
        continue;
      }
      if (!cidr.overlaps(a.cidr, b.cidr)) {
        continue;
      }
      const [x, y] = BLAME_RANK[a.origin] > BLAME_RANK[b.origin] ? [a, b] : [b, a];
      const path = pathOf(at, x);
      issues.push({
        path,
        message: `the ${x.role} range ${x.cidr} overlaps the same cluster's ${y.role} range ${y.cidr}`,
        fix:
          x.origin === "override"
            ? `give each range of the cluster its own block, or remove ${path} to use the range planned from slot ${slot}`
            : "give each range of the cluster its own block",
        value: x.cidr,
      });
    }
  });
  return issues;
}

/**
 * Existing clusters that share one node network (kind clusters on one Docker network, clusters on one on-premises
 * LAN) declare the identical node range; that is a fact about them, not a collision. Partial overlaps still are.
 */
function sharedNodeNetwork(a: Held, b: Held): boolean {
  return (
    a.origin === "declared" && b.origin === "declared" && a.role === "nodes" && b.role === "nodes" && a.cidr === b.cidr
  );
}

/**
 * No range of one cluster may overlap a range of another (Globalnet lets pod and service ranges overlap; existing
 * clusters may declare one shared node network).
 *
 * Each overlap is reported on the newer cluster, the one with the higher slot (a new cluster takes a slot no cluster
 * held before, so the lower slot is the one already running): the message tells the user to change the cluster being
 * added, never to move or re-address a live one.
 */
export function checkBetweenClusters(
  spec: FleetSpec,
  held: readonly (readonly Held[])[],
  freeSlot: number | undefined,
): Issue[] {
  const issues: Issue[] = [];
  const globalnet = interconnectOf(spec.mesh).virtualRangesMayOverlap(spec);
  const virtual = (h: Held): boolean => h.role === "pods" || h.role === "services";
  const slotOf = (index: number): number => (spec.clusters[index] as ClusterSpec).slot;
  held.forEach((hi, i) => {
    held.slice(i + 1).forEach((hj, dj) => {
      const j = i + 1 + dj;
      for (const a of hi) {
        for (const b of hj) {
          if (!cidr.overlaps(a.cidr, b.cidr) || (globalnet && virtual(a) && virtual(b)) || sharedNodeNetwork(a, b)) {
            continue;
          }
          const blameI = slotOf(i) > slotOf(j);
          const [x, xi, y, yi] = blameI ? [a, i, b, j] : [b, j, a, i];
          issues.push(overlapIssue(spec, freeSlot, { held: x, index: xi }, { held: y, index: yi }));
        }
      }
    });
  });
  return issues;
}

function overlapIssue(
  spec: FleetSpec,
  freeSlot: number | undefined,
  mine: { held: Held; index: number },
  theirs: { held: Held; index: number },
): Issue {
  const at = `clusters[${mine.index}]`;
  const me = spec.clusters[mine.index] as ClusterSpec;
  const other = spec.clusters[theirs.index] as ClusterSpec;
  const x = mine.held;
  const y = theirs.held;
  const path = pathOf(at, x);
  let fix: string;
  if (x.origin === "override") {
    fix = `choose a ${x.role} range that overlaps no other cluster, or remove ${path} to use the range planned from slot ${me.slot}`;
  } else if (x.origin === "planned") {
    fix =
      freeSlot === undefined
        ? `move cluster ${me.name} to a slot whose block holds no other cluster's range`
        : `move cluster ${me.name} to a free slot, e.g. ${freeSlot} (its ranges are carved from its slot)`;
  } else {
    const overlapHint = interconnectOf(spec.mesh).virtualOverlapHint;
    const hint = overlapHint !== undefined && x.role !== "nodes" && y.role !== "nodes" ? `; ${overlapHint}` : "";
    const shared =
      x.role === "nodes" && y.role === "nodes"
        ? "; clusters on one shared node network (e.g. kind on one Docker network) declare the identical range"
        : "";
    fix = `correct ${path} if the cluster does not use it; existing clusters with overlapping ranges cannot share one flat network${shared}${hint}`;
  }
  return {
    path,
    message:
      `the ${x.role} range ${x.cidr} of cluster ${me.name} overlaps the ${y.role} range ${y.cidr} ` +
      `of cluster ${other.name} (clusters[${theirs.index}]); ${me.name} has the higher slot (${me.slot} > ${other.slot}), ` +
      `so it is the newer cluster to change and ${other.name} stays as it is`,
    fix,
    value: x.cidr,
  };
}
