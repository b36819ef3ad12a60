/**
 * AWS (EKS): a VPC per cluster with a private and a public subnet per zone; Services of type LoadBalancer are NLBs
 * through the AWS Load Balancer Controller.
 */
import type { CloudTraits } from "./index";

const LB = "service.beta.kubernetes.io/aws-load-balancer";

export const aws: CloudTraits<"aws"> = {
  cloud: "aws",
  title: "AWS",
  service: "EKS",
  loadBalancer: "NLB",
  addressLayout: "vpc-subnets",
  privateRangesOnly: true,
  controlPlaneRange: false,
  // EKS needs subnets in at least two zones.
  minZones: 2,
  zonesLabelled: true,
  // An NLB with IP targets, explicit scheme, cross-zone on, health check on the readiness path.
  passthroughLoadBalancer: (exposure, healthCheckPort) => ({
    [`${LB}-type`]: "external",
    [`${LB}-nlb-target-type`]: "ip",
    [`${LB}-scheme`]: exposure,
    [`${LB}-attributes`]: "load_balancing.cross_zone.enabled=true",
    [`${LB}-healthcheck-port`]: String(healthCheckPort),
    [`${LB}-healthcheck-path`]: "/healthz/ready",
    [`${LB}-healthcheck-protocol`]: "http",
  }),
  loadBalancerKindAnnotations: [`${LB}-type`, `${LB}-nlb-target-type`, `${LB}-scheme`],
  loadBalancerPriceKey: "aws-nlb",
};
