import { describe, expect, it } from "vitest";
import { istioFleet, messagesOf, submarinerFleet, urnOf, violationsOf } from "./support";

describe("istiod-per-cluster", () => {
  it("passes when every cluster runs its own istiod", () => {
    expect(messagesOf(istioFleet().run(), "istiod-per-cluster")).toEqual([]);
  });

  it("does not apply to a stack without istiod", () => {
    expect(messagesOf(submarinerFleet().run(), "istiod-per-cluster")).toEqual([]);
  });

  it("fails a cluster without istiod", () => {
    const b = istioFleet().remove("gke-usc1-istiod");
    expect(violationsOf(b.run(), "istiod-per-cluster")).toEqual([
      {
        policy: "istiod-per-cluster",
        enforcement: "mandatory",
        urn: urnOf("gcp:container/cluster:Cluster", "gke-usc1-cluster"),
        message:
          'cluster gke-usc1: runs no istiod of its own (Istio releases ["base","gateway"]) — install the istiod chart in every cluster with its provider (multi-primary), so no cluster depends on another\'s control plane',
      },
    ]);
  });

  it("fails primary-remote and external control-plane values", () => {
    const b = istioFleet()
      .set("gke-usc1-istiod", "values.istiodRemote", { enabled: true })
      .set("gke-usc1-istiod", "values.global.remotePilotAddress", "10.0.0.5")
      .set("aws-use1-istio-base", "values.global.externalIstiod", true);
    expect(messagesOf(b.run(), "istiod-per-cluster")).toEqual([
      "cluster aws-use1: the base release istio-base uses primary-remote or external control-plane values (global.externalIstiod=true) — remove them: every cluster runs its own istiod and reads only its own API server",
      "cluster gke-usc1: the istiod release istiod uses primary-remote or external control-plane values (istiodRemote.enabled=true, global.remotePilotAddress=10.0.0.5) — remove them: every cluster runs its own istiod and reads only its own API server",
    ]);
  });

  it("ignores the chart defaults written out (empty address, false flags)", () => {
    const b = istioFleet()
      .set("gke-usc1-istiod", "values.global.remotePilotAddress", "")
      .set("gke-usc1-istiod", "values.global.externalIstiod", false)
      .set("gke-usc1-istiod", "values.istiodRemote", { enabled: false });
    expect(messagesOf(b.run(), "istiod-per-cluster")).toEqual([]);
  });
});

describe("istio-mesh-identity", () => {
  it("passes one meshID and distinct clusterNames and networks", () => {
    expect(messagesOf(istioFleet().run(), "istio-mesh-identity")).toEqual([]);
  });

  it("fails a second meshID, a shared network and a missing clusterName", () => {
    const b = istioFleet()
      .set("gke-usc1-istiod", "values.global.meshID", "other")
      .set("gke-usc1-istiod", "values.global.network", "aws-use1")
      .set("aws-use1-istiod", "values.global.multiCluster", undefined);
    expect(violationsOf(b.run(), "istio-mesh-identity")).toEqual([
      {
        policy: "istio-mesh-identity",
        enforcement: "mandatory",
        urn: urnOf("kubernetes:helm.sh/v3:Release", "aws-use1-istiod"),
        message:
          "cluster aws-use1: istiod values are missing mesh identity (global.multiCluster.clusterName) — set meshID (shared), clusterName (the cluster's name) and network (the cluster's own) in the istiod values",
      },
      {
        policy: "istio-mesh-identity",
        enforcement: "mandatory",
        urn: urnOf("kubernetes:helm.sh/v3:Release", "aws-use1-istiod"),
        message:
          'clusters aws-use1, gke-usc1: istiod releases disagree on global.meshID ({"aws-use1":"test-mesh","gke-usc1":"other"}) — use one meshID for every cluster (multicluster-mesh:istio.meshId)',
      },
      {
        policy: "istio-mesh-identity",
        enforcement: "mandatory",
        urn: urnOf("kubernetes:helm.sh/v3:Release", "gke-usc1-istiod"),
        message:
          'clusters aws-use1, gke-usc1: share one Istio network (global.network: "aws-use1") — give every cluster its own network (multicluster-mesh:clusters[].network)',
      },
    ]);
  });

  it("fails a shared clusterName", () => {
    const b = istioFleet().set("gke-usc1-istiod", "values.global.multiCluster.clusterName", "aws-use1");
    expect(messagesOf(b.run(), "istio-mesh-identity")).toEqual([
      'clusters aws-use1, gke-usc1: share one Istio clusterName (global.multiCluster.clusterName: "aws-use1") — give every cluster its own clusterName: its cluster name',
    ]);
  });
});

