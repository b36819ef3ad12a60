/**
 * Shared inputs for the EksCluster tests: a spec'd AWS cluster, its planned addresses and a fake AwsNetwork.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EksCluster, type EksClusterArgs } from "../../../../components/cloud/aws/eks-cluster";
import type { AwsNetworkOutputs } from "../../../../components/network/contract";
import type { ClusterAddresses } from "../../../../plan/addresses-types";
import { awsTags, physicalName } from "../../../../plan/names";
import type { ClusterInput, FleetSpec, MeshKind } from "../../../../plan/spec";
import { answerResource } from "../../../../tools/mock-answers";
import { runUnderMocks, type MockRun, type RecordedResource } from "../../../../tools/mock-runtime";
import { clusterInput, contractOutputs, requirementsOf, specFrom } from "../../../support/fixtures";

export const PROJECT = "multicluster-mesh";
export const STACK = "test";
export const CLUSTER = "aws-c0";
/** The EKS cluster's cloud-side name: `<environment>-<cluster>` (specFrom's environment is "test"). */
export const PHYSICAL = "test-aws-c0";
export const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"] as const;
export const SERVICES_CIDR = "10.1.0.0/20";

/** The name of the aws provider the tests hand to the component through `opts.provider`. */
export const AWS_PROVIDER = `${CLUSTER}-aws`;

export function fleet(
  mesh: MeshKind,
  cluster: Partial<ClusterInput> = {},
  extra: Record<string, unknown> = {},
): FleetSpec {
  return specFrom({ mesh, clusters: [clusterInput(0, cluster)], tags: { team: "platform" }, ...extra });
}

export function addressesOf(name = CLUSTER): ClusterAddresses {
  return {
    cluster: name,
    cloud: "aws",
    slot: 0,
    nodes: "10.0.0.0/16",
    pods: "10.0.0.0/16",
    services: SERVICES_CIDR,
    subnets: ZONES.flatMap((zone, i) => [
      { zone, tier: "private" as const, cidr: `10.0.${i * 32}.0/19` },
      { zone, tier: "public" as const, cidr: `10.0.${128 + i * 16}.0/20` },
    ]),
  };
}

/** A stand-in for AwsNetwork's outputs: ids per zone, as pulumi outputs. */
export function fakeNetwork(zones: readonly string[] = ZONES): AwsNetworkOutputs {
  return {
    vpcId: pulumi.output("vpc-0fake"),
    privateSubnetIds: Object.fromEntries(zones.map((z) => [z, pulumi.output(`subnet-private-${z}`)])),
    publicSubnetIds: Object.fromEntries(zones.map((z) => [z, pulumi.output(`subnet-public-${z}`)])),
    podSubnetIds: Object.fromEntries(zones.map((z) => [z, pulumi.output(`subnet-pods-${z}`)])),
  };
}

/** The EksCluster args for the first cluster of `spec` (unprotected unless `protect`). */
export function eksArgs(spec: FleetSpec, network: AwsNetworkOutputs = fakeNetwork(), protect = false): EksClusterArgs {
  const cluster = spec.clusters[0];
  if (cluster === undefined) {
    throw new Error("fixture has no cluster");
  }
  return {
    cluster,
    physicalName: physicalName(spec.environment, cluster.name),
    protect,
    addresses: addressesOf(cluster.name),
    network,
    requirements: requirementsOf(spec, cluster.name),
    tags: awsTags(spec, cluster),
  };
}

/** Builds one EksCluster (with its aws provider) under mocks; the stack outputs hold its MeshCluster fields. */
export async function buildEks(
  spec: FleetSpec,
  network: () => AwsNetworkOutputs = fakeNetwork,
  protect = false,
): Promise<MockRun> {
  return runUnderMocks(
    () => {
      const args = eksArgs(spec, network(), protect);
      const provider = new aws.Provider(`${args.cluster.name}-aws`, { region: args.cluster.region });
      const eks = new EksCluster(args.cluster.name, args, { provider });
      const m = eks.meshCluster;
      return {
        ...contractOutputs(m),
        kubeconfig: eks.kubeconfig,
        kubeconfigPlain: pulumi.unsecret(eks.kubeconfig),
      };
    },
    { project: PROJECT, stack: STACK },
  );
}

/** What the mock cloud answers for a resource (ids and computed outputs), to compare wiring against. */
export function mockState(
  type: string,
  name: string,
  region = "us-east-1",
): { id: string; state: Record<string, unknown> } {
  return answerResource({ type, name, inputs: {}, providerInputs: { region } });
}

/** The EKS-created cluster security group id of the test cluster. */
export function clusterSecurityGroupId(): string {
  const vpcConfig = mockState("aws:eks/cluster:Cluster", `${CLUSTER}-cluster`).state["vpcConfig"] as Record<
    string,
    unknown
  >;
  return String(vpcConfig["clusterSecurityGroupId"]);
}

/** Parses a JSON policy document recorded as a resource input. */
export function policyOf(r: RecordedResource, key = "policy"): { Statement: Record<string, unknown>[] } {
  return JSON.parse(String(r.inputs[key])) as { Statement: Record<string, unknown>[] };
}
