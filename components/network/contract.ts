/**
 * What a cluster component needs from its network. AwsNetwork and GcpNetwork implement these.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface AwsNetworkOutputs {
  readonly vpcId: pulumi.Output<string>;
  /** Private subnet id per zone (nodes, pods, internal load balancers), keyed by zone name. */
  readonly privateSubnetIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Public subnet id per zone (NAT, internet-facing load balancers, Submariner gateways), keyed by zone name. */
  readonly publicSubnetIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Pod subnet id per zone when pods take addresses apart from nodes (VPC CNI custom networking); else empty. */
  readonly podSubnetIds: Readonly<Record<string, pulumi.Output<string>>>;
}

export interface GcpNetworkOutputs {
  readonly networkSelfLink: pulumi.Output<string>;
  readonly networkName: pulumi.Output<string>;
  readonly subnetworkSelfLink: pulumi.Output<string>;
  /** Name of the subnetwork's secondary range for pods (referenced by the cluster's ipAllocationPolicy). */
  readonly podsRangeName: string;
  /** Name of the subnetwork's secondary range for services. */
  readonly servicesRangeName: string;
}
