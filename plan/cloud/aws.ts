/** AWS (EKS): a VPC per cluster with a private and a public subnet per zone; Services of type LoadBalancer are NLBs. */
import type { CloudTraits } from "./index";

export const aws: CloudTraits<"aws"> = {
  cloud: "aws",
  title: "AWS",
  loadBalancer: "NLB",
  addressLayout: "vpc-subnets",
  privateRangesOnly: true,
  controlPlaneRange: false,
  loadBalancerPriceKey: "aws-nlb",
};
