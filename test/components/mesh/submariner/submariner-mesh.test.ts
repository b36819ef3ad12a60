import { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import { beforeAll, describe, expect, it } from "vitest";
import { isInside } from "../../../../plan/cidr";
import { digest, fakePem } from "../../../../tools/mock-answers";
import { byName, byType, SECRET } from "../../../../tools/mock-runtime";
import { AWS0, AWS2, GCP1, type MeshRun, runMesh } from "./harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CLUSTERS = [AWS0, GCP1, AWS2];
const STACK_URN = "urn:pulumi:test::multicluster-mesh::pulumi:pulumi:Stack::multicluster-mesh-test";

let m: MeshRun;
const urn = (name: string): string => byName(m.run, name).urn;
const providerOf = (cluster: string): string => urn(`${cluster}-k8s`);

beforeAll(async () => {
  m = await runMesh(CLUSTERS);
});

describe("SubmarinerMesh over AWS (slot 0), GCP (slot 1), AWS (slot 2)", () => {
  it("creates exactly the broker, the PSK and one join per cluster, with stable names", () => {
    const ours = m.run.resources
      .filter((r) => !r.type.startsWith("pulumi:") && r.type !== "multicluster-mesh:test:Ready")
      .map((r) => `${r.type} ${r.name}`)
      .sort();
    expect(ours).toEqual(
      [
        "multicluster-mesh:mesh/submariner:SubmarinerMesh test",
        "multicluster-mesh:mesh/submariner:SubmarinerBroker test-broker",
        "kubernetes:helm.sh/v3:Release test-broker-release",
        "kubernetes:core/v1:ServiceAccount test-broker-client",
        "kubernetes:core/v1:Secret test-broker-client-token",
        "random:index/randomPassword:RandomPassword test-psk",
        ...["aws-use1", "gcp-usc1", "aws-euw1"].flatMap((c) => [
          `multicluster-mesh:mesh/submariner:SubmarinerJoin test-join-${c}`,
          `kubernetes:helm.sh/v3:Release test-join-${c}-operator`,
        ]),
        "kubernetes:core/v1:Service test-join-gcp-usc1-lighthouse-dns",
        "kubernetes:core/v1:ConfigMapPatch test-join-gcp-usc1-kube-dns-stub",
      ].sort(),
    );
    expect(byName(m.run, "test").parent).toBe(STACK_URN);
    for (const child of ["test-broker", "test-psk", "test-join-aws-use1", "test-join-gcp-usc1", "test-join-aws-euw1"]) {
      expect(byName(m.run, child).parent).toBe(urn("test"));
    }
  });

  it("installs exactly one broker, in the lowest-slot cluster, after that cluster is ready", () => {
    const brokers = byType(m.run, RELEASE).filter((r) => r.inputs["chart"] === "submariner-k8s-broker");
    expect(brokers.map((r) => r.name)).toEqual(["test-broker-release"]);
    const broker = brokers[0];
    expect(broker?.provider).toBe(providerOf("aws-use1"));
    expect(broker?.parent).toBe(urn("test-broker"));
    expect(broker?.dependsOn).toEqual([urn("aws-use1-nodes")]);
    expect(broker?.inputs).toEqual({
      name: "submariner-k8s-broker",
      chart: "submariner-k8s-broker",
      version: "0.18.1",
      repositoryOpts: { repo: "https://submariner-io.github.io/submariner-charts/charts" },
      namespace: "submariner-k8s-broker",
      createNamespace: true,
      compat: "true",
      values: { serviceAccounts: { client: { create: false, name: "submariner-k8s-broker-client" } } },
    });
  });

  it("gives the broker one client service account and a token secret for it, in the broker namespace", () => {
    const sa = byName(m.run, "test-broker-client");
    const token = byName(m.run, "test-broker-client-token");
    expect(sa.provider).toBe(providerOf("aws-use1"));
    expect(token.provider).toBe(providerOf("aws-use1"));
    expect(sa.dependsOn).toEqual([urn("test-broker-release")]);
    expect(token.dependsOn).toEqual([urn("test-broker-client")]);
    expect(sa.inputs["metadata"]).toEqual({ name: "submariner-k8s-broker-client", namespace: "submariner-k8s-broker" });
    expect(token.inputs).toMatchObject({
      type: "kubernetes.io/service-account-token",
      metadata: {
        name: "submariner-k8s-broker-client-token",
        namespace: "submariner-k8s-broker",
        annotations: { "kubernetes.io/service-account.name": "submariner-k8s-broker-client" },
      },
    });
    expect(() => new ServiceAccount(sa.inputs as never).validate()).not.toThrow();
    expect(() => new Secret(token.inputs as never).validate()).not.toThrow();
  });

  it("generates one 64-character IPsec PSK without special characters", () => {
    expect(byName(m.run, "test-psk").inputs).toEqual({ length: 64, special: false, minUpper: 1, minLower: 1 });
  });

  it("joins every cluster through its own provider, after the broker, its token and the cluster's nodes", () => {
    for (const c of CLUSTERS) {
      const op = byName(m.run, `test-join-${c.cluster}-operator`);
      expect(op.type).toBe(RELEASE);
      expect(op.provider).toBe(providerOf(c.cluster));
      expect(op.parent).toBe(urn(`test-join-${c.cluster}`));
      expect(op.dependsOn).toEqual([
        urn("test-broker-release"),
        urn("test-broker-client-token"),
        urn(`${c.cluster}-nodes`),
      ]);
      expect(op.inputs).toEqual({
        name: "submariner-operator",
        chart: "submariner-operator",
        version: "0.18.1",
        repositoryOpts: { repo: "https://submariner-io.github.io/submariner-charts/charts" },
        namespace: "submariner-operator",
        createNamespace: true,
        compat: "true",
        // Recorded as the offline plan shows it: every value reviewable, only token, CA and PSK redacted.
        values: m.values[`test-join-${c.cluster}-operator`],
      });
      expect(JSON.stringify(op.inputs)).toContain('"token":"[secret]"');
    }
  });

  it("passes each cluster its id and planned ranges, a schemeless broker server, and secret token, CA and PSK", () => {
    const server = "AWS-USE1.gr7.us-east-1.eks.amazonaws.com";
    for (const c of CLUSTERS) {
      expect(m.values[`test-join-${c.cluster}-operator`]).toEqual({
        submariner: {
          clusterId: c.cluster,
          clusterCidr: c.pods,
          serviceCidr: c.services,
          natEnabled: true,
          cableDriver: "libreswan",
          serviceDiscovery: true,
        },
        broker: { server, token: SECRET, ca: SECRET, namespace: "submariner-k8s-broker", globalnet: false },
        ipsec: { psk: SECRET },
      });
    }
    const ids = CLUSTERS.map(
      (c) =>
        (m.values[`test-join-${c.cluster}-operator`] as { submariner: { clusterId: string } }).submariner.clusterId,
    );
    expect(new Set(ids).size).toBe(3);
    expect(server).not.toContain("://");
  });

  it("decodes the client token, keeps the CA base64, and shares one PSK", () => {
    const expectedToken = `eyJhbGciOiJSUzI1NiJ9.${digest("token", "test-broker-client-token").slice(0, 48)}.${digest("sig", "test-broker-client-token").slice(0, 43)}`;
    const expectedCa = Buffer.from(fakePem("CERTIFICATE", "sa-ca-test-broker-client-token")).toString("base64");
    const revealed = CLUSTERS.map(
      (c) =>
        m.revealed[`test-join-${c.cluster}-operator`] as { broker: Record<string, string>; ipsec: { psk: string } },
    );
    for (const v of revealed) {
      expect(v.broker["token"]).toBe(expectedToken);
      expect(v.broker["ca"]).toBe(expectedCa);
      expect(v.ipsec.psk).toMatch(/^[A-Za-z0-9]{64}$/);
      expect(v.ipsec.psk).toBe(revealed[0]?.ipsec.psk);
    }
  });

  it("adds the clusterset.local stub domain to kube-dns on the GKE cluster only", () => {
    const gcpProvider = providerOf("gcp-usc1");
    const services = byType(m.run, "kubernetes:core/v1:Service");
    const patches = byType(m.run, "kubernetes:core/v1:ConfigMapPatch");
    expect(services.map((r) => r.provider)).toEqual([gcpProvider]);
    expect(patches.map((r) => r.provider)).toEqual([gcpProvider]);

    const service = byName(m.run, "test-join-gcp-usc1-lighthouse-dns");
    const ip = "10.5.0.12";
    expect(isInside(`${ip}/32`, GCP1.services)).toBe(true);
    expect(service.dependsOn).toEqual([urn("test-join-gcp-usc1-operator")]);
    expect(service.inputs).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "submariner-lighthouse-coredns-stub",
        namespace: "submariner-operator",
        annotations: { "pulumi.com/skipAwait": "true" },
      },
      spec: {
        type: "ClusterIP",
        clusterIP: ip,
        selector: { app: "submariner-lighthouse-coredns" },
        ports: [
          { name: "udp", protocol: "UDP", port: 53, targetPort: 53 },
          { name: "tcp", protocol: "TCP", port: 53, targetPort: 53 },
        ],
      },
    });
    expect(() => new Service(service.inputs as never).validate()).not.toThrow();

    const patch = byName(m.run, "test-join-gcp-usc1-kube-dns-stub");
    expect(patch.dependsOn).toEqual([urn("test-join-gcp-usc1-lighthouse-dns")]);
    expect(patch.inputs["metadata"]).toEqual({
      name: "kube-dns",
      namespace: "kube-system",
      annotations: { "pulumi.com/patchForce": "true" },
    });
    const data = patch.inputs["data"] as Record<string, string>;
    expect(JSON.parse(data["stubDomains"] as string)).toEqual({ "clusterset.local": [ip] });
    expect(() => new ConfigMap(patch.inputs as never).validate()).not.toThrow();
  });

  it("exports the broker cluster and every clusterId", () => {
    expect(m.run.outputs).toEqual({
      brokerCluster: "aws-use1",
      clusterIds: { "aws-use1": "aws-use1", "gcp-usc1": "gcp-usc1", "aws-euw1": "aws-euw1" },
    });
  });
});
