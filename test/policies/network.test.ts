import { describe, expect, it } from "vitest";
import {
  addAwsCluster,
  addGcpCluster,
  AWS_USE1,
  GKE_USC1,
  istioFleet,
  messagesOf,
  RunBuilder,
  urnOf,
  violationsOf,
} from "./support";

const AWS_USW2 = {
  ...AWS_USE1,
  name: "aws-usw2",
  region: "us-west-2",
  zones: ["us-west-2a", "us-west-2b", "us-west-2c"],
  vpc: "10.8.0.0/16",
  subnets: ["10.8.0.0/20", "10.8.16.0/20", "10.8.32.0/20"],
  services: "10.9.0.0/16",
};

const GKE_EUW1 = {
  ...GKE_USC1,
  name: "gke-euw1",
  region: "europe-west1",
  zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
  nodes: "10.16.0.0/20",
  pods: "10.17.0.0/16",
  services: "10.18.0.0/20",
  controlPlane: "10.18.16.0/28",
};

describe("vpc-per-cluster", () => {
  it("passes clusters with networks of their own", () => {
    expect(messagesOf(istioFleet().run(), "vpc-per-cluster")).toEqual([]);
  });

  it("fails a cluster without a network of its own", () => {
    const b = istioFleet().remove("gke-usc1-vpc");
    expect(violationsOf(b.run(), "vpc-per-cluster")).toEqual([
      {
        policy: "vpc-per-cluster",
        enforcement: "mandatory",
        urn: urnOf("gcp:container/cluster:Cluster", "gke-usc1-cluster"),
        message:
          'cluster gke-usc1: has no VPC or network of its own (GKE cluster "gke-usc1-cluster") — create a network for gke-usc1 (tagged/labelled with its cluster name) instead of reusing one',
      },
    ]);
  });

  it("fails a cluster whose resources depend on another cluster's subnets", () => {
    const b = new RunBuilder();
    addAwsCluster(b, AWS_USE1);
    addAwsCluster(b, AWS_USW2);
    b.change("aws-usw2-cluster", () => ({
      propertyDependencies: { vpcConfig: [urnOf("aws:ec2/subnet:Subnet", "aws-use1-private-us-east-1a")] },
    }));
    expect(violationsOf(b.run(), "vpc-per-cluster")).toEqual([
      {
        policy: "vpc-per-cluster",
        enforcement: "mandatory",
        urn: urnOf("aws:eks/cluster:Cluster", "aws-usw2-cluster"),
        message:
          "clusters aws-use1, aws-usw2: share a network (aws-usw2-cluster uses aws-use1's aws-use1-private-us-east-1a) — give every cluster its own VPC/network from its own address slot; connect clusters through their gateways, not a shared network",
      },
    ]);
  });

  it("fails a GKE cluster naming another cluster's network, and two networks with one name in one project", () => {
    const b = istioFleet();
    addGcpCluster(b, GKE_EUW1);
    b.set("gke-euw1-cluster", "network", "projects/mesh-prod-1234/global/networks/gke-usc1-vpc");
    expect(messagesOf(b.run(), "vpc-per-cluster")).toEqual([
      'clusters gke-euw1, gke-usc1: share a network (GKE cluster "gke-euw1-cluster" uses network "gke-usc1-vpc") — give every cluster its own VPC/network from its own address slot; connect clusters through their gateways, not a shared network',
    ]);

    const named = istioFleet();
    addGcpCluster(named, GKE_EUW1);
    named.set("gke-euw1-vpc", "name", "shared").set("gke-usc1-vpc", "name", "shared");
    expect(messagesOf(named.run(), "vpc-per-cluster")).toEqual([
      'clusters gke-euw1, gke-usc1: share a network (network "mesh-prod-1234/shared") — give every cluster its own VPC/network from its own address slot; connect clusters through their gateways, not a shared network',
    ]);
    named.set("gke-euw1-vpc", "project", "mesh-eu-5678");
    expect(messagesOf(named.run(), "vpc-per-cluster")).toEqual([]);
  });
});

