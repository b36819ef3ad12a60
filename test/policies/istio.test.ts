import { describe, expect, it } from "vitest";
import { clusters, edit, istioSpec, messagesOf, record, submarinerSpec, urnIn, violationsOf } from "./support";

const istio = () => record(istioSpec());

describe("istiod-per-cluster", () => {
  it("passes when every cluster runs its own istiod", async () => {
    expect(messagesOf(await istio(), "istiod-per-cluster")).toEqual([]);
  });

  it("does not apply to a stack without istiod", async () => {
    expect(messagesOf(await record(submarinerSpec()), "istiod-per-cluster")).toEqual([]);
  });

  it("fails a cluster without istiod", async () => {
    const run = await istio();
    expect(violationsOf(edit(run).remove("prod-gcp-usc1-istiod").run(), "istiod-per-cluster")).toEqual([
      {
        policy: "istiod-per-cluster",
        enforcement: "mandatory",
        urn: urnIn(run, "gcp-usc1-cluster"),
        message:
          'cluster gcp-usc1: runs no istiod of its own (Istio releases ["gateway","base"]) — install the istiod chart in every cluster with its provider (multi-primary), so no cluster depends on another\'s control plane',
      },
    ]);
  });

  it("fails primary-remote and external control-plane values", async () => {
    const run = edit(await istio())
      .set("prod-gcp-usc1-istiod", "values.istiodRemote", { enabled: true })
      .set("prod-gcp-usc1-istiod", "values.global.remotePilotAddress", "10.0.0.5")
      .set("prod-aws-use1-base", "values.global.externalIstiod", true)
      .run();
    expect(messagesOf(run, "istiod-per-cluster")).toEqual([
      "cluster aws-use1: the base release istio-base uses primary-remote or external control-plane values (global.externalIstiod=true) — remove them: every cluster runs its own istiod and reads only its own API server",
      "cluster gcp-usc1: the istiod release istiod uses primary-remote or external control-plane values (istiodRemote.enabled=true, global.remotePilotAddress=10.0.0.5) — remove them: every cluster runs its own istiod and reads only its own API server",
    ]);
  });

  it("ignores the chart defaults written out (empty address, false flags)", async () => {
    const run = edit(await istio())
      .set("prod-gcp-usc1-istiod", "values.global.remotePilotAddress", "")
      .set("prod-gcp-usc1-istiod", "values.global.externalIstiod", false)
      .set("prod-gcp-usc1-istiod", "values.istiodRemote", { enabled: false })
      .run();
    expect(messagesOf(run, "istiod-per-cluster")).toEqual([]);
  });
});

describe("istiod-replicas", () => {
  it("passes two istiod replicas spread across zones (the default)", async () => {
    expect(messagesOf(await istio(), "istiod-replicas")).toEqual([]);
  });

  it("fails one configured istiod replica, and passes it with dev's config", async () => {
    const run = await record(istioSpec((raw) => ({ ...raw, istio: { istiod: { replicas: 1 } } })));
    expect(violationsOf(run, "istiod-replicas").map((v) => [v.urn, v.enforcement, v.message])).toEqual(
      ["aws-use1", "gcp-usc1"].map((c) => [
        urnIn(run, `prod-${c}-istiod`),
        "mandatory",
        `cluster ${c}: istiod keeps 1 replica(s), fewer than 2, so a node drain stops sidecar injection, certificate signing and config pushes (autoscaleMin: 1) — raise multicluster-mesh:istio.istiod.replicas to 2 or more`,
      ]),
    );
    expect(messagesOf(run, "istiod-replicas", { minReplicas: 1 })).toEqual([]);
  });

  it("reads replicaCount without autoscaling and fails istiod without zone spread", async () => {
    const run = edit(await istio())
      .set("prod-aws-use1-istiod", "values.autoscaleEnabled", false)
      .set("prod-gcp-usc1-istiod", "values.topologySpreadConstraints", [])
      .run();
    expect(messagesOf(run, "istiod-replicas")).toEqual([
      "cluster aws-use1: istiod keeps 1 replica(s), fewer than 2, so a node drain stops sidecar injection, certificate signing and config pushes (replicaCount: 1) — raise multicluster-mesh:istio.istiod.replicas to 2 or more",
      "cluster gcp-usc1: istiod's replicas are not spread across zones (topologySpreadConstraints: []) — add a topologySpreadConstraint on topology.kubernetes.io/zone to the istiod values",
    ]);
  });

  it("does not apply to a stack without istiod", async () => {
    expect(messagesOf(await record(submarinerSpec()), "istiod-replicas")).toEqual([]);
  });
});

