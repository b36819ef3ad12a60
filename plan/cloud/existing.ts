/**
 * Existing clusters (on-premises, kind): their declared ranges, which may be public; a plain LoadBalancer, whatever
 * the cluster's cloud controller provides; nodes may lack zone labels (kind's do); nothing billed by the program.
 */
import type { CloudTraits } from "./index";

export const existing: CloudTraits<"existing"> = {
  cloud: "existing",
  // Unknown to the program: a peer's authorized networks list them by hand.
  egressAddresses: () => 0,
  title: "existing",
  service: "existing",
  loadBalancer: "LoadBalancer",
  addressLayout: "declared",
  privateRangesOnly: false,
  reservesGatewayAddresses: false,
  controlPlaneRange: false,
  minZones: 1,
  zonesLabelled: false,
  passthroughLoadBalancer: () => ({}),
  loadBalancerKindAnnotations: [],
  gatewayNamespaceLabels: {},
};
