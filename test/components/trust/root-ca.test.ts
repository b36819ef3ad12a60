import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { externalTrustMaterial } from "../../../components/trust/material";
import { RootCa } from "../../../components/trust/root-ca";
import { trustSchema } from "../../../plan/spec";
import { planTrust } from "../../../plan/trust";
import { fakePem } from "../../../tools/mock-answers";
import { byName, byType, runUnderMocks, SECRET } from "../../../tools/mock-runtime";
import { fleetSpec } from "../../support/fixtures";
import { capture, mockRootCert, mockRootKey, RUN, STACK_URN } from "./support";

function specWith(trust: Record<string, unknown>) {
  return { ...fleetSpec(2), trust: trustSchema.parse(trust) };
}

describe("RootCa with the default trust", () => {
  it("generates one protected, retained root: an RSA 4096 key and a self-signed CA certificate", async () => {
    let options = new Map<string, pulumi.ResourceOptions>();
    const run = await runUnderMocks(() => {
      options = capture().options;
      const ca = new RootCa("test", { plan: planTrust(fleetSpec(2)) });
      return {
        bundle: ca.trustBundlePem,
        issuerCert: ca.issuerCertPem,
        issuerKey: ca.issuerKeyPem,
        issuer: ca.issuer,
        revealedKey: ca.issuerKeyPem ? pulumi.unsecret(ca.issuerKeyPem) : undefined,
      };
    }, RUN);

    const ROOT_CA_URN = byName(run, "test").urn;
    const own = run.resources.filter((r) => r.urn === ROOT_CA_URN || r.parent === ROOT_CA_URN);
    expect(own.map((r) => `${r.type}::${r.name}`)).toEqual([
      "tls:index/privateKey:PrivateKey::test-root-key-root-1",
      "tls:index/selfSignedCert:SelfSignedCert::test-root-cert-root-1",
      "multicluster-mesh:trust:RootCa::test",
    ]);
    expect(byName(run, "test").parent).toBe(STACK_URN);

    const key = byName(run, "test-root-key-root-1");
    expect(key.parent).toBe(ROOT_CA_URN);
    expect(key.inputs).toEqual({ algorithm: "RSA", rsaBits: 4096 });
    expect(key.protect).toBe(true);
    expect(options.get("test-root-key-root-1")).toMatchObject({ protect: true, retainOnDelete: true });

    const cert = byName(run, "test-root-cert-root-1");
    expect(cert.parent).toBe(ROOT_CA_URN);
    expect(cert.protect).toBe(true);
    expect(options.get("test-root-cert-root-1")).toMatchObject({ protect: true, retainOnDelete: true });
    expect(cert.inputs).toEqual({
      privateKeyPem: SECRET,
      subject: { organization: "Istio", commonName: "Root CA" },
      isCaCertificate: true,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment", "content_commitment"],
      validityPeriodHours: 87600,
      earlyRenewalHours: 720,
    });

    const rootCert = mockRootCert("root-1");
    expect(run.outputs).toEqual({
      bundle: rootCert,
      issuerCert: rootCert,
      issuerKey: SECRET,
      issuer: "root-1",
      revealedKey: mockRootKey("root-1"),
    });
  });
});

describe("RootCa during a root rotation", () => {
  it("trusts both generated roots in config order and issues from the named one", async () => {
    const spec = specWith({ roots: [{ name: "root-a" }, { name: "root-b" }], issuer: "root-b" });
    const run = await runUnderMocks(() => {
      const ca = new RootCa("test", { plan: planTrust(spec) });
      return { bundle: ca.trustBundlePem, issuerCert: ca.issuerCertPem, certs: ca.rootCertPems };
    }, RUN);
    expect(byType(run, "tls:index/privateKey:PrivateKey").map((r) => [r.name, r.protect])).toEqual([
      ["test-root-key-root-a", true],
      ["test-root-key-root-b", true],
    ]);
    const [a, b] = [mockRootCert("root-a"), mockRootCert("root-b")];
    expect(run.outputs).toEqual({ bundle: a + b, issuerCert: b, certs: { "root-a": a, "root-b": b } });
  });
});

describe("RootCa with an external root", () => {
  const cert = fakePem("CERTIFICATE", "corp-root");
  const key = fakePem("PRIVATE KEY", "corp-root");

  it("creates no resources and passes the given PEMs on as secrets", async () => {
    const spec = specWith({ roots: [{ name: "corp", source: "external", certPem: cert, keyPem: key }] });
    const run = await runUnderMocks(() => {
      const ca = new RootCa("test", { plan: planTrust(spec), externalRoots: externalTrustMaterial(spec.trust).roots });
      return {
        bundle: ca.trustBundlePem,
        issuerKey: ca.issuerKeyPem,
        revealed: pulumi.unsecret(pulumi.all([ca.trustBundlePem, ca.issuerKeyPem ?? ""])),
      };
    }, RUN);
    expect(run.resources.map((r) => r.type)).toEqual(["multicluster-mesh:trust:RootCa", "pulumi:pulumi:Stack"]);
    expect(run.outputs).toEqual({ bundle: SECRET, issuerKey: SECRET, revealed: [cert, key] });
  });

  it("keeps an offline root offline: no key output at all", async () => {
    const spec = specWith({
      roots: [{ name: "corp", source: "external", certPem: cert }],
      intermediates: Object.fromEntries(
        ["aws-c0", "gcp-c1"].map((c) => [c, { source: "external", certPem: cert, keyPem: key, chainPem: cert + cert }]),
      ),
    });
    const run = await runUnderMocks(() => {
      const ca = new RootCa("test", { plan: planTrust(spec), externalRoots: externalTrustMaterial(spec.trust).roots });
      return { hasKey: ca.issuerKeyPem !== undefined };
    }, RUN);
    expect(run.outputs).toEqual({ hasKey: false });
  });

  it("refuses an external root whose PEMs were not passed, before registering anything", () => {
    const spec = specWith({ roots: [{ name: "corp", source: "external", certPem: cert, keyPem: key }] });
    expect(() => new RootCa("test", { plan: planTrust(spec) })).toThrow(
      "RootCa: external root corp has no certificate in externalRoots",
    );
    expect(() => new RootCa("test", { plan: { ...planTrust(spec), issuer: "other" }, externalRoots: {} })).toThrow(
      "RootCa: the issuer other is not among the roots (corp); external root corp has no certificate in externalRoots",
    );
  });
});
