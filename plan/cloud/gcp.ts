/**
 * GCP (GKE): a subnetwork per cluster with secondary ranges for pods and services and a /28 for the private control
 * plane; Services of type LoadBalancer are forwarding rules.
 */
import type { CloudTraits } from "./index";

const GKE_LB_TYPE = "networking.gke.io/load-balancer-type";
const GKE_GLOBAL_ACCESS = "networking.gke.io/internal-load-balancer-allow-global-access";
const GKE_RBS = "cloud.google.com/l4-rbs";

/** Cloud NAT's reserved egress addresses per cluster: one, and one as headroom (components/cloud/gcp/gcp-network.ts). */
export const GCP_NAT_ADDRESSES = 2;

export const gcp: CloudTraits<"gcp"> = {
  cloud: "gcp",
  egressAddresses: () => GCP_NAT_ADDRESSES,
  title: "GCP",
  service: "GKE",
  loadBalancer: "passthrough LB",
  addressLayout: "secondary-ranges",
  privateRangesOnly: true,
  reservesGatewayAddresses: true,
  controlPlaneRange: true,
  minZones: 1,
  zonesLabelled: true,
  // Internal passthrough with global access (peers in other regions), or an external backend-service-based one.
  passthroughLoadBalancer: (exposure): Record<string, string> =>
    exposure === "internal" ? { [GKE_LB_TYPE]: "Internal", [GKE_GLOBAL_ACCESS]: "true" } : { [GKE_RBS]: "enabled" },
  loadBalancerKindAnnotations: [GKE_LB_TYPE, GKE_RBS],
  gatewayNamespaceLabels: {},
  loadBalancerPriceKey: "gcp-forwarding-rule",
};
