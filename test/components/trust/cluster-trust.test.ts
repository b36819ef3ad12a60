import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { ClusterTrust } from "../../../components/trust/cluster-trust";
import { trustSchema } from "../../../plan/spec";
import { planTrust } from "../../../plan/trust";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { withPathLenZero } from "../../../components/trust/path-length";
import { fakePem, MOCK_NOW } from "../../../tools/mock-answers";
import { mockCertRequest, mockKeyPem, mockSelfSignedCert } from "../../../tools/mock-certificates";
import { byName, byType, type MockRun, SECRET } from "../../../tools/mock-runtime";
import { fleetSpec } from "../../support/fixtures";
import { mockRootCert, mockRootKey, runTrust, type TrustOutputs, type TrustRun } from "./support";

const CLUSTERS = ["aws-c0", "gcp-c1", "aws-c2"];
const ROOT_CERT = mockRootCert("root-1");
const ROOT_KEY = mockRootKey("root-1");
/** The record (tls.LocallySignedCert) of cluster `c`'s intermediate. */
const recordOf = (out: TrustOutputs, c: string) => out.signed[`${c}-intermediate-cert-root-1-g1`]?.certPem ?? "";
/** What cacerts holds: the record re-issued with pathlen:0 by the root's key. */
const intermediateCert = (out: TrustOutputs, c: string) => withPathLenZero(recordOf(out, c), ROOT_KEY);
const intermediateKey = (c: string) => mockKeyPem(`${c}-intermediate-key-root-1-g1`);
/** The ClusterTrust component of cluster `c`, a child of the stack. */
function componentUrn(run: MockRun, c: string): string {
  const component = byName(run, c);
  expect(component.type).toBe("multicluster-mesh:trust:ClusterTrust");
  expect(component.parent).toBe(byType(run, "pulumi:pulumi:Stack")[0]?.urn);
  return component.urn;
}

function names(run: MockRun, type: string): string[] {
  return byType(run, type).map((r) => r.name);
}

