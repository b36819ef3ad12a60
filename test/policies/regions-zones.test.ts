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

const AWS_USE1B = {
  ...AWS_USE1,
  name: "aws-use1b",
  vpc: "10.8.0.0/16",
  subnets: ["10.8.0.0/20", "10.8.16.0/20", "10.8.32.0/20"],
  services: "10.9.0.0/16",
};

describe("distinct-regions", () => {
  it("passes clusters in different regions", () => {
    expect(messagesOf(istioFleet().run(), "distinct-regions")).toEqual([]);
  });

  it("fails two clusters in one region, naming both and the region", () => {
    const b = new RunBuilder();
    addAwsCluster(b, AWS_USE1);
    addAwsCluster(b, AWS_USE1B);
    expect(violationsOf(b.run(), "distinct-regions")).toEqual([
      {
        policy: "distinct-regions",
        enforcement: "mandatory",
        urn: urnOf("aws:eks/cluster:Cluster", "aws-use1-cluster"),
        message:
          'clusters aws-use1, aws-use1b: share a region, so one regional outage takes them all down ("us-east-1") — move all but one of them to other regions (multicluster-mesh:clusters[].region)',
      },
    ]);
  });

  it("with allowSharedRegionWithDisjointZones, passes disjoint zones and fails shared ones", () => {
    const config = { allowSharedRegionWithDisjointZones: true };
    const disjoint = new RunBuilder();
    addAwsCluster(disjoint, { ...AWS_USE1, zones: ["us-east-1a", "us-east-1b"] });
    addAwsCluster(disjoint, { ...AWS_USE1B, zones: ["us-east-1c", "us-east-1d"] });
    expect(messagesOf(disjoint.run(), "distinct-regions", config)).toEqual([]);

    const shared = new RunBuilder();
    addAwsCluster(shared, { ...AWS_USE1, zones: ["us-east-1a", "us-east-1b"] });
    addAwsCluster(shared, { ...AWS_USE1B, zones: ["us-east-1b", "us-east-1c"] });
    expect(messagesOf(shared.run(), "distinct-regions", config)).toEqual([
      'clusters aws-use1, aws-use1b: share region us-east-1 and zones (["us-east-1b"]) — give each of them its own zones of us-east-1 (multicluster-mesh:clusters[].zones), or move all but one to other regions',
    ]);
  });

  it("tells clouds apart: an AWS and a GCP region are never the same region", () => {
    const b = new RunBuilder();
    addAwsCluster(b, AWS_USE1);
    addGcpCluster(b, { ...GKE_USC1, region: "us-east1", zones: ["us-east1-b", "us-east1-c", "us-east1-d"] });
    expect(messagesOf(b.run(), "distinct-regions")).toEqual([]);
  });
});