describe("address-ranges-disjoint", () => {
  it("passes disjoint ranges", () => {
    const b = istioFleet();
    addAwsCluster(b, AWS_USW2);
    addGcpCluster(b, GKE_EUW1);
    expect(messagesOf(b.run(), "address-ranges-disjoint")).toEqual([]);
  });

  it("fails overlapping ranges once per pair of clusters, naming the widest overlap first", () => {
    const b = istioFleet()
      .set("gke-usc1-subnet", "ipCidrRange", "10.0.16.0/20")
      .set("gke-usc1-cluster", "privateClusterConfig.masterIpv4CidrBlock", "10.1.0.0/28");
    expect(violationsOf(b.run(), "address-ranges-disjoint")).toEqual([
      {
        policy: "address-ranges-disjoint",
        enforcement: "mandatory",
        urn: urnOf("gcp:compute/subnetwork:Subnetwork", "gke-usc1-subnet"),
        message:
          "clusters aws-use1, gke-usc1: have overlapping address ranges (aws-use1 VPC cidrBlock 10.0.0.0/16 overlaps gke-usc1 subnetwork ipCidrRange 10.0.16.0/20 and 2 more overlap(s)) — give each cluster its own address slot (multicluster-mesh:clusters[].slot) or disjoint multicluster-mesh:clusters[].cidrs",
      },
    ]);
  });

  it("compares secondary ranges, EKS service ranges and GKE control-plane ranges", () => {
    const b = istioFleet().set("gke-usc1-subnet", "secondaryIpRanges", [
      { rangeName: "pods", ipCidrRange: "10.3.0.0/16" },
      { rangeName: "services", ipCidrRange: "10.1.128.0/20" },
    ]);
    expect(messagesOf(b.run(), "address-ranges-disjoint")).toEqual([
      "clusters aws-use1, gke-usc1: have overlapping address ranges (aws-use1 EKS serviceIpv4Cidr 10.1.0.0/16 overlaps gke-usc1 secondary range services 10.1.128.0/20) — give each cluster its own address slot (multicluster-mesh:clusters[].slot) or disjoint multicluster-mesh:clusters[].cidrs",
    ]);
    const master = istioFleet().set("gke-usc1-cluster", "privateClusterConfig.masterIpv4CidrBlock", "10.0.48.0/28");
    expect(messagesOf(master.run(), "address-ranges-disjoint")).toEqual([
      "clusters aws-use1, gke-usc1: have overlapping address ranges (aws-use1 VPC cidrBlock 10.0.0.0/16 overlaps gke-usc1 GKE masterIpv4CidrBlock 10.0.48.0/28) — give each cluster its own address slot (multicluster-mesh:clusters[].slot) or disjoint multicluster-mesh:clusters[].cidrs",
    ]);
  });

  it("fails an unset EKS service range in a fleet, unless requireEksServiceCidr is off", () => {
    const b = istioFleet().set("aws-use1-cluster", "kubernetesNetworkConfig", undefined);
    expect(messagesOf(b.run(), "address-ranges-disjoint")).toEqual([
      "cluster aws-use1: EKS service range is not set, so EKS picks 10.100.0.0/16 or 172.20.0.0/16, the same for every cluster (EKS cluster aws-use1: kubernetesNetworkConfig.serviceIpv4Cidr missing) — set it from the address plan (multicluster-mesh:clusters[].cidrs.services); it can only be set when the cluster is created",
    ]);
    expect(messagesOf(b.run(), "address-ranges-disjoint", { requireEksServiceCidr: false })).toEqual([]);
    const alone = new RunBuilder();
    addAwsCluster(alone, AWS_USE1);
    alone.set("aws-use1-cluster", "kubernetesNetworkConfig", undefined);
    expect(messagesOf(alone.run(), "address-ranges-disjoint")).toEqual([]);
  });
});
