/**
 * GCP (GKE): a subnetwork per cluster with secondary ranges for pods and services and a /28 for the private control
 * plane; Services of type LoadBalancer are forwarding rules.
 */
import type { CloudTraits } from "./index";

export const gcp: CloudTraits<"gcp"> = {
  cloud: "gcp",
  title: "GCP",
  loadBalancer: "passthrough LB",
  addressLayout: "secondary-ranges",
  privateRangesOnly: true,
  controlPlaneRange: true,
  loadBalancerPriceKey: "gcp-forwarding-rule",
};