describe("istio-mesh-identity", () => {
  it("passes one meshID and distinct clusterNames and networks", async () => {
    expect(messagesOf(await istio(), "istio-mesh-identity")).toEqual([]);
  });

  it("fails two clusters configured into one Istio network", async () => {
    const shared = await record(istioSpec(clusters((c) => c.map((x) => ({ ...x, network: "aws-use1" })))));
    expect(violationsOf(shared, "istio-mesh-identity")).toEqual([
      {
        policy: "istio-mesh-identity",
        enforcement: "mandatory",
        urn: urnIn(shared, "prod-gcp-usc1-istiod"),
        message:
          'clusters aws-use1, gcp-usc1: share one Istio network (global.network: "aws-use1") — give every cluster its own network (multicluster-mesh:clusters[].network)',
      },
    ]);
  });

  it("fails a second meshID and a missing clusterName (edited releases: the config sets one meshID)", async () => {
    const base = await istio();
    const run = edit(base)
      .set("prod-gcp-usc1-istiod", "values.global.meshID", "other")
      .set("prod-aws-use1-istiod", "values.global.multiCluster", undefined)
      .run();
    const istiod = urnIn(base, "prod-aws-use1-istiod");
    expect(violationsOf(run, "istio-mesh-identity")).toEqual([
      {
        policy: "istio-mesh-identity",
        enforcement: "mandatory",
        urn: istiod,
        message:
          "cluster aws-use1: istiod values are missing mesh identity (global.multiCluster.clusterName) — set meshID (shared), clusterName (the cluster's name) and network (the cluster's own) in the istiod values",
      },
      {
        policy: "istio-mesh-identity",
        enforcement: "mandatory",
        urn: istiod,
        message:
          'clusters aws-use1, gcp-usc1: istiod releases disagree on global.meshID ({"aws-use1":"prod-mesh","gcp-usc1":"other"}) — use one meshID for every cluster (multicluster-mesh:istio.meshId)',
      },
    ]);
  });

  it("fails a shared clusterName", async () => {
    const run = edit(await istio())
      .set("prod-gcp-usc1-istiod", "values.global.multiCluster.clusterName", "aws-use1")
      .run();
    expect(messagesOf(run, "istio-mesh-identity")).toEqual([
      'clusters aws-use1, gcp-usc1: share one Istio clusterName (global.multiCluster.clusterName: "aws-use1") — give every cluster its own clusterName: its cluster name',
    ]);
  });
});

