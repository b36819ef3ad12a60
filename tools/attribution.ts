/**
 * Which cluster a recorded resource belongs to, for per-cluster counts and cost lines in the plan summary: the
 * policy pack's attribution (policies/attribution.ts, where the order is documented), over the recorded resources,
 * with the plan's cluster names and the stack's environment. Everything that belongs to no cluster is `SHARED`.
 */
import { attribute, type Placeable } from "../policies/attribution";
import type { RecordedResource } from "./mock-runtime";

export { clusterByName, urnName, urnType } from "../policies/attribution";

/** The bucket for resources that belong to no single cluster. */
export const SHARED = "shared";

/** A recorded resource as attribution reads it. */
export function placeable(r: RecordedResource): Placeable {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent ?? undefined,
    provider: r.provider ?? undefined,
    props: r.inputs,
    dependencies: [...new Set([...Object.values(r.propertyDependencies ?? {}).flat(), ...r.dependsOn])],
  };
}

/**
 * Maps every resource URN to its cluster name, or to `SHARED`.
 * `clusters` are the environment's cluster names; `environment` the stack name environment-wide components use.
 */
export function attributeResources(
  resources: readonly RecordedResource[],
  clusters: readonly string[],
  environment?: string,
): Map<string, string> {
  const owner = attribute(resources.map(placeable), {
    clusters,
    ...(environment === undefined ? {} : { environment }),
  });
  return new Map(resources.map((r) => [r.urn, owner.clusterOf(r.urn) ?? SHARED]));
}