describe("eastwest-gateway-per-cluster", () => {
  it("passes 2 replicas, a PDB, zone spread and a cross-zone NLB", () => {
    expect(messagesOf(istioFleet().run(), "eastwest-gateway-per-cluster")).toEqual([]);
  });

  it("fails each missing property, and a cluster without a gateway", () => {
    const b = istioFleet()
      .set("aws-use1-eastwest", "values.autoscaling.minReplicas", 1)
      .set("aws-use1-eastwest", "values.podDisruptionBudget", {})
      .set("aws-use1-eastwest", "values.topologySpreadConstraints", [])
      .set("aws-use1-eastwest", "values.service.annotations", {})
      .remove("gke-usc1-eastwest");
    const gateway = urnOf("kubernetes:helm.sh/v3:Release", "aws-use1-eastwest");
    expect(violationsOf(b.run(), "eastwest-gateway-per-cluster")).toEqual([
      {
        policy: "eastwest-gateway-per-cluster",
        enforcement: "mandatory",
        urn: gateway,
        message:
          "cluster aws-use1: the east-west gateway keeps 1 replica(s), fewer than 2 (autoscaling.minReplicas: 1) — raise multicluster-mesh:istio.gateway.replicas to 2 or more",
      },
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
        urn: gateway,
        message:
          "cluster aws-use1: the east-west gateway's NLB does not balance across zones, so traffic reaching it in a zone without a healthy gateway replica is dropped (service.beta.kubernetes.io/aws-load-balancer-attributes: null) — annotate the gateway Service with service.beta.kubernetes.io/aws-load-balancer-attributes: load_balancing.cross_zone.enabled=true",
      },
      {
        policy: "eastwest-gateway-per-cluster",
        enforcement: "mandatory",
        urn: urnOf("gcp:container/cluster:Cluster", "gke-usc1-cluster"),
        message:
          "cluster gke-usc1: has no east-west gateway of its own (gateway releases []) — install the gateway chart as istio-eastwestgateway in gke-usc1 with its provider",
      },
    ]);
  });

  it("reads replicaCount when autoscaling is off, and the chart default of 1 when nothing is set", () => {
    const fixed = istioFleet()
      .set("aws-use1-eastwest", "values.autoscaling", { enabled: false })
      .set("aws-use1-eastwest", "values.replicaCount", 3);
    expect(messagesOf(fixed.run(), "eastwest-gateway-per-cluster", { minReplicas: 3 })).toEqual([
      "cluster gke-usc1: the east-west gateway keeps 2 replica(s), fewer than 3 (autoscaling.minReplicas: 2) — raise multicluster-mesh:istio.gateway.replicas to 3 or more",
    ]);
    const bare = istioFleet().set("gke-usc1-eastwest", "values.autoscaling", undefined);
    expect(messagesOf(bare.run(), "eastwest-gateway-per-cluster")).toEqual([
      "cluster gke-usc1: the east-west gateway keeps 1 replica(s), fewer than 2 (autoscaling.minReplicas: 1) — raise multicluster-mesh:istio.gateway.replicas to 2 or more",
    ]);
  });

  it("takes the cross-zone annotation from the east-west Service when the program creates one", () => {
    const b = istioFleet().set("aws-use1-eastwest", "values.service.annotations", {});
    const service = b.add(
      "kubernetes:core/v1:Service",
      "aws-use1-eastwest-service",
      {
        metadata: {
          name: "istio-eastwestgateway",
          namespace: "istio-system",
          labels: { istio: "eastwestgateway" },
          annotations: {
            "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=false",
          },
        },
        spec: { type: "LoadBalancer" },
      },
      { provider: urnOf("pulumi:providers:kubernetes", "aws-use1-k8s") },
    );
    expect(violationsOf(b.run(), "eastwest-gateway-per-cluster").map((v) => [v.urn, v.message])).toEqual([
      [
        service,
        'cluster aws-use1: the east-west gateway\'s NLB does not balance across zones, so traffic reaching it in a zone without a healthy gateway replica is dropped (service.beta.kubernetes.io/aws-load-balancer-attributes: "load_balancing.cross_zone.enabled=false") — annotate the gateway Service with service.beta.kubernetes.io/aws-load-balancer-attributes: load_balancing.cross_zone.enabled=true',
      ],
    ]);
    b.set("aws-use1-eastwest-service", "metadata.annotations", {
      "service.beta.kubernetes.io/aws-load-balancer-attributes":
        "deletion_protection.enabled=true, load_balancing.cross_zone.enabled=true",
    });
    expect(messagesOf(b.run(), "eastwest-gateway-per-cluster")).toEqual([]);
  });

  it("turns single checks off by config (dev: one replica, no PDB)", () => {
    const b = istioFleet()
      .set("aws-use1-eastwest", "values.autoscaling.minReplicas", 1)
      .set("aws-use1-eastwest", "values.podDisruptionBudget", undefined);
    expect(
      messagesOf(b.run(), "eastwest-gateway-per-cluster", { minReplicas: 1, requirePodDisruptionBudget: false }),
    ).toEqual([]);
    const spread = istioFleet()
      .set("aws-use1-eastwest", "values.topologySpreadConstraints", undefined)
      .set("aws-use1-eastwest", "values.service", undefined);
    expect(
      messagesOf(spread.run(), "eastwest-gateway-per-cluster", {
        requireZoneSpread: false,
        requireCrossZoneLoadBalancing: false,
      }),
    ).toEqual([]);
  });
});