describe("ClusterTrust for an Istio fleet of three clusters", () => {
  let t: TrustRun;
  const setup = async () => (t ??= await runTrust(fleetSpec(3)));

  it("one root per environment, one intermediate per cluster", async () => {
    const { run } = await setup();
    expect(names(run, "tls:index/selfSignedCert:SelfSignedCert")).toEqual(["test-root-cert-root-1"]);
    expect(names(run, "multicluster-mesh:trust:RootCa")).toEqual(["test"]);
    expect(names(run, "multicluster-mesh:trust:ClusterTrust")).toEqual(CLUSTERS.slice().sort());
    expect(names(run, "tls:index/locallySignedCert:LocallySignedCert")).toEqual(
      CLUSTERS.map((c) => `${c}-intermediate-cert-root-1-g1`).sort(),
    );
    expect(names(run, "tls:index/certRequest:CertRequest")).toEqual(
      CLUSTERS.map((c) => `${c}-intermediate-csr-root-1-g1`).sort(),
    );
    expect(names(run, "tls:index/privateKey:PrivateKey")).toEqual(
      [...CLUSTERS.map((c) => `${c}-intermediate-key-root-1-g1`), "test-root-key-root-1"].sort(),
    );
    for (const c of CLUSTERS) {
      for (const role of ["key", "csr", "cert"]) {
        expect(byName(run, `${c}-intermediate-${role}-root-1-g1`).parent).toBe(componentUrn(run, c));
      }
    }
  });

  it("each intermediate is a signing CA signed by the issuing root, with the istiod SAN and L=<cluster>", async () => {
    const { run, out } = await setup();
    for (const c of CLUSTERS) {
      expect(byName(run, `${c}-intermediate-key-root-1-g1`).inputs).toEqual({ algorithm: "RSA", rsaBits: 4096 });
      expect(byName(run, `${c}-intermediate-csr-root-1-g1`).inputs).toEqual({
        privateKeyPem: SECRET,
        dnsNames: ["istiod.istio-system.svc"],
        subject: { organization: "Istio", commonName: "Intermediate CA", locality: c },
      });
      const name = `${c}-intermediate-cert-root-1-g1`;
      expect(byName(run, name).inputs).toEqual({
        certRequestPem: mockCertRequest(
          intermediateKey(c),
          { organization: "Istio", commonName: "Intermediate CA", locality: c },
          ["istiod.istio-system.svc"],
        ),
        caCertPem: ROOT_CERT,
        caPrivateKeyPem: SECRET,
        isCaCertificate: true,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment", "content_commitment"],
        validityPeriodHours: 17520,
        earlyRenewalHours: 720,
      });
      // The resolved signing inputs are the issuing root's certificate and key.
      expect(out.signed[name]).toMatchObject({ caCertPem: ROOT_CERT, caPrivateKeyPem: ROOT_KEY });
    }
    expect(out.issuerKeyPem).toBe(ROOT_KEY);
    expect(byName(run, "test-root-cert-root-1").inputs).toMatchObject({
      isCaCertificate: true,
      subject: { organization: "Istio", commonName: "Root CA" },
    });
  });

  it("each intermediate's validity lies inside the root's", async () => {
    const { out } = await setup();
    const rootEnd = Date.parse(out.rootsEnd["test-root-cert-root-1"] as string);
    expect(Object.keys(out.signed)).toHaveLength(3);
    for (const s of Object.values(out.signed)) {
      expect(Date.parse(s.validityEndTime)).toBeLessThanOrEqual(rootEnd);
    }
  });

  it("istio-system is labelled with the cluster's network (and on EKS the readiness gate), through its provider", async () => {
    const { run } = await setup();
    expect(names(run, "kubernetes:core/v1:Namespace")).toEqual(CLUSTERS.map((c) => `${c}-istio-system`).sort());
    for (const c of CLUSTERS) {
      const ns = byName(run, `${c}-istio-system`);
      expect(ns.inputs).toEqual({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: {
          name: "istio-system",
          labels: {
            ...(c.startsWith("aws-") ? { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } : {}),
            "topology.istio.io/network": c,
          },
        },
      });
      expect(ns.provider).toBe(byName(run, `${c}-k8s`).urn);
      expect(ns.parent).toBe(componentUrn(run, c));
    }
  });

  it("each cacerts Secret has exactly the four keys, in istio-system, after the namespace", async () => {
    const { run, out } = await setup();
    expect(names(run, "kubernetes:core/v1:Secret")).toEqual(CLUSTERS.map((c) => `${c}-cacerts`).sort());
    for (const c of CLUSTERS) {
      const secret = byName(run, `${c}-cacerts`);
      expect(secret.inputs).toEqual({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "cacerts", namespace: "istio-system" },
        type: "Opaque",
        stringData: SECRET,
      });
      expect(secret.provider).toBe(byName(run, `${c}-k8s`).urn);
      expect(secret.parent).toBe(componentUrn(run, c));
      expect(secret.dependsOn).toEqual([byName(run, `${c}-istio-system`).urn]);
      expect(out.cacertsMeta[c]).toEqual({ namespace: "istio-system", name: "cacerts" });
      expect(out.cacerts[c]).toEqual({
        "ca-cert.pem": intermediateCert(out, c),
        "ca-key.pem": intermediateKey(c),
        "root-cert.pem": ROOT_CERT,
        "cert-chain.pem": intermediateCert(out, c) + ROOT_CERT,
      });
    }
  });

  it("no Secret or ConfigMap in any cluster carries the root key", async () => {
    const { run, out } = await setup();
    const inCluster = [...Object.values(out.cacerts), ...Object.values(out.configMaps)].flatMap((d) =>
      Object.values(d ?? {}),
    );
    expect(inCluster).toHaveLength(3 * 4 + 3);
    for (const value of inCluster) {
      expect(value).not.toContain(ROOT_KEY.split("\n")[1]);
    }
    const k8sInputs = run.resources
      .filter((r) => r.type.startsWith("kubernetes:"))
      .map((r) => JSON.stringify(r.inputs));
    expect(k8sInputs.join()).not.toContain("PRIVATE KEY");
  });

  it("the root key is protected and retained on delete; intermediates are not protected", async () => {
    const { run, options } = await setup();
    expect(byName(run, "test-root-key-root-1").protect).toBe(true);
    expect(options.get("test-root-key-root-1")).toMatchObject({ protect: true, retainOnDelete: true });
    for (const c of CLUSTERS) {
      expect(byName(run, `${c}-intermediate-key-root-1-g1`).protect).toBe(false);
    }
  });

  it("publishes the trusted roots in kube-public for any workload", async () => {
    const { run, out } = await setup();
    for (const c of CLUSTERS) {
      const cm = byName(run, `${c}-root-ca-bundle`);
      expect(cm.inputs).toEqual({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "multicluster-mesh-root-ca", namespace: "kube-public" },
        data: { "root-cert.pem": ROOT_CERT },
      });
      expect(cm.provider).toBe(byName(run, `${c}-k8s`).urn);
      expect(out.configMaps[c]).toEqual({ "root-cert.pem": ROOT_CERT });
    }
  });
});

