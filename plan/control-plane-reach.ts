/**
 * Whether every cluster's API server is reachable by the clusters that call it (the interconnect's `apiClients`):
 * Istio's istiod in every peer reads it through a remote secret, Submariner's members join the broker's. A GKE control
 * plane with a private endpoint only has no address a peer in another network can reach, so it is refused; one
 * restricted to authorized networks gets the callers' addresses added by the cluster component
 * (components/cloud/gcp/gke-authorized-networks.ts), which must fit in GKE's limit: "Public clusters can have up to 50
 * authorized network CIDR ranges; private clusters can have up to 100"
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks, Limitations). The program's GKE
 * clusters are private clusters (private nodes), so 100.
 */
import { gatewayAddressCount } from "./cloud/aws-quotas";
import { CLOUD_TRAITS } from "./cloud";
import type { ClusterRequirements } from "./interconnect";
import type { Issue } from "./issues";
import type { ClusterSpec, FleetSpec } from "./spec";

/** GKE's limit on a private cluster's authorized networks. */
export const GKE_AUTHORIZED_NETWORKS_LIMIT = 100;

/** The entries the cluster component writes for the clusters that call a GKE API server: their egress, and gateways. */
export function callerEntries(
  spec: FleetSpec,
  requirements: Readonly<Record<string, ClusterRequirements>>,
  cluster: string,
): number {
  const byName = new Map(spec.clusters.map((c) => [c.name, c]));
  return (requirements[cluster]?.apiClients ?? []).reduce((n, client) => {
    const caller = byName.get(client.cluster) as ClusterSpec | undefined;
    if (caller === undefined) {
      return n;
    }
    const gateways = client.fromGateways ? gatewayAddressCount(caller, requirements[caller.name]) : 0;
    return n + CLOUD_TRAITS[caller.cloud].egressAddresses(caller) + gateways;
  }, 0);
}

export function checkControlPlaneReach(
  spec: FleetSpec,
  requirements: Readonly<Record<string, ClusterRequirements>>,
): Issue[] {
  return spec.clusters.flatMap((c, i): Issue[] => {
    const callers = (requirements[c.name]?.apiClients ?? []).filter((a) => a.cluster !== c.name);
    const configured = c.gcp?.authorizedNetworks.length ?? 0;
    if (c.gcp?.privateEndpoint !== true && configured > 0) {
      const added = callerEntries(spec, requirements, c.name);
      return configured + added <= GKE_AUTHORIZED_NETWORKS_LIMIT
        ? []
        : [
            {
              path: `clusters[${i}].gcp.authorizedNetworks`,
              message: `the control plane of GKE cluster ${c.name} would need ${configured + added} authorized networks (${configured} configured, ${added} for the egress and gateway addresses of the clusters that call it), more than GKE's ${GKE_AUTHORIZED_NETWORKS_LIMIT} for a private cluster`,
              fix: "configure fewer networks (e.g. one wider office range), or split the fleet into smaller environments",
              value: configured,
            },
          ];
    }
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
