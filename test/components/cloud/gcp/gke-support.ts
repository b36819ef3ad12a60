/** Shared by the GkeCluster tests: a stand-in network, the fixture cluster, and building one GkeCluster under mocks. */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { GkeCluster, type GkeClusterArgs } from "../../../../components/cloud/gcp/gke-cluster";
import type { GcpNetworkOutputs } from "../../../../components/network/contract";
import type { ClusterAddresses } from "../../../../plan/addresses-types";
import { gcpLabels, physicalName } from "../../../../plan/names";
import type { ClusterInput, MeshKind } from "../../../../plan/spec";
import { byName, type MockRun, runUnderMocks } from "../../../../tools/mock-runtime";
import { clusterInput, contractOutputs, requirementsOf, specFrom } from "../../../support/fixtures";

export const PROJECT = "acme-platform-dev";
export const STACK = "test";
export const URN = `urn:pulumi:${STACK}::multicluster-mesh::`;
export const COMPONENT = `${URN}multicluster-mesh:cluster:GkeCluster::gcp-c1`;
export const GCP_PROVIDER = `${URN}pulumi:providers:gcp::gcp-c1-gcp`;
/** The cloud-side name in the "test" environment, and the node account derived from it (sha256 prefix beaf9b). */
export const PHYSICAL = "test-gcp-c1";
export const NODE_SA = `gcp-c1-beaf9b@${PROJECT}.iam.gserviceaccount.com`;

export const ADDRESSES: ClusterAddresses = {
  cluster: "gcp-c1",
  cloud: "gcp",
  slot: 1,
  nodes: "10.1.0.0/20",
  pods: "10.1.64.0/18",
  services: "10.1.16.0/20",
  controlPlane: "10.1.32.0/28",
  subnets: [],
};

export const NETWORK_LINK = `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/gcp-c1-vpc`;
export const SUBNET_LINK = `https://www.googleapis.com/compute/v1/projects/${PROJECT}/regions/us-central1/subnetworks/gcp-c1-nodes`;

/** The network component is built elsewhere; the cluster only needs its outputs. */
export function fakeNetwork(): GcpNetworkOutputs {
  return {
    networkSelfLink: pulumi.output(NETWORK_LINK),
    networkName: pulumi.output("gcp-c1-vpc"),
    subnetworkSelfLink: pulumi.output(SUBNET_LINK),
    podsRangeName: "gcp-c1-pods",
    servicesRangeName: "gcp-c1-services",
  };
}

export const CLUSTER: ClusterInput = clusterInput(1, {
  kubernetesVersion: "1.34",
  nodes: { instanceType: "n2-standard-8", countPerZone: 2, maxPerZone: 5, diskSizeGiB: 100, maxPodsPerNode: 64 },
  gcp: {
    project: PROJECT,
    authorizedNetworks: [{ name: "office", cidr: "198.51.100.0/24" }],
    releaseChannel: "STABLE",
  },
});

export interface Options {
  readonly environment?: string;
  readonly mesh?: MeshKind;
  readonly cluster?: ClusterInput;
  readonly protect?: boolean;
  readonly gatewayCount?: number;
  /** More clusters of the same fleet (the first is the one built). */
  readonly peers?: readonly ClusterInput[];
  readonly peerGatewaySources?: GkeClusterArgs["peerGatewaySources"];
  readonly peerEgress?: GkeClusterArgs["peerEgress"];
  readonly brokerCluster?: string;
}

export function argsFor(o: Options): GkeClusterArgs {
  const mesh = o.mesh ?? "istio";
  const fleet = specFrom(
    {
      mesh,
      clusters: [o.cluster ?? CLUSTER, ...(o.peers ?? [])],
      tags: { team: "Platform" },
      submariner: {
        gatewayNodes: { count: o.gatewayCount ?? 2 },
        ...(o.brokerCluster === undefined ? {} : { brokerCluster: o.brokerCluster }),
      },
    },
    o.environment ?? STACK,
  );
  const spec = fleet.clusters[0];
  if (spec === undefined) {
    throw new Error("fixture has no cluster");
  }
  return {
    spec,
    physicalName: physicalName(fleet.environment, spec.name),
    addresses: ADDRESSES,
    network: fakeNetwork(),
    requirements: requirementsOf(fleet, spec.name),
    labels: gcpLabels(fleet, spec),
    protect: o.protect ?? false,
    ...(o.peerGatewaySources === undefined ? {} : { peerGatewaySources: o.peerGatewaySources }),
    ...(o.peerEgress === undefined ? {} : { peerEgress: o.peerEgress }),
  };
}

export async function plan(o: Options = {}): Promise<MockRun> {
  const args = argsFor(o);
  return runUnderMocks(
    () => {
      const provider = new gcp.Provider("gcp-c1-gcp", { project: PROJECT, region: "us-central1" });
      const gke = new GkeCluster("gcp-c1", args, { provider });
      const m = gke.meshCluster;
      return {
        ...contractOutputs(m),
        kubeconfig: gke.kubeconfig,
        kubeconfigText: pulumi.unsecret(gke.kubeconfig),
      };
    },
    { project: "multicluster-mesh", stack: STACK },
  );
}

export const inputs = (run: MockRun, name: string): Record<string, unknown> => byName(run, name).inputs;
export const urn = (run: MockRun, name: string): string => byName(run, name).urn;
export const names = (run: MockRun): string[] => run.resources.map((r) => `${r.type}::${r.name}`).sort();
export const protectedNames = (run: MockRun): string[] =>
  run.resources
    .filter((r) => r.protect)
    .map((r) => r.name)
    .sort();