describe("ClusterTrust for a Submariner fleet", () => {
  it("publishes the root bundle alone: no intermediate, no istio-system, no cacerts, so no CA key in any cluster", async () => {
    const { run, out } = await runTrust(fleetSpec(2, { mesh: "submariner" }));
    expect(run.resources.filter((r) => /intermediate|istio-system|cacerts/.test(r.name))).toEqual([]);
    expect(run.resources.filter((r) => r.type === "tls:index/privateKey:PrivateKey").map((r) => r.name)).toEqual([
      expect.stringContaining("root"),
    ]);
    for (const c of ["aws-c0", "gcp-c1"]) {
      expect(out.cacerts[c]).toBeNull();
      expect(out.configMaps[c]).toEqual({ "root-cert.pem": ROOT_CERT });
      expect(out.pathLengths[c]).toBeUndefined();
      expect(byName(run, `${c}-root-ca-bundle`).inputs["metadata"]).toEqual({
        name: "multicluster-mesh-root-ca",
        namespace: "kube-public",
      });
    }
  });
});

describe("ClusterTrust with a brought intermediate", () => {
  // A brought root may have any key the tls provider signs with: this one is ECDSA P-256, real, so the generated
  // intermediate is re-issued with it (RFC 6979 signatures).
  const rootKey = generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const rootCert = mockSelfSignedCert(
    "corp-root",
    rootKey,
    { organization: "Corp", commonName: "Corp Root CA" },
    { isCaCertificate: true, allowedUses: ["cert_signing"], validityPeriodHours: 87600 },
    MOCK_NOW,
  );
  const cert = fakePem("CERTIFICATE", "corp-int-aws-c0");
  const key = fakePem("PRIVATE KEY", "corp-int-aws-c0");

  it("generates nothing for that cluster and plugs the given PEMs in; the other cluster generates", async () => {
    const spec = {
      ...fleetSpec(2),
      trust: trustSchema.parse({
        roots: [{ name: "corp", source: "external", certPem: rootCert, keyPem: rootKey }],
        intermediates: { "aws-c0": { source: "external", certPem: cert, keyPem: key, chainPem: cert + rootCert } },
      }),
    };
    const { run, out } = await runTrust(spec);
    expect(names(run, "tls:index/locallySignedCert:LocallySignedCert")).toEqual(["gcp-c1-intermediate-cert-corp-g1"]);
    expect(names(run, "tls:index/privateKey:PrivateKey")).toEqual(["gcp-c1-intermediate-key-corp-g1"]);
    expect(out.cacerts["aws-c0"]).toEqual({
      "ca-cert.pem": cert,
      "ca-key.pem": key,
      "root-cert.pem": rootCert,
      "cert-chain.pem": cert + rootCert,
    });
    const record = out.signed["gcp-c1-intermediate-cert-corp-g1"];
    expect(record).toMatchObject({ caCertPem: rootCert, caPrivateKeyPem: rootKey });
    const reissued = withPathLenZero(record?.certPem ?? "", rootKey);
    expect(out.cacerts["gcp-c1"]?.["cert-chain.pem"]).toBe(reissued + rootCert);
    const parsed = new X509Certificate(reissued);
    expect(parsed.verify(new X509Certificate(rootCert).publicKey)).toBe(true);
    expect(new x509.X509Certificate(reissued).getExtension(x509.BasicConstraintsExtension)?.pathLength).toBe(0);
    // The path length ClusterTrust reports (the stack output certificates.pathLengths): none claimed for a brought one.
    expect(out.pathLengths).toEqual({ "aws-c0": null, "gcp-c1": 0 });
  });
});

