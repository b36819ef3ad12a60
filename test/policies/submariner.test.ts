import { describe, expect, it } from "vitest";
import { edit, istioSpec, messagesOf, record, submarinerSpec, urnIn, violationsOf } from "./support";

const submariner = () => record(submarinerSpec());
const FIX = "run gateway nodes in at least 2 zones, one per zone (multicluster-mesh:submariner.gatewayNodes.count)";

describe("submariner-gateways-span-zones", () => {
  it("passes gateway nodes in two zones per cluster", async () => {
    expect(messagesOf(await submariner(), "submariner-gateways-span-zones")).toEqual([]);
  });

  it("does not apply to clusters not joined to Submariner", async () => {
    expect(messagesOf(await record(istioSpec()), "submariner-gateways-span-zones")).toEqual([]);
  });

  it("fails one configured gateway node per cluster (AWS: one group per zone; GCP: the pool's nodeLocations)", async () => {
    const run = await record(
      submarinerSpec((raw) => ({
        ...raw,
        submariner: { ...(raw["submariner"] as object), gatewayNodes: { count: 1 } },
      })),
    );
    const one = (c: string, zone: string): string =>
      `cluster ${c}: Submariner gateway nodes are in 1 zone(s), fewer than 2 (["${zone}"], at least 1 node(s)) — ${FIX}`;
    expect(violationsOf(run, "submariner-gateways-span-zones")).toEqual([
      {
        policy: "submariner-gateways-span-zones",
        enforcement: "mandatory",
        urn: urnIn(run, "aws-cac1-gateway-ca-central-1a"),
        message: one("aws-cac1", "ca-central-1a"),
      },
      {
        policy: "submariner-gateways-span-zones",
        enforcement: "mandatory",
        urn: urnIn(run, "aws-usw2-gateway-us-west-2a"),
        message: one("aws-usw2", "us-west-2a"),
      },
      {
        policy: "submariner-gateways-span-zones",
        enforcement: "mandatory",
        urn: urnIn(run, "gcp-usw1-gateways"),
        message: one("gcp-usw1", "us-west1-a"),
      },
    ]);
    expect(messagesOf(run, "submariner-gateways-span-zones", { minZones: 1 })).toEqual([]);
  });

  it("fails a two-zone gateway group that keeps a single node", async () => {
    const run = edit(await submariner())
      .remove("aws-usw2-gateway-us-west-2b")
      .set("aws-usw2-gateway-us-west-2a", ["tags", "multicluster-mesh/zones"], "us-west-2a,us-west-2b")
      .run();
    expect(messagesOf(run, "submariner-gateways-span-zones")).toEqual([
      `cluster aws-usw2: Submariner gateway nodes are in 1 zone(s), fewer than 2 (["us-west-2a","us-west-2b"], at least 1 node(s)) — ${FIX}`,
    ]);
  });

  it("fails a joined cluster without gateway nodes", async () => {
    const run = edit(await submariner())
      .remove("gcp-usw1-gateways")
      .run();
    expect(messagesOf(run, "submariner-gateways-span-zones")).toEqual([
      `cluster gcp-usw1: has no Submariner gateway nodes (no node group labelled submariner.io/gateway=true among ["gcp-usw1-nodes"]) — ${FIX}`,
    ]);
  });
});

describe("submariner-broker-dedicated", () => {
  it("advises when the broker runs in a joined workload cluster (the shipped stack's default)", async () => {
    const run = await submariner();
    expect(violationsOf(run, "submariner-broker-dedicated")).toEqual([
      {
        policy: "submariner-broker-dedicated",
        enforcement: "advisory",
        urn: urnIn(run, "submariner-broker-release"),
        message:
          "cluster aws-usw2: hosts the Submariner broker and is also a joined workload cluster; while it or its API is down, no cluster learns of new endpoints or gateway failovers (submariner-k8s-broker and submariner-operator in the same cluster) — host the broker in a small cluster of its own (multicluster-mesh:submariner.brokerCluster with multicluster-mesh:submariner.dedicatedBrokerCluster: true)",
      },
    ]);
  });

  it("passes a dedicated broker cluster, which is not joined itself", async () => {
    const run = await record(
      submarinerSpec((raw) => ({
        ...raw,
        submariner: { ...(raw["submariner"] as object), brokerCluster: "aws-cac1", dedicatedBrokerCluster: true },
      })),
    );
    expect(run.resources.some((r) => r.name === "submariner-join-aws-cac1-operator")).toBe(false);
    expect(messagesOf(run, "submariner-broker-dedicated")).toEqual([]);
  });
});
