/**
 * The tag and label keys the program writes on every cloud resource and the pack reads to attribute a resource to
 * its cluster. One source for both sides: plan/names.ts re-exports them.
 */

/** Tag keys every AWS resource of a cluster carries (policies and cost reports read them). */
export const TAG_CLUSTER = "multicluster-mesh/cluster";
export const TAG_ENVIRONMENT = "multicluster-mesh/environment";
/** On node groups: the zones the group spans, comma-separated (known at preview, unlike subnet ids). */
export const TAG_ZONES = "multicluster-mesh/zones";

/** GCP label keys (labels allow only [a-z0-9_-]). */
export const LABEL_CLUSTER = "multicluster-mesh-cluster";
export const LABEL_ENVIRONMENT = "multicluster-mesh-environment";
