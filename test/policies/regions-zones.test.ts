import { describe, expect, it } from "vitest";
import {
  clusters,
  edit,
  istioSpec,
  messagesOf,
  type RawCluster,
  record,
  submarinerSpec,
  urnIn,
  violationsOf,
} from "./support";

const istio = () => record(istioSpec());

/** aws-use1 and a second EKS cluster in us-east-1 (slot 2), with the zones given. */
function twoInUsEast1(zones: readonly string[], zonesB: readonly string[]) {
  return istioSpec(
    clusters((c) => {
      const aws = c[0] as RawCluster;
      return [
        { ...aws, zones: [...zones] },
        { ...aws, name: "aws-use1b", zones: [...zonesB], slot: 2 },
      ];
    }),
  );
}

describe("distinct-regions", () => {
  it("passes clusters in different regions", async () => {
    expect(messagesOf(await istio(), "distinct-regions")).toEqual([]);
  });

  it("fails two clusters in one region, naming both and the region", async () => {
    const run = await record(
      twoInUsEast1(["us-east-1a", "us-east-1b", "us-east-1c"], ["us-east-1a", "us-east-1b", "us-east-1c"]),
    );
    expect(violationsOf(run, "distinct-regions")).toEqual([
      {
        policy: "distinct-regions",
        enforcement: "mandatory",
        urn: urnIn(run, "aws-use1-cluster"),
        message:
          'clusters aws-use1, aws-use1b: share a region, so one regional outage takes them all down ("us-east-1") — move all but one of them to other regions (multicluster-mesh:clusters[].region)',
      },
    ]);
  });

  it("with allowSharedRegionWithDisjointZones, passes disjoint zones and fails shared ones", async () => {
    const config = { allowSharedRegionWithDisjointZones: true };
    const disjoint = await record(twoInUsEast1(["us-east-1a", "us-east-1b"], ["us-east-1c", "us-east-1d"]));
    expect(messagesOf(disjoint, "distinct-regions", config)).toEqual([]);
    const shared = await record(twoInUsEast1(["us-east-1a", "us-east-1b"], ["us-east-1b", "us-east-1c"]));
    expect(messagesOf(shared, "distinct-regions", config)).toEqual([
      'clusters aws-use1, aws-use1b: share region us-east-1 and zones (["us-east-1b"]) — give each of them its own zones of us-east-1 (multicluster-mesh:clusters[].zones), or move all but one to other regions',
    ]);
  });

  it("tells clouds apart: an AWS and a GCP region are never the same region", async () => {
    const run = await record(
      istioSpec(
        clusters((c) => [
          c[0] as RawCluster,
          { ...(c[1] as RawCluster), region: "us-east1", zones: ["us-east1-b", "us-east1-c", "us-east1-d"] },
        ]),
      ),
    );
    expect(messagesOf(run, "distinct-regions")).toEqual([]);
  });
});

