/**
 * Names and tags derived from the spec. Every name is keyed by a stable value (cluster name, zone, port key),
 * never by list position.
 */
import { createHash } from "node:crypto";
import type { ClusterSpec, FleetSpec } from "./spec";
import { LABEL_CLUSTER, LABEL_ENVIRONMENT, TAG_CLUSTER, TAG_ENVIRONMENT, TAG_ZONES } from "../policies/shared/tags";

/** The tag and label keys live with the policy pack, which reads them (and must not import from outside its folder). */
export { LABEL_CLUSTER, LABEL_ENVIRONMENT, TAG_CLUSTER, TAG_ENVIRONMENT, TAG_ZONES };

/** AWS tags for a cluster's resources: the stack's own tags first, ours on top. */
export function awsTags(spec: FleetSpec, cluster: ClusterSpec): Record<string, string> {
  return { ...spec.tags, [TAG_ENVIRONMENT]: spec.environment, [TAG_CLUSTER]: cluster.name };
}

/** GCP labels for a cluster's resources (values lower-cased and restricted to what GCP allows). */
export function gcpLabels(spec: FleetSpec, cluster: ClusterSpec): Record<string, string> {
  const clean = (v: string): string =>
    v
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, "-")
      .slice(0, 63);
  const own = Object.fromEntries(Object.entries(spec.tags).map(([k, v]) => [clean(k), clean(v)]));
  return { ...own, [LABEL_ENVIRONMENT]: clean(spec.environment), [LABEL_CLUSTER]: clean(cluster.name) };
}

/** Stack names end up in physical names (GKE allows 40 characters: 19 + '-' + a 20-character cluster name). */
export const MAX_ENVIRONMENT_LENGTH = 19;

/**
 * The cloud-side name of a cluster, `<environment>-<cluster>`: EKS and GKE cluster names are unique per account
 * or project and region, so dev's `aws-use1` and prod's `aws-use1` must not share one.
 */
export function physicalName(environment: string, cluster: string): string {
  return `${environment}-${cluster}`;
}

/**
 * The account id of a GKE cluster's node service account, `<cluster>-<first 6 hex digits of sha256(physicalName)>`:
 * account ids are unique per project and 6–30 characters, so the environment cannot be spelled out in full
 * (a 20-character cluster name gives 27 characters), yet dev's and prod's accounts in one project must differ.
 */
export function gkeNodeAccountId(cluster: string, physical: string): string {
  return `${cluster}-${createHash("sha256").update(physical).digest("hex").slice(0, 6)}`;
}

/**
 * The pool of reserved public addresses a cluster's gateway nodes take (Submariner gateways): every address of the
 * pool carries this AWS tag or GCP label with the cluster's physical name as its value, and the address agent on the
 * gateway nodes selects its pool by it. Peers admit the tunnel ports from these addresses alone.
 */
export const GATEWAY_ADDRESS_POOL_TAG = "multicluster-mesh/gateway-pool";
export const GATEWAY_ADDRESS_POOL_LABEL = "multicluster-mesh-gateway-pool";

/** The Kubernetes provider of a cluster is named `<cluster>-k8s`. */
export function k8sProviderName(cluster: string): string {
  return `${cluster}-k8s`;
}
