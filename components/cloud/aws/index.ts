/**
 * AWS: per cluster the `<cluster>-aws` provider (its region, the optional deploy role, the cluster's tags as default
 * tags) and an AwsNetwork (the network step; the egress addresses are the NAT gateways' public IPs, the gateway
 * sources the gateway nodes' reserved Elastic IPs), then an EksCluster on that network, admitting its tunnel peers'
 * gateway sources (the cluster step).
 */
import * as awsSdk from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsTags, physicalName } from "../../../plan/names";
import { EksCluster } from "./eks-cluster";
import { AwsNetwork } from "./aws-network";
import { hostRange } from "../tunnel-sources";
import type { BuiltNetwork, CloudModule } from "../index";

/** The network step's result: the provider every resource of the cluster uses, and the network. */
export interface AwsBuiltNetwork extends BuiltNetwork {
  readonly provider: awsSdk.Provider;
  readonly network: AwsNetwork;
  readonly egress: pulumi.Output<string[]>;
}

export const aws: CloudModule<"aws", AwsBuiltNetwork> = {
  cloud: "aws",
  createNetwork({ fleet, cluster, addresses, requirements }, parent) {
    const tags = awsTags(fleet, cluster);
    const provider = new awsSdk.Provider(
      `${cluster.name}-aws`,
      {
        region: cluster.region as awsSdk.Region,
        ...(cluster.aws?.assumeRoleArn
          ? { assumeRoles: [{ roleArn: cluster.aws.assumeRoleArn, sessionName: "multicluster-mesh" }] }
          : {}),
        defaultTags: { tags },
      },
      { parent },
    );
    const network = new AwsNetwork(
      cluster.name,
      {
        cluster,
        addresses,
        tags,
        physicalName: physicalName(fleet.environment, cluster.name),
        protect: fleet.protect,
        podsApartFromNodes: requirements.podsApartFromNodes,
        gatewayAddressPool: requirements.gatewayNodes?.addressPool ?? 0,
      },
      { parent, provider },
    );
    return {
      provider,
      network,
      egress: pulumi.all(Object.values(network.natPublicIps)),
      ...(network.gatewayPublicIps.length > 0 ? { gatewaySources: network.gatewayPublicIps.map(hostRange) } : {}),
    };
  },
  createCluster({ fleet, cluster, addresses, requirements }, { provider, network }, peers, parent) {
    const eks = new EksCluster(
      cluster.name,
      {
        cluster,
        addresses,
        network,
        requirements,
        peerGatewaySources: peers.gatewaySources,
        peerGatewaySourceLists: peers.gatewaySourceLists,
        tags: awsTags(fleet, cluster),
        physicalName: physicalName(fleet.environment, cluster.name),
        protect: fleet.protect,
      },
      { parent, provider },
    );
    return { cluster: eks.meshCluster, kubeconfig: eks.kubeconfig };
  },
};
