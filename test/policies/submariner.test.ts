import { describe, expect, it } from "vitest";
import { istioFleet, messagesOf, submarinerFleet, urnOf, violationsOf } from "./support";

describe("submariner-gateways-span-zones", () => {
  it("passes gateway nodes in two zones per cluster", () => {
    expect(messagesOf(submarinerFleet().run(), "submariner-gateways-span-zones")).toEqual([]);
  });

  it("does not apply to clusters not joined to Submariner", () => {
    expect(messagesOf(istioFleet().run(), "submariner-gateways-span-zones")).toEqual([]);
  });

  it("fails gateway nodes in one zone (AWS: one group per zone; GCP: the pool's nodeLocations)", () => {
    const b = submarinerFleet()
      .remove("aws-use1-gateway-us-east-1b")
      .set("gke-usc1-gateways", "nodeLocations", ["us-central1-a"]);
    expect(violationsOf(b.run(), "submariner-gateways-span-zones")).toEqual([
      {
        policy: "submariner-gateways-span-zones",
        enforcement: "mandatory",
        urn: urnOf("aws:eks/nodeGroup:NodeGroup", "aws-use1-gateway-us-east-1a"),
        message:
          'cluster aws-use1: Submariner gateway nodes are in 1 zone(s), fewer than 2 (["us-east-1a"], at least 1 node(s)) — run gateway nodes in at least 2 zones, one per zone (multicluster-mesh:submariner.gatewayNodes.count)',
      },
      {
        policy: "submariner-gateways-span-zones",
        enforcement: "mandatory",
        urn: urnOf("gcp:container/nodePool:NodePool", "gke-usc1-gateways"),
        message:
          'cluster gke-usc1: Submariner gateway nodes are in 1 zone(s), fewer than 2 (["us-central1-a"], at least 1 node(s)) — run gateway nodes in at least 2 zones, one per zone (multicluster-mesh:submariner.gatewayNodes.count)',
      },
    ]);
    expect(messagesOf(b.run(), "submariner-gateways-span-zones", { minZones: 1 })).toEqual([]);
  });

  it("fails a two-zone gateway group that keeps a single node", () => {
    const b = submarinerFleet()
      .remove("aws-use1-gateway-us-east-1b")
      .set("aws-use1-gateway-us-east-1a", "tags.multicluster-mesh/zones", "us-east-1a,us-east-1b");
    expect(messagesOf(b.run(), "submariner-gateways-span-zones")).toEqual([
      'cluster aws-use1: Submariner gateway nodes are in 1 zone(s), fewer than 2 (["us-east-1a","us-east-1b"], at least 1 node(s)) — run gateway nodes in at least 2 zones, one per zone (multicluster-mesh:submariner.gatewayNodes.count)',
    ]);
  });

  it("fails a joined cluster without gateway nodes", () => {
    const b = submarinerFleet().remove("gke-usc1-gateways");
    expect(messagesOf(b.run(), "submariner-gateways-span-zones")).toEqual([
      'cluster gke-usc1: has no Submariner gateway nodes (no node group labelled submariner.io/gateway=true among ["gke-usc1-nodes"]) — run gateway nodes in at least 2 zones, one per zone (multicluster-mesh:submariner.gatewayNodes.count)',
    ]);
  });
});

describe("submariner-broker-dedicated", () => {
  it("advises when the broker runs in a joined workload cluster", () => {
    expect(violationsOf(submarinerFleet().run(), "submariner-broker-dedicated")).toEqual([
      {
        policy: "submariner-broker-dedicated",
        enforcement: "advisory",
        urn: urnOf("kubernetes:helm.sh/v3:Release", "aws-use1-broker"),
        message:
          "cluster aws-use1: hosts the Submariner broker and is also a joined workload cluster; while it or its API is down, no cluster learns of new endpoints or gateway failovers (submariner-k8s-broker and submariner-operator in the same cluster) — host the broker in a small cluster of its own (multicluster-mesh:submariner.brokerCluster with multicluster-mesh:submariner.dedicatedBrokerCluster: true)",
      },
    ]);
  });

  it("passes a broker in a cluster that is not joined itself", () => {
    const b = submarinerFleet().remove("aws-use1-submariner");
    expect(messagesOf(b.run(), "submariner-broker-dedicated")).toEqual([]);
  });
});