describe("the intermediate in every cluster's cacerts", () => {
  let t: TrustRun;
  const setup = async () => (t ??= await runTrust(fleetSpec(3)));
  const root = new X509Certificate(ROOT_CERT);

  it("is a critical CA:true, pathlen:0 certificate, which its record (the tls provider's) is not", async () => {
    const { out } = await setup();
    for (const c of CLUSTERS) {
      const constraints = new x509.X509Certificate(out.cacerts[c]?.["ca-cert.pem"] ?? "").getExtension(
        x509.BasicConstraintsExtension,
      );
      expect([constraints?.ca, constraints?.pathLength, constraints?.critical]).toEqual([true, 0, true]);
      const record = new x509.X509Certificate(recordOf(out, c)).getExtension(x509.BasicConstraintsExtension);
      expect([record?.ca, record?.pathLength]).toEqual([true, undefined]);
    }
    expect(out.pathLengths).toEqual(Object.fromEntries(CLUSTERS.map((c) => [c, 0])));
  });

  it("is signed by the root, ends no later than it, and is the record in all but serial and constraints", async () => {
    const { out } = await setup();
    for (const c of CLUSTERS) {
      const cert = new X509Certificate(out.cacerts[c]?.["ca-cert.pem"] ?? "");
      const record = new X509Certificate(recordOf(out, c));
      expect(cert.checkIssued(root) && cert.verify(root.publicKey)).toBe(true);
      expect(Date.parse(cert.validTo)).toBeLessThanOrEqual(Date.parse(root.validTo));
      expect(cert.serialNumber).not.toBe(record.serialNumber);
      expect([cert.subject, cert.issuer, cert.validFrom, cert.validTo, cert.subjectAltName]).toEqual([
        record.subject,
        record.issuer,
        record.validFrom,
        record.validTo,
        record.subjectAltName,
      ]);
      expect(cert.publicKey.equals(record.publicKey)).toBe(true);
      expect(out.cacerts[c]?.["cert-chain.pem"]).toBe(`${cert.toString()}${ROOT_CERT}`);
    }
    const serials = CLUSTERS.map((c) => new X509Certificate(out.cacerts[c]?.["ca-cert.pem"] ?? "").serialNumber);
    expect(new Set(serials).size).toBe(CLUSTERS.length);
  });

  it("is the same bytes on every evaluation, so the Secret shows no diff of its own", async () => {
    const { out } = await setup();
    const again = await runTrust(fleetSpec(3));
    for (const c of CLUSTERS) {
      expect(again.out.cacerts[c]?.["ca-cert.pem"]).toBe(out.cacerts[c]?.["ca-cert.pem"]);
    }
  });

  it("keeps the cacerts Secret independent of the root key: it depends on the record and the intermediate key", async () => {
    const { run } = await setup();
    for (const c of CLUSTERS) {
      const deps = byName(run, `${c}-cacerts`).propertyDependencies?.["stringData"] ?? [];
      expect(deps).toContain(byName(run, `${c}-intermediate-cert-root-1-g1`).urn);
      expect(deps).toContain(byName(run, `${c}-intermediate-key-root-1-g1`).urn);
      expect(deps).not.toContain(byName(run, "test-root-key-root-1").urn);
    }
  });
});

describe("ClusterTrust arguments", () => {
  it("rejects a mismatched cluster, a keyless issuer and a missing external intermediate, all at once", () => {
    const plan = planTrust(fleetSpec(2));
    const c0 = plan.clusters[0]!;
    // Validation happens before anything is registered, so no provider or roots are ever touched.
    const provider = {} as never;
    const roots = {
      issuer: "root-0",
      issuerCertPem: undefined,
      issuerKeyPem: undefined,
      trustBundlePem: undefined,
    } as never;
    expect(() => new ClusterTrust("aws-c0", { plan: c0, cluster: { name: "gcp-c1", provider }, roots })).toThrow(
      "ClusterTrust gcp-c1: the plan is for cluster aws-c0 but the cluster is gcp-c1; the plan's issuer root-1 is not the roots' issuer root-0; the issuing root root-0 has no key to sign a generated intermediate",
    );
    const external = {
      ...c0,
      intermediate: { source: "external" as const, certPemFrom: "a", keyPemFrom: "b", chainPemFrom: "c" },
    };
    expect(() => new ClusterTrust("aws-c0", { plan: external, cluster: { name: "aws-c0", provider }, roots })).toThrow(
      "ClusterTrust aws-c0: the plan brings an external intermediate but externalIntermediate is not given",
    );
  });
});
