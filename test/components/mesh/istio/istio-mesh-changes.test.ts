import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { MeshCluster } from "../../../../components/cluster/contract";
import { IstioMesh, type IstioMeshMember } from "../../../../components/mesh/istio/istio-mesh";
import { byName, byType } from "../../../../tools/mock-runtime";
import { type ClusterShape, topologyOf } from "./members";
import { AWS_USE1, defaultIstio, expectedFor, FLEETS, GCP_EUW4, meshResources, meshRun, values } from "./mesh-run";

describe("IstioMesh as the fleet changes", () => {
  it("adding a cluster adds exactly its resources and pairs and changes nothing that existed", async () => {
    const before = await meshRun(FLEETS[3] as readonly ClusterShape[]);
    const after = await meshRun([...(FLEETS[3] as readonly ClusterShape[]), GCP_EUW4]);
    const afterByUrn = new Map(after.resources.map((r) => [r.urn, r]));
    for (const r of before.resources) {
      expect(afterByUrn.get(r.urn), r.urn).toEqual(r);
    }
    const added = after.resources
      .filter((r) => !before.resources.some((b) => b.urn === r.urn))
      .map((r) => `${r.type}::${r.name}`);
    const olds = ["aws-use1", "gcp-usc1", "aws-euw1"];
    expect(added.sort()).toEqual(
      [
        // The new cluster's own fixture (provider, readiness, trust outputs) ...
        "pulumi:providers:kubernetes::gcp-euw4-k8s",
        "kubernetes:core/v1:ConfigMap::gcp-euw4-ready",
        "kubernetes:core/v1:Namespace::gcp-euw4-istio-system",
        "kubernetes:core/v1:Secret::gcp-euw4-cacerts",
        // ... its part of the mesh and the secrets it holds ...
        ...expectedFor("gcp-euw4", olds),
        // ... and one new secret in every existing cluster.
        ...olds.map((b) => `kubernetes:core/v1:Secret::prod-${b}-remote-secrets-gcp-euw4`),
      ].sort(),
    );
    expect(added.filter((a) => a.includes("-remote-secrets-"))).toHaveLength(4 * 3 - 3 * 2);
    for (const [pair, data] of Object.entries(before.out.remoteSecretData)) {
      expect(after.out.remoteSecretData[pair], pair).toEqual(data);
    }
  });

  it("a mesh of one cluster has no remote secrets", async () => {
    const run = await meshRun([AWS_USE1]);
    expect(
      meshResources(run)
        .map((r) => `${r.type}::${r.name}`)
        .sort(),
    ).toEqual(["multicluster-mesh:mesh/istio:IstioMesh::prod", ...expectedFor("aws-use1", [])].sort());
  });
});

describe("IstioMesh settings from the stack file", () => {
  it("runs istiod and proxies in multi-root mode while the trust plan trusts two roots", async () => {
    const run = await meshRun(FLEETS[2] as readonly ClusterShape[], defaultIstio(), true);
    for (const c of ["aws-use1", "gcp-usc1"]) {
      const v = values(byName(run, `prod-${c}-istiod`));
      expect(v["env"]).toEqual({ ISTIO_MULTIROOT_MESH: "true" });
      expect(v["meshConfig"]).toEqual({
        defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true", PROXY_CONFIG_XDS_AGENT: "true" } },
        localityLbSetting: { enabled: true },
        tcpKeepalive: { time: "120s", interval: "30s", probes: 3 },
      });
    }
  });

  it("follows version, revision, mTLS mode and the locality-failover switch", async () => {
    const istio = defaultIstio({
      version: "1.27.3",
      revision: "canary",
      mtls: "PERMISSIVE",
      localityFailover: false,
      meshId: "acme",
    });
    const run = await meshRun(FLEETS[2] as readonly ClusterShape[], istio);
    const istiod = byName(run, "prod-aws-use1-istiod");
    expect(istiod.inputs).toMatchObject({ name: "istiod-canary", version: "1.27.3" });
    expect(values(istiod)).toMatchObject({ revision: "canary", global: { meshID: "acme" } });
    expect(values(istiod)["meshConfig"]).toEqual({
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } },
      tcpKeepalive: { time: "120s", interval: "30s", probes: 3 },
    });
    expect(byName(run, "prod-aws-use1-base").inputs).toMatchObject({
      version: "1.27.3",
      values: { defaultRevision: "canary" },
    });
    expect(byName(run, "prod-aws-use1-eastwest-release").inputs).toMatchObject({
      version: "1.27.3",
      values: { revision: "canary" },
    });
    expect(byName(run, "prod-gcp-usc1-mtls").inputs["spec"]).toEqual({ mtls: { mode: "PERMISSIVE" } });
    expect(byType(run, "kubernetes:networking.istio.io/v1:DestinationRule")).toEqual([]);
  });

  it("refuses a topology that names a cluster it was not given, before registering anything", () => {
    // Nothing is registered, so plain stand-ins for the clusters suffice (no mock run).
    const stub = (name: string, cloud: "aws" | "gcp"): IstioMeshMember => ({
      cluster: { name, cloud, network: name } as MeshCluster,
      namespace: "istio-system",
      cacerts: {} as pulumi.Resource,
    });
    expect(
      () =>
        new IstioMesh("prod", {
          clusters: [stub("aws-use1", "aws")],
          topology: topologyOf("mesh", [stub("aws-use1", "aws"), stub("gcp-usc1", "gcp")]),
          istio: defaultIstio(),
          multiRoot: false,
        }),
    ).toThrow("IstioMesh: no cluster named gcp-usc1");
  });
});
