/**
 * AWS: per cluster the `<cluster>-aws` provider (its region, the optional deploy role, the cluster's tags as default
 * tags), an AwsNetwork and an EksCluster; the egress addresses are the NAT gateways' public IPs.
 */
import * as awsSdk from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsTags, physicalName } from "../../../plan/names";
import { EksCluster } from "./eks-cluster";
import { AwsNetwork } from "./aws-network";
import type { CloudModule } from "../index";

export const aws: CloudModule<"aws"> = {
  cloud: "aws",
  createCluster({ fleet, cluster, addresses, requirements }, parent) {
    const protect = fleet.protect;
    const physical = physicalName(fleet.environment, cluster.name);
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
        physicalName: physical,
        protect,
        podsApartFromNodes: requirements.podsApartFromNodes,
      },
      { parent, provider },
    );
    const eks = new EksCluster(
      cluster.name,
      { cluster, addresses, network, requirements, tags, physicalName: physical, protect },
      { parent, provider },
    );
    return {
      cluster: eks.meshCluster,
      kubeconfig: eks.kubeconfig,
      egress: pulumi.all(Object.values(network.natPublicIps)),
    };
  },
};
