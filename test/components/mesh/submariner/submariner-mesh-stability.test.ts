import { describe, expect, it } from "vitest";
import type { MeshCluster } from "../../../../components/cluster/contract";
import { SubmarinerJoin } from "../../../../components/mesh/submariner/submariner-join";
import { SubmarinerMesh } from "../../../../components/mesh/submariner/submariner-mesh";
import { submarinerSchema } from "../../../../plan/spec";
import type { ClusterAddresses } from "../../../../plan/addresses-types";
import { planSubmarinerTopology, type SubmarinerMember } from "../../../../plan/interconnect/submariner/topology";
import { byName, byType, type MockRun, type RecordedResource } from "../../../../tools/mock-runtime";
import { AWS0, AWS2, GCP1, GCP3, runMesh } from "./harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";

function byUrn(run: MockRun): Map<string, RecordedResource> {
  return new Map(run.resources.map((r) => [r.urn, r]));
}

describe("identity: adding or reordering clusters changes nothing that exists", () => {
  it("appending a cluster only adds that cluster's resources; every other resource is recorded identically", async () => {
    const three = await runMesh([AWS0, GCP1, AWS2]);
    const four = await runMesh([AWS0, GCP1, AWS2, GCP3]);
    const after = byUrn(four.run);
    for (const r of three.run.resources) {
      expect(after.get(r.urn), r.urn).toEqual(r);
    }
    const added = four.run.resources.filter((r) => !byUrn(three.run).has(r.urn)).map((r) => r.name);
    expect(added.sort()).toEqual(
      [
        "gcp-euw4-k8s",
        "gcp-euw4-nodes",
        "test-join-gcp-euw4",
        "test-join-gcp-euw4-operator",
        "test-join-gcp-euw4-lighthouse-dns",
        "test-join-gcp-euw4-kube-dns-stub",
      ].sort(),
    );
    for (const name of Object.keys(three.revealed)) {
      expect(four.revealed[name], name).toEqual(three.revealed[name]);
    }
    expect(four.run.outputs["brokerCluster"]).toBe("aws-use1");
  });

  it("reordering the clusters records the same resources and values", async () => {
    const listed = await runMesh([AWS0, GCP1, AWS2]);
    const reordered = await runMesh([AWS2, GCP1, AWS0]);
    expect(reordered.run.resources).toEqual(listed.run.resources);
    expect(reordered.revealed).toEqual(listed.revealed);
    expect(reordered.run.outputs["brokerCluster"]).toBe("aws-use1");
  });
});

describe("options", () => {
  it("an explicit broker cluster moves the broker and every join's server there", async () => {
    const m = await runMesh([AWS0, GCP1, AWS2], { brokerCluster: "gcp-usc1" });
    const broker = byType(m.run, RELEASE).filter((r) => r.inputs["chart"] === "submariner-k8s-broker");
    expect(broker.map((r) => r.provider)).toEqual([byName(m.run, "gcp-usc1-k8s").urn]);
    for (const c of [AWS0, GCP1, AWS2]) {
      const values = m.values[`test-join-${c.cluster}-operator`] as { broker: { server: string } };
      expect(values.broker.server).toBe("198.51.100.2");
    }
  });

  it("Globalnet passes each cluster its planned global range and turns on the chart's Globalnet RBAC", async () => {
    const m = await runMesh([AWS0, GCP1, AWS2], { globalnet: true, cableDriver: "wireguard", natEnabled: false });
    for (const c of [AWS0, GCP1, AWS2]) {
      const values = m.values[`test-join-${c.cluster}-operator`] as {
        submariner: Record<string, unknown>;
        broker: Record<string, unknown>;
      };
      expect(values.submariner).toEqual({
        clusterId: c.cluster,
        clusterCidr: c.pods,
        serviceCidr: c.services,
        globalCidr: `242.${c.slot}.0.0/16`,
        natEnabled: false,
        cableDriver: "wireguard",
        serviceDiscovery: true,
      });
      expect(values.broker["globalnet"]).toBe(true);
    }
  });

  it("a dedicated broker cluster hosts the broker and is not joined", async () => {
    const m = await runMesh([AWS0, GCP1, AWS2], { brokerCluster: "aws-use1", dedicatedBrokerCluster: true });
    const awsUse1 = byName(m.run, "aws-use1-k8s").urn;
    const inBroker = m.run.resources.filter((r) => r.provider === awsUse1).map((r) => r.name);
    expect(inBroker.sort()).toEqual(["test-broker-client", "test-broker-client-token", "test-broker-release"]);
    expect(m.run.outputs).toEqual({
      brokerCluster: "aws-use1",
      clusterIds: { "gcp-usc1": "gcp-usc1", "aws-euw1": "aws-euw1" },
    });
  });
});

/** Only what the argument checks read (they run before anything is registered, so no mock run is needed). */
function bareCluster(addresses: ClusterAddresses): MeshCluster {
  return { name: addresses.cluster, addresses } as unknown as MeshCluster;
}

describe("argument checks, before anything is registered", () => {
  const spec = submarinerSchema.parse({});

  it("SubmarinerMesh refuses a topology planned for other clusters or settings, listing every mismatch", () => {
    const topology = planSubmarinerTopology(spec, [AWS0, GCP1, AWS2]);
    const clusters = [bareCluster({ ...GCP1, services: "10.200.0.0/20" }), bareCluster(AWS2)];
    expect(() => new SubmarinerMesh("test", { clusters, spec: { ...spec, globalnet: true }, topology })).toThrow(
      [
        "SubmarinerMesh test: the topology does not match the clusters and spec:",
        "  the topology was planned with globalnet false, the spec says true",
        "  the broker cluster aws-use1 is not among the clusters given",
        "  member aws-use1 is not among the clusters given",
        "  member gcp-usc1 was planned with pods 10.6.0.0/16 and services 10.5.0.0/20, but the cluster has 10.6.0.0/16 and 10.200.0.0/20",
      ].join("\n"),
    );
  });

  it("SubmarinerJoin refuses another cluster's plan", () => {
    const member = planSubmarinerTopology(spec, [AWS0]).members[0] as SubmarinerMember;
    const broker = { server: "h", token: "t", ca: "c", namespace: "submariner-k8s-broker", dependsOn: [] };
    expect(() => new SubmarinerJoin("j", { cluster: bareCluster(AWS2), member, spec, broker, psk: "p" })).toThrow(
      "SubmarinerJoin j: the plan is for cluster aws-use1, the cluster given is aws-euw1",
    );
  });
});
