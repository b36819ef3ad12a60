/**
 * The address plan's shape: plain, JSON-serialisable data produced by `planAddresses` (./addresses.ts).
 */
import type { Cloud } from "./spec";

/** One subnet of an AWS VPC. */
export interface SubnetPlan {
  readonly zone: string;
  /**
   * private: nodes (and pods, unless they are apart), internal load balancers; public: NAT gateways, internet-facing
   * load balancers; pods: pods apart from nodes (VPC CNI custom networking), in the VPC's secondary pod range.
   */
  readonly tier: "private" | "public" | "pods";
  readonly cidr: string;
}

/** Every range one cluster uses. None of them overlaps any range of another cluster. */
export interface ClusterAddresses {
  readonly cluster: string;
  readonly cloud: Cloud;
  readonly slot: number;
  /** AWS: the VPC CIDR; GCP: the subnetwork's primary (node) range; existing: the node network. */
  readonly nodes: string;
  /**
   * GCP: the pods secondary range; EKS: the VPC range (VPC CNI), or a secondary VPC range when the interconnect needs
   * pods apart from nodes (VPC CNI custom networking); existing: the pod network.
   */
  readonly pods: string;
  /** EKS: kubernetesNetworkConfig.serviceIpv4Cidr; GCP: the services secondary range; existing: the service network. */
  readonly services: string;
  /** GKE only: the private control plane's /28. */
  readonly controlPlane?: string;
  /** AWS: a private and a public subnet per zone (and a pod subnet, pods apart), in zone order; otherwise empty. */
  readonly subnets: readonly SubnetPlan[];
}

export interface AddressPlan {
  /** The environment's address space. */
  readonly space: string;
  /** The prefix length of one slot's block inside the space. */
  readonly slotPrefix: number;
  /** One entry per cluster, in the stack file's order. */
  readonly clusters: readonly ClusterAddresses[];
}
