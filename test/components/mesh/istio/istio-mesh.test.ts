import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { byName, byType, type MockRun, type RecordedResource } from "../../../../tools/mock-runtime";
import { type ClusterShape, withoutTypeMeta } from "./members";
import {
  deps,
  expectedFor,
  FLEETS,
  k8sProvider,
  MESH,
  type MeshOutputs,
  meshResources,
  meshRun,
  values,
} from "./mesh-run";

describe.each([2, 3, 5])("IstioMesh over %i clusters", (n) => {
  const shapes = FLEETS[n] as readonly ClusterShape[];
  const names = shapes.map((s) => s.name);
  let runP: MockRun & { out: MeshOutputs };
  // One mock run at a time per process: each fleet is evaluated once, before its tests.
  beforeAll(async () => {
    runP = await meshRun(shapes);
  });

  it("creates exactly base, istiod, policies, gateway and token per cluster, and N·(N−1) remote secrets", async () => {
    const run = runP;
    const expected = [
      "multicluster-mesh:mesh/istio:IstioMesh::prod",
      ...names.flatMap((c) =>
        expectedFor(
          c,
          names.filter((o) => o !== c),
        ),
      ),
    ].sort();
    expect(
      meshResources(run)
        .map((r) => `${r.type}::${r.name}`)
        .sort(),
    ).toEqual(expected);
    expect(meshResources(run).filter((r) => r.name.includes("-remote-secrets-"))).toHaveLength(n * (n - 1));
  });

  it("puts every Kubernetes resource on its own cluster's provider, remote secrets on the holder's", async () => {
    const run = runP;
    for (const r of meshResources(run).filter((x) => x.type.startsWith("kubernetes:"))) {
      const holder = names.find((c) => r.name.startsWith(`prod-${c}-`));
      expect(holder, r.name).toBeDefined();
      expect(r.provider, r.name).toBe(k8sProvider(run, holder as string));
    }
  });

  it("nests children under their cluster, its gateway, or the secrets' holder", async () => {
    const run = runP;
    for (const c of names) {
      const cluster = byName(run, `prod-${c}`);
      expect(cluster.parent).toBe(MESH);
      for (const role of ["base", "istiod", "mtls", "locality-failover", "reader-token", "eastwest"]) {
        expect(byName(run, `prod-${c}-${role}`).parent).toBe(cluster.urn);
      }
      const gateway = byName(run, `prod-${c}-eastwest`);
      for (const role of ["release", "service", "cross-network"]) {
        expect(byName(run, `prod-${c}-eastwest-${role}`).parent).toBe(gateway.urn);
      }
      const held = byName(run, `prod-${c}-remote-secrets`);
      expect(held.parent).toBe(MESH);
      for (const a of names.filter((o) => o !== c)) {
        expect(byName(run, `prod-${c}-remote-secrets-${a}`).parent).toBe(held.urn);
      }
    }
  });

  it("installs base and istiod from the pinned chart; one meshID, unique clusterNames and networks equal to the remote-secret keys", async () => {
    const run = runP;
    const istiods = names.map((c) => byName(run, `prod-${c}-istiod`));
    for (const [i, r] of istiods.entries()) {
      expect(r.inputs).toMatchObject({
        name: "istiod",
        chart: "istiod",
        version: "1.28.0",
        namespace: "istio-system",
        repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" },
      });
      expect(values(r)["global"]).toEqual({
        meshID: "prod-mesh",
        multiCluster: { clusterName: names[i] },
        network: names[i],
      });
      expect(values(r)["meshConfig"]).toEqual({
        defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } },
        localityLbSetting: { enabled: true },
        tcpKeepalive: { time: "120s", interval: "30s", probes: 3 },
      });
      expect(values(r)["env"]).toBeUndefined();
    }
    const globals = istiods.map(
      (r) => values(r)["global"] as { meshID: string; multiCluster: { clusterName: string }; network: string },
    );
    expect(new Set(globals.map((g) => g.meshID)).size).toBe(1);
    const clusterNames = globals.map((g) => g.multiCluster.clusterName);
    expect(new Set(clusterNames).size).toBe(n);
    expect(new Set(globals.map((g) => g.network)).size).toBe(n);
    const keys = new Set(Object.values(run.out.remoteSecretData).flatMap((d) => Object.keys(d)));
    expect([...keys].sort()).toEqual([...clusterNames].sort());
    for (const c of names) {
      expect(byName(run, `prod-${c}-base`).inputs).toMatchObject({
        name: "istio-base",
        chart: "base",
        version: "1.28.0",
        namespace: "istio-system",
        values: { defaultRevision: "default" },
      });
    }
  });

  it("orders each cluster: namespace → base → (cacerts) istiod → policies, gateway, token → remote secrets", async () => {
    const run = runP;
    for (const c of names) {
      const p = `prod-${c}`;
      const ready = `kubernetes:core/v1:ConfigMap::${c}-ready`;
      const ns = `kubernetes:core/v1:Namespace::${c}-istio-system`;
      const istiod = `kubernetes:helm.sh/v3:Release::${p}-istiod`;
      const release = `kubernetes:helm.sh/v3:Release::${p}-eastwest-release`;
      expect(deps(run, `${p}-base`)).toEqual([ready, ns].sort());
      expect(deps(run, `${p}-istiod`)).toEqual(
        [ready, ns, `kubernetes:core/v1:Secret::${c}-cacerts`, `kubernetes:helm.sh/v3:Release::${p}-base`].sort(),
      );
      expect(deps(run, `${p}-mtls`)).toEqual([istiod]);
      expect(deps(run, `${p}-locality-failover`)).toEqual([istiod]);
      expect(deps(run, `${p}-eastwest-release`)).toEqual([ready, istiod].sort());
      expect(deps(run, `${p}-eastwest-service`)).toEqual([ready, release].sort());
      expect(deps(run, `${p}-eastwest-cross-network`)).toEqual([release]);
      expect(deps(run, `${p}-reader-token`)).toEqual([`kubernetes:helm.sh/v3:Release::${p}-base`, istiod].sort());
      for (const a of names.filter((o) => o !== c)) {
        expect(deps(run, `${p}-remote-secrets-${a}`)).toEqual(
          [ns, `kubernetes:core/v1:Secret::prod-${a}-reader-token`, istiod].sort(),
        );
      }
    }
  });

  it("creates in every cluster the reader token, STRICT PeerAuthentication and the cross-network Gateway", async () => {
    const run = runP;
    for (const c of names) {
      expect(byName(run, `prod-${c}-reader-token`).inputs).toEqual({
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
          name: "istio-reader-service-account-istio-remote-secret-token",
          namespace: "istio-system",
          annotations: { "kubernetes.io/service-account.name": "istio-reader-service-account" },
        },
        type: "kubernetes.io/service-account-token",
      });
      expect(byName(run, `prod-${c}-mtls`).inputs).toEqual({
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: "istio-system" },
        spec: { mtls: { mode: "STRICT" } },
      });
      expect(byName(run, `prod-${c}-eastwest-cross-network`).inputs).toEqual({
        apiVersion: "networking.istio.io/v1",
        kind: "Gateway",
        metadata: { name: "cross-network-gateway", namespace: "istio-system" },
        spec: {
          selector: { istio: "eastwestgateway" },
          servers: [
            {
              port: { number: 15443, name: "tls", protocol: "TLS" },
              tls: { mode: "AUTO_PASSTHROUGH" },
              hosts: ["*.local"],
            },
          ],
        },
      });
    }
  });

  it("writes, in every cluster B, istio-remote-secret-<A> for every other A: labelled, annotated, one secret kubeconfig key", async () => {
    const run = runP;
    for (const b of names) {
      for (const a of names.filter((o) => o !== b)) {
        const r = byName(run, `prod-${b}-remote-secrets-${a}`);
        expect(r.inputs).toEqual({
          apiVersion: "v1",
          kind: "Secret",
          metadata: {
            name: `istio-remote-secret-${a}`,
            namespace: "istio-system",
            labels: { "istio/multiCluster": "true" },
            annotations: { "networking.istio.io/cluster": a },
          },
          type: "Opaque",
          stringData: "[secret]",
        });
        const data = run.out.remoteSecretData[`${b}<-${a}`] as Record<string, string>;
        expect(Object.keys(data)).toEqual([a]);
        const kubeconfig = parse(data[a] as string) as {
          clusters: { cluster: Record<string, string> }[];
          users: { user: Record<string, string> }[];
        };
        const shape = shapes.find((s) => s.name === a) as ClusterShape;
        const slot = shapes.indexOf(shape);
        const endpoint =
          shape.cloud === "gcp"
            ? `https://198.51.100.${slot + 1}`
            : `https://${a.toUpperCase()}.gr7.${shape.region ?? "us-east-1"}.eks.amazonaws.com`;
        expect(kubeconfig.clusters[0]?.cluster).toEqual({
          server: endpoint,
          "certificate-authority-data": Buffer.from(`CA of ${a}`).toString("base64"),
        });
        const token = Buffer.from(run.out.tokens[a]?.["token"] as string, "base64").toString();
        expect(token).toMatch(/^eyJ/);
        expect(kubeconfig.users[0]?.user).toEqual({ token });
      }
    }
  });

  it("exports every gateway's load balancer address: an NLB hostname on AWS, an IP elsewhere", async () => {
    const run = runP;
    expect(Object.keys(run.out.gatewayAddresses).sort()).toEqual([...names].sort());
    for (const s of shapes) {
      const address = run.out.gatewayAddresses[s.name];
      if (s.cloud === "aws") {
        expect(address).toMatch(new RegExp(`^k8s-[0-9a-f]{20}\\.elb\\.${s.region}\\.amazonaws\\.com$`));
      } else {
        expect(address).toMatch(/^203\.0\.113\.\d+$/);
      }
    }
  });

  it("generates Kubernetes and Istio objects that pass the upstream schemas", async () => {
    const run = runP;
    // The models set apiVersion/kind themselves (networking and security v1beta1: the same spec schema as v1).
    const body = (r: RecordedResource): Record<string, unknown> => {
      return withoutTypeMeta(r.inputs);
    };
    for (const r of byType(run, "kubernetes:core/v1:Service")) {
      expect(() => new Service(body(r) as never).validate(), r.name).not.toThrow();
    }
    for (const r of byType(run, "kubernetes:networking.istio.io/v1:Gateway")) {
      expect(() => new Gateway(body(r) as never).validate(), r.name).not.toThrow();
    }
    for (const r of byType(run, "kubernetes:security.istio.io/v1:PeerAuthentication")) {
      expect(() => new PeerAuthentication(body(r) as never).validate(), r.name).not.toThrow();
    }
    for (const r of byType(run, "kubernetes:networking.istio.io/v1:DestinationRule")) {
      expect(() => new DestinationRule(body(r) as never).validate(), r.name).not.toThrow();
    }
    for (const c of names) {
      expect(() => new Secret(body(byName(run, `prod-${c}-reader-token`)) as never).validate()).not.toThrow();
      for (const a of names.filter((o) => o !== c)) {
        const secret = {
          ...body(byName(run, `prod-${c}-remote-secrets-${a}`)),
          stringData: run.out.remoteSecretData[`${c}<-${a}`],
        };
        expect(() => new Secret(secret as never).validate(), `${c}<-${a}`).not.toThrow();
      }
    }
  });
});