describe("eastwest-gateway-per-cluster", () => {
  const CROSS_ZONE = "service.beta.kubernetes.io/aws-load-balancer-attributes";

  it("passes replicas in three zones, a PDB, zone spread and a cross-zone NLB", async () => {
    expect(messagesOf(await istio(), "eastwest-gateway-per-cluster")).toEqual([]);
  });

  it("fails one configured replica (the chart then renders no PDB), and passes it with dev's config", async () => {
    const run = await record(istioSpec((raw) => ({ ...raw, istio: { gateway: { replicas: 1 } } })));
    const release = (c: string): string => urnIn(run, `prod-${c}-eastwest-release`);
    expect(violationsOf(run, "eastwest-gateway-per-cluster").map((v) => [v.urn, v.message])).toEqual(
      ["aws-use1", "gcp-usc1"].flatMap((c) => [
        [
          release(c),
          `cluster ${c}: the east-west gateway keeps 1 replica(s), fewer than 2 (autoscaling.minReplicas: 1) — raise multicluster-mesh:istio.gateway.replicas to 2 or more`,
        ],
        [
          release(c),
          `cluster ${c}: the east-west gateway has no PodDisruptionBudget, so a node drain can take every replica at once (podDisruptionBudget: {}) — set podDisruptionBudget.minAvailable (the chart renders it only with more than one replica)`,
        ],
      ]),
    );
    expect(
      messagesOf(run, "eastwest-gateway-per-cluster", { minReplicas: 1, requirePodDisruptionBudget: false }),
    ).toEqual([]);
  });

  it("fails each missing property, and a cluster without a gateway", async () => {
    const base = await istio();
    const run = edit(base)
      .set("prod-aws-use1-eastwest-release", "values.podDisruptionBudget", {})
      .set("prod-aws-use1-eastwest-release", "values.topologySpreadConstraints", [])
      .set("prod-aws-use1-eastwest-service", ["metadata", "annotations", CROSS_ZONE], undefined)
      .remove("prod-gcp-usc1-eastwest-release")
      .run();
    const gateway = urnIn(base, "prod-aws-use1-eastwest-release");
    expect(violationsOf(run, "eastwest-gateway-per-cluster")).toEqual([
      {
        policy: "eastwest-gateway-per-cluster",
        enforcement: "mandatory",
        urn: gateway,
        message:
          "cluster aws-use1: the east-west gateway has no PodDisruptionBudget, so a node drain can take every replica at once (podDisruptionBudget: {}) — set podDisruptionBudget.minAvailable (the chart renders it only with more than one replica)",
      },
      {
        policy: "eastwest-gateway-per-cluster",
        enforcement: "mandatory",
        urn: gateway,
        message:
          "cluster aws-use1: the east-west gateway's replicas are not spread across zones (topologySpreadConstraints: []) — add a topologySpreadConstraint on topology.kubernetes.io/zone to the gateway values",
      },
      {
        policy: "eastwest-gateway-per-cluster",
        enforcement: "mandatory",
        urn: urnIn(base, "prod-aws-use1-eastwest-service"),
        message:
          "cluster aws-use1: the east-west gateway's NLB does not balance across zones, so traffic reaching it in a zone without a healthy gateway replica is dropped (service.beta.kubernetes.io/aws-load-balancer-attributes: null) — annotate the gateway Service with service.beta.kubernetes.io/aws-load-balancer-attributes: load_balancing.cross_zone.enabled=true",
      },
      {
        policy: "eastwest-gateway-per-cluster",
        enforcement: "mandatory",
        urn: urnIn(base, "gcp-usc1-cluster"),
        message:
          "cluster gcp-usc1: has no east-west gateway of its own (gateway releases []) — install the gateway chart as istio-eastwestgateway in gcp-usc1 with its provider",
      },
    ]);
  });

  it("reads replicaCount when autoscaling is off, and the chart default of 1 when nothing is set", async () => {
    const base = await istio();
    const fixed = edit(base)
      .set("prod-aws-use1-eastwest-release", "values.autoscaling", { enabled: false })
      .set("prod-aws-use1-eastwest-release", "values.replicaCount", 4)
      .run();
    expect(messagesOf(fixed, "eastwest-gateway-per-cluster", { minReplicas: 4 })).toEqual([
      "cluster gcp-usc1: the east-west gateway keeps 3 replica(s), fewer than 4 (autoscaling.minReplicas: 3) — raise multicluster-mesh:istio.gateway.replicas to 4 or more",
    ]);
    const bare = edit(base).set("prod-gcp-usc1-eastwest-release", "values.autoscaling", undefined).run();
    expect(messagesOf(bare, "eastwest-gateway-per-cluster")).toEqual([
      "cluster gcp-usc1: the east-west gateway keeps 1 replica(s), fewer than 2 (autoscaling.minReplicas: 1) — raise multicluster-mesh:istio.gateway.replicas to 2 or more",
    ]);
  });

  it("reads the cross-zone attribute among the Service's load-balancer attributes", async () => {
    const base = await istio();
    const off = edit(base)
      .set(
        "prod-aws-use1-eastwest-service",
        ["metadata", "annotations", CROSS_ZONE],
        "load_balancing.cross_zone.enabled=false",
      )
      .run();
    expect(violationsOf(off, "eastwest-gateway-per-cluster").map((v) => [v.urn, v.message])).toEqual([
      [
        urnIn(base, "prod-aws-use1-eastwest-service"),
        'cluster aws-use1: the east-west gateway\'s NLB does not balance across zones, so traffic reaching it in a zone without a healthy gateway replica is dropped (service.beta.kubernetes.io/aws-load-balancer-attributes: "load_balancing.cross_zone.enabled=false") — annotate the gateway Service with service.beta.kubernetes.io/aws-load-balancer-attributes: load_balancing.cross_zone.enabled=true',
      ],
    ]);
    const among = edit(base)
      .set(
        "prod-aws-use1-eastwest-service",
        ["metadata", "annotations", CROSS_ZONE],
        "deletion_protection.enabled=true, load_balancing.cross_zone.enabled=true",
      )
      .run();
    expect(messagesOf(among, "eastwest-gateway-per-cluster")).toEqual([]);
  });

  it("turns single checks off by config", async () => {
    const run = edit(await istio())
      .set("prod-aws-use1-eastwest-release", "values.topologySpreadConstraints", undefined)
      .set("prod-aws-use1-eastwest-service", ["metadata", "annotations", CROSS_ZONE], undefined)
      .run();
    expect(messagesOf(run, "eastwest-gateway-per-cluster")).toHaveLength(2);
    expect(
      messagesOf(run, "eastwest-gateway-per-cluster", {
        requireZoneSpread: false,
        requireCrossZoneLoadBalancing: false,
      }),
    ).toEqual([]);
  });
});
