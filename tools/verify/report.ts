/**
 * What `npm run verify` finds, as plain data: every check's result, the cluster × cluster link matrix built from
 * them, and the JSON document (README "Fleet health") the renderers and automation read.
 */

/** A check about one cluster (`peer` null) or about one cluster's view of a peer. */
export type CheckName =
  // every mesh
  | "access"
  // Istio, per cluster
  | "istiod"
  | "cacerts"
  | "eastwest-gateway"
  // Istio, per pair (what `cluster` holds or sees about `peer`)
  | "remote-secret"
  | "remote-sync"
  | "gateway-address"
  // Submariner, per cluster
  | "broker"
  | "registered"
  | "cidrs"
  | "gateway"
  // Submariner, per pair
  | "tunnel";

export interface CheckResult {
  readonly cluster: string;
  readonly peer: string | null;
  readonly check: CheckName;
  readonly ok: boolean;
  /** What was found: the evidence when it passes, the reason and what to do when it fails. */
  readonly reason: string;
}

export type LinkStatus = "ok" | "broken" | "unknown";

/** One directed link: `from`'s side of the interconnect to `to` (its secret, its istiod's view, its tunnel). */
export interface Link {
  readonly from: string;
  readonly to: string;
  readonly status: LinkStatus;
}

export interface VerifyDocument {
  readonly environment: string;
  readonly mesh: "istio" | "submariner";
  readonly healthy: boolean;
  /** The clusters of the matrix, in the stack's order. */
  readonly clusters: readonly string[];
  readonly links: readonly Link[];
  readonly checks: readonly CheckResult[];
  /** The failing checks, in the order of `checks`. */
  readonly failures: readonly CheckResult[];
}

/**
 * The link from A to B is broken when a check of A about B fails, or a check of A or B itself fails (other than
 * reaching it); unknown when nothing failed but A or B could not be read; ok otherwise.
 */
export function linkStatus(checks: readonly CheckResult[], from: string, to: string): LinkStatus {
  const failed = checks.filter((c) => !c.ok);
  const pairBroken = failed.some((c) => c.cluster === from && c.peer === to);
  const clusterBroken = failed.some(
    (c) => c.peer === null && c.check !== "access" && (c.cluster === from || c.cluster === to),
  );
  if (pairBroken || clusterBroken) {
    return "broken";
  }
  const unreachable = failed.some((c) => c.check === "access" && (c.cluster === from || c.cluster === to));
  return unreachable ? "unknown" : "ok";
}

export function verifyDocument(
  environment: string,
  mesh: VerifyDocument["mesh"],
  clusters: readonly string[],
  checks: readonly CheckResult[],
): VerifyDocument {
  const links = clusters.flatMap((from) =>
    clusters.filter((to) => to !== from).map((to): Link => ({ from, to, status: linkStatus(checks, from, to) })),
  );
  const failures = checks.filter((c) => !c.ok);
  return { environment, mesh, healthy: failures.length === 0, clusters, links, checks, failures };
}
