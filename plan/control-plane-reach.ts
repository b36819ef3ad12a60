/**
 * Whether every cluster's API server is reachable by the clusters that call it (the interconnect's `apiClients`):
 * Istio's istiod in every peer reads it through a remote secret, Submariner's members join the broker's. A GKE control
 * plane with a private endpoint only has no address a peer in another network can reach, so it is refused; one
 * restricted to authorized networks gets the callers' addresses added by the cluster component.
 */
import type { ClusterRequirements } from "./interconnect";
import type { Issue } from "./issues";
import type { FleetSpec } from "./spec";

export function checkControlPlaneReach(
  spec: FleetSpec,
  requirements: Readonly<Record<string, ClusterRequirements>>,
): Issue[] {
  return spec.clusters.flatMap((c, i): Issue[] => {
    const callers = (requirements[c.name]?.apiClients ?? []).filter((a) => a.cluster !== c.name);
    if (c.gcp?.privateEndpoint !== true || callers.length === 0) {
      return [];
    }
    const who = [...new Set(callers.map((a) => a.caller))].join(", ");
    return [
      {
        path: `clusters[${i}].gcp.privateEndpoint`,
        message: `the API server would have no public endpoint, yet ${callers.map((a) => a.cluster).join(", ")} must reach it (${who}) from outside its network`,
        fix: "set it to false and restrict the public endpoint with gcp.authorizedNetworks: the program adds those clusters' addresses",
        value: true,
      },
    ];
  });
}