describe("nodes-span-zones", () => {
  it("passes nodes in three zones with the default minZones (3)", async () => {
    expect(messagesOf(await istio(), "nodes-span-zones")).toEqual([]);
  });

  it("fails nodes in two configured zones, listing them", async () => {
    const run = await record(
      istioSpec(
        clusters((c) => [{ ...(c[0] as RawCluster), zones: ["us-east-1a", "us-east-1b"] }, c[1] as RawCluster]),
      ),
    );
    expect(violationsOf(run, "nodes-span-zones")).toEqual([
      {
        policy: "nodes-span-zones",
        enforcement: "mandatory",
        urn: urnIn(run, "aws-use1-nodes"),
        message:
          'cluster aws-use1: nodes span 2 zone(s), fewer than minZones 3 (["us-east-1a","us-east-1b"]) — list at least 3 zones for aws-use1 in multicluster-mesh:clusters[].zones',
      },
    ]);
    expect(messagesOf(run, "nodes-span-zones", { minZones: 2 })).toEqual([]);
  });

  it("counts only the zones the minimum node count can fill", async () => {
    const run = edit(await istio())
      .set("aws-use1-nodes", "scalingConfig.minSize", 1)
      .run();
    expect(messagesOf(run, "nodes-span-zones", { minZones: 2 })).toEqual([
      'cluster aws-use1: nodes span 1 zone(s), fewer than minZones 2 (["us-east-1a","us-east-1b","us-east-1c"], at least 1 node(s)) — list at least 2 zones for aws-use1 in multicluster-mesh:clusters[].zones and keep at least one node per zone',
    ]);
  });

  it("reads GKE node pools' nodeLocations and GKE's three default zones for a regional pool without them", async () => {
    const base = await istio();
    const one = edit(base).set("gcp-usc1-nodes", "nodeLocations", ["us-central1-a"]).run();
    expect(messagesOf(one, "nodes-span-zones")).toEqual([
      'cluster gcp-usc1: nodes span 1 zone(s), fewer than minZones 3 (["us-central1-a"]) — list at least 3 zones for gcp-usc1 in multicluster-mesh:clusters[].zones',
    ]);
    const defaults = edit(base)
      .set("gcp-usc1-nodes", "nodeLocations", undefined)
      .set("gcp-usc1-cluster", "nodeLocations", undefined)
      .run();
    expect(messagesOf(defaults, "nodes-span-zones")).toEqual([]);
    expect(messagesOf(defaults, "nodes-span-zones", { minZones: 4 })).toEqual([
      'cluster aws-use1: nodes span 3 zone(s), fewer than minZones 4 (["us-east-1a","us-east-1b","us-east-1c"]) — list at least 4 zones for aws-use1 in multicluster-mesh:clusters[].zones',
      "cluster gcp-usc1: nodes span 3 zone(s), fewer than minZones 4 (3 zones) — list at least 4 zones for gcp-usc1 in multicluster-mesh:clusters[].zones",
    ]);
  });

  it("does not count Submariner gateway nodes as workload nodes", async () => {
    // A gateway group moved to a fourth zone would make aws-usw2 span four zones if gateways counted.
    const run = edit(await record(submarinerSpec()))
      .set("aws-usw2-gateway-us-west-2a", ["tags", "multicluster-mesh/zones"], "us-west-2d")
      .run();
    expect(messagesOf(run, "nodes-span-zones", { minZones: 4 })).toEqual(
      [
        ["aws-cac1", '["ca-central-1a","ca-central-1b","ca-central-1d"]'],
        ["aws-usw2", '["us-west-2a","us-west-2b","us-west-2c"]'],
        ["gcp-usw1", '["us-west1-a","us-west1-b","us-west1-c"]'],
      ].map(
        ([c, zones]) =>
          `cluster ${c}: nodes span 3 zone(s), fewer than minZones 4 (${zones}) — list at least 4 zones for ${c} in multicluster-mesh:clusters[].zones`,
      ),
    );
  });
});

describe("gke-regional", () => {
  it("passes a regional GKE cluster", async () => {
    expect(messagesOf(await istio(), "gke-regional")).toEqual([]);
  });

  it("fails a zonal GKE cluster, on the cluster resource (the program always plans regional ones)", async () => {
    const base = await istio();
    expect(violationsOf(edit(base).set("gcp-usc1-cluster", "location", "us-central1-a").run(), "gke-regional")).toEqual(
      [
        {
          policy: "gke-regional",
          enforcement: "mandatory",
          urn: urnIn(base, "gcp-usc1-cluster"),
          message:
            'cluster gcp-usc1: GKE cluster is zonal, so its control plane is a single replica in one zone (location "us-central1-a") — set location to the region us-central1 and list the zones in nodeLocations',
        },
      ],
    );
  });
});

describe("eks-control-plane-logging", () => {
  it("passes all five log types", async () => {
    expect(messagesOf(await istio(), "eks-control-plane-logging")).toEqual([]);
  });

  it("fails missing log types, listing them", async () => {
    const base = await istio();
    const run = edit(base).set("aws-use1-cluster", "enabledClusterLogTypes", ["api"]).run();
    expect(violationsOf(run, "eks-control-plane-logging")).toEqual([
      {
        policy: "eks-control-plane-logging",
        enforcement: "mandatory",
        urn: urnIn(base, "aws-use1-cluster"),
        message:
          'cluster aws-use1: EKS control-plane logging is missing log types (["audit","authenticator","controllerManager","scheduler"]) — add them to enabledClusterLogTypes (now ["api"])',
      },
    ]);
  });

  it("requires only the configured log types", async () => {
    const run = edit(await istio())
      .set("aws-use1-cluster", "enabledClusterLogTypes", ["api", "audit"])
      .run();
    expect(messagesOf(run, "eks-control-plane-logging", { requiredLogTypes: ["api", "audit"] })).toEqual([]);
    expect(messagesOf(run, "eks-control-plane-logging", { requiredLogTypes: ["api", "scheduler"] })).toEqual([
      'cluster aws-use1: EKS control-plane logging is missing log types (["scheduler"]) — add them to enabledClusterLogTypes (now ["api","audit"])',
    ]);
  });
});