describe("nodes-span-zones", () => {
  it("passes nodes in three zones with the default minZones (3)", () => {
    expect(messagesOf(istioFleet().run(), "nodes-span-zones")).toEqual([]);
  });

  it("fails nodes in two zones, listing them", () => {
    const b = istioFleet()
      .set("aws-use1-nodes", "tags.multicluster-mesh/zones", "us-east-1a,us-east-1b")
      .set("aws-use1-nodes", "scalingConfig.minSize", 2);
    expect(violationsOf(b.run(), "nodes-span-zones")).toEqual([
      {
        policy: "nodes-span-zones",
        enforcement: "mandatory",
        urn: urnOf("aws:eks/nodeGroup:NodeGroup", "aws-use1-nodes"),
        message:
          'cluster aws-use1: nodes span 2 zone(s), fewer than minZones 3 (["us-east-1a","us-east-1b"]) — list at least 3 zones for aws-use1 in multicluster-mesh:clusters[].zones',
      },
    ]);
    expect(messagesOf(b.run(), "nodes-span-zones", { minZones: 2 })).toEqual([]);
  });

  it("counts only the zones the minimum node count can fill", () => {
    const b = istioFleet().set("aws-use1-nodes", "scalingConfig.minSize", 1);
    expect(messagesOf(b.run(), "nodes-span-zones", { minZones: 2 })).toEqual([
      'cluster aws-use1: nodes span 1 zone(s), fewer than minZones 2 (["us-east-1a","us-east-1b","us-east-1c"], at least 1 node(s)) — list at least 2 zones for aws-use1 in multicluster-mesh:clusters[].zones and keep at least one node per zone',
    ]);
  });

  it("reads GKE node pools' nodeLocations and GKE's three default zones for a regional pool without them", () => {
    const b = istioFleet().set("gke-usc1-nodes", "nodeLocations", ["us-central1-a"]);
    expect(messagesOf(b.run(), "nodes-span-zones")).toEqual([
      'cluster gke-usc1: nodes span 1 zone(s), fewer than minZones 3 (["us-central1-a"]) — list at least 3 zones for gke-usc1 in multicluster-mesh:clusters[].zones',
    ]);
    const defaults = istioFleet()
      .set("gke-usc1-nodes", "nodeLocations", undefined)
      .set("gke-usc1-cluster", "nodeLocations", undefined);
    expect(messagesOf(defaults.run(), "nodes-span-zones")).toEqual([]);
    expect(messagesOf(defaults.run(), "nodes-span-zones", { minZones: 4 })).toEqual([
      'cluster aws-use1: nodes span 3 zone(s), fewer than minZones 4 (["us-east-1a","us-east-1b","us-east-1c"]) — list at least 4 zones for aws-use1 in multicluster-mesh:clusters[].zones',
      "cluster gke-usc1: nodes span 3 zone(s), fewer than minZones 4 (3 zones) — list at least 4 zones for gke-usc1 in multicluster-mesh:clusters[].zones",
    ]);
  });

  it("does not count Submariner gateway pools as workload nodes", () => {
    const b = istioFleet();
    b.add(
      "aws:eks/nodeGroup:NodeGroup",
      "aws-use1-gateway-us-east-1d",
      {
        scalingConfig: { minSize: 1 },
        labels: { "submariner.io/gateway": "true" },
        tags: { "multicluster-mesh/cluster": "aws-use1", "multicluster-mesh/zones": "us-east-1d" },
      },
      { provider: urnOf("pulumi:providers:aws", "aws-use1-aws") },
    );
    expect(messagesOf(b.run(), "nodes-span-zones", { minZones: 4 })).toEqual([
      'cluster aws-use1: nodes span 3 zone(s), fewer than minZones 4 (["us-east-1a","us-east-1b","us-east-1c"]) — list at least 4 zones for aws-use1 in multicluster-mesh:clusters[].zones',
      'cluster gke-usc1: nodes span 3 zone(s), fewer than minZones 4 (["us-central1-a","us-central1-b","us-central1-c"]) — list at least 4 zones for gke-usc1 in multicluster-mesh:clusters[].zones',
    ]);
  });
});

describe("gke-regional", () => {
  it("passes a regional GKE cluster", () => {
    expect(messagesOf(istioFleet().run(), "gke-regional")).toEqual([]);
  });

  it("fails a zonal GKE cluster, on the cluster resource", () => {
    const b = istioFleet().set("gke-usc1-cluster", "location", "us-central1-a");
    expect(violationsOf(b.run(), "gke-regional")).toEqual([
      {
        policy: "gke-regional",
        enforcement: "mandatory",
        urn: urnOf("gcp:container/cluster:Cluster", "gke-usc1-cluster"),
        message:
          'cluster gke-usc1: GKE cluster is zonal, so its control plane is a single replica in one zone (location "us-central1-a") — set location to the region us-central1 and list the zones in nodeLocations',
      },
    ]);
  });
});

describe("eks-control-plane-logging", () => {
  it("passes all five log types", () => {
    expect(messagesOf(istioFleet().run(), "eks-control-plane-logging")).toEqual([]);
  });

  it("fails missing log types, listing them", () => {
    const b = istioFleet().set("aws-use1-cluster", "enabledClusterLogTypes", ["api"]);
    expect(violationsOf(b.run(), "eks-control-plane-logging")).toEqual([
      {
        policy: "eks-control-plane-logging",
        enforcement: "mandatory",
        urn: urnOf("aws:eks/cluster:Cluster", "aws-use1-cluster"),
        message:
          'cluster aws-use1: EKS control-plane logging is missing log types (["audit","authenticator","controllerManager","scheduler"]) — add them to enabledClusterLogTypes (now ["api"])',
      },
    ]);
  });

  it("requires only the configured log types", () => {
    const b = istioFleet().set("aws-use1-cluster", "enabledClusterLogTypes", ["api", "audit"]);
    expect(messagesOf(b.run(), "eks-control-plane-logging", { requiredLogTypes: ["api", "audit"] })).toEqual([]);
    expect(messagesOf(b.run(), "eks-control-plane-logging", { requiredLogTypes: ["api", "scheduler"] })).toEqual([
      'cluster aws-use1: EKS control-plane logging is missing log types (["scheduler"]) — add them to enabledClusterLogTypes (now ["api","audit"])',
    ]);
  });
});
