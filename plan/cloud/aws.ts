/**
 * AWS (EKS): a VPC per cluster with a private and a public subnet per zone; Services of type LoadBalancer are NLBs
 * through the AWS Load Balancer Controller.
 */
import type { CloudTraits } from "./index";

const LB = "service.beta.kubernetes.io/aws-load-balancer";

export const aws: CloudTraits<"aws"> = {
  cloud: "aws",
  // An Elastic IP per NAT gateway: one per zone, or one for the whole VPC (`aws.natGateways: single`).
  egressAddresses: (cluster) => (cluster.aws?.natGateways === "single" ? 1 : cluster.zones.length),
  title: "AWS",
  service: "EKS",
  loadBalancer: "NLB",
  addressLayout: "vpc-subnets",
  privateRangesOnly: true,
  reservesGatewayAddresses: true,
  controlPlaneRange: false,
  // EKS needs subnets in at least two zones.
  minZones: 2,
  zonesLabelled: true,
  // An NLB with IP targets, explicit scheme, cross-zone on, health check on the readiness path, the data listener's
  // idle timeout (controller v2.9.0+; NLB default 350 s) and the target groups' deregistration delay (default 300 s).
  passthroughLoadBalancer: (exposure, healthCheckPort, timing) => ({
    [`${LB}-type`]: "external",
    [`${LB}-nlb-target-type`]: "ip",
    [`${LB}-scheme`]: exposure,
    [`${LB}-attributes`]: "load_balancing.cross_zone.enabled=true",
    [`${LB}-healthcheck-port`]: String(healthCheckPort),
    [`${LB}-healthcheck-path`]: "/healthz/ready",
    [`${LB}-healthcheck-protocol`]: "http",
    [`${LB}-listener-attributes.TCP-${timing.listenerPort}`]: `tcp.idle_timeout.seconds=${timing.idleTimeoutSeconds}`,
    [`${LB}-target-group-attributes`]: `deregistration_delay.timeout_seconds=${timing.deregistrationDelaySeconds}`,
  }),
  // IP targets: the controller holds a new gateway pod unready until the NLB reports it healthy, so a rollout never
  // outruns target registration (the label must be on the namespace before the pods are created).
  gatewayNamespaceLabels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
  loadBalancerKindAnnotations: [`${LB}-type`, `${LB}-nlb-target-type`, `${LB}-scheme`],
  loadBalancerPriceKey: "aws-nlb",
};
