import { describe, expect, it } from "vitest";
import type { FleetSpec } from "../../../plan/spec";
import { trustSchema } from "../../../plan/spec";
import { planTrust } from "../../../plan/trust";
import { withPathLenZero } from "../../../components/trust/path-length";
import { mockKeyPem } from "../../../tools/mock-certificates";
import { byName, type MockRun } from "../../../tools/mock-runtime";
import { fleetSpec } from "../../support/fixtures";
import { mockRootCert, mockRootKey, runTrust, type TrustRun } from "./support";

function withTrust(trust: Record<string, unknown>): FleetSpec {
  return { ...fleetSpec(3), trust: trustSchema.parse(trust) };
}

function resourceNames(run: MockRun): Set<string> {
  return new Set(run.resources.map((r) => `${r.type}::${r.name}`));
}

function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

const rootCert = mockRootCert;
const rootKey = mockRootKey;
/** What cluster `c`'s cacerts holds for its generated intermediate `name`: the record re-issued with pathlen:0. */
const intermediateCert = (run: TrustRun, c: string, name: string, root: string): string =>
  withPathLenZero(run.out.signed[`${c}-intermediate-cert-${name}`]?.certPem ?? "", rootKey(root));

describe("rotating one cluster's intermediate (generation 1 → 2)", () => {
  it("replaces only that cluster's intermediate resources and changes only its cacerts", async () => {
    const before = await runTrust(fleetSpec(3));
    const after = await runTrust(withTrust({ intermediates: { "gcp-c1": { generation: 2 } } }));

    expect(difference(resourceNames(before.run), resourceNames(after.run))).toEqual([
      "tls:index/certRequest:CertRequest::gcp-c1-intermediate-csr-root-1-g1",
      "tls:index/locallySignedCert:LocallySignedCert::gcp-c1-intermediate-cert-root-1-g1",
      "tls:index/privateKey:PrivateKey::gcp-c1-intermediate-key-root-1-g1",
    ]);
    expect(difference(resourceNames(after.run), resourceNames(before.run))).toEqual([
      "tls:index/certRequest:CertRequest::gcp-c1-intermediate-csr-root-1-g2",
      "tls:index/locallySignedCert:LocallySignedCert::gcp-c1-intermediate-cert-root-1-g2",
      "tls:index/privateKey:PrivateKey::gcp-c1-intermediate-key-root-1-g2",
    ]);

    expect(after.out.cacerts["aws-c0"]).toEqual(before.out.cacerts["aws-c0"]);
    expect(after.out.cacerts["aws-c2"]).toEqual(before.out.cacerts["aws-c2"]);
    const [b, a] = [before.out.cacerts["gcp-c1"], after.out.cacerts["gcp-c1"]];
    expect(a?.["ca-cert.pem"]).toBe(intermediateCert(after, "gcp-c1", "root-1-g2", "root-1"));
    expect(a?.["ca-key.pem"]).toBe(mockKeyPem("gcp-c1-intermediate-key-root-1-g2"));
    expect(a?.["ca-cert.pem"]).not.toBe(b?.["ca-cert.pem"]);
    expect(a?.["ca-key.pem"]).not.toBe(b?.["ca-key.pem"]);
    // Same root: istiod hot-reloads the new intermediate.
    expect(a?.["root-cert.pem"]).toBe(b?.["root-cert.pem"]);
    expect(after.out.bundle).toBe(before.out.bundle);

    // Nothing else changes: every other resource keeps its inputs.
    for (const r of before.run.resources.filter(
      (x) => !x.name.startsWith("gcp-c1-intermediate-") && x.name !== "gcp-c1-cacerts",
    )) {
      expect(byName(after.run, r.name).inputs).toEqual(r.inputs);
    }
  });
});

describe("rotating the root: trust A → trust A+B → issue from B → trust B only", () => {
  const phases: [string, Record<string, unknown>][] = [
    ["1: trust A", { roots: [{ name: "root-a" }] }],
    ["2: trust A+B", { roots: [{ name: "root-a" }, { name: "root-b" }], issuer: "root-a" }],
    ["3: issue from B", { roots: [{ name: "root-a" }, { name: "root-b" }], issuer: "root-b" }],
    ["4: trust B only", { roots: [{ name: "root-b" }], issuer: "root-b" }],
  ];
  const runs: TrustRun[] = [];
  const at = async (i: number): Promise<TrustRun> => {
    while (runs.length <= i) {
      runs.push(await runTrust(withTrust((phases[runs.length] as [string, Record<string, unknown>])[1])));
    }
    return runs[i] as TrustRun;
  };

  it("phase 2 trusts both roots everywhere, turns multi-root on, and still issues from A", async () => {
    const { out } = await at(1);
    expect(out.bundle).toBe(rootCert("root-a") + rootCert("root-b"));
    expect(planTrust(withTrust((phases[1] as [string, Record<string, unknown>])[1])).istio).toEqual({
      multiRoot: true,
      istiodEnv: { ISTIO_MULTIROOT_MESH: "true" },
      proxyMetadata: { PROXY_CONFIG_XDS_AGENT: "true" },
    });
    for (const c of ["aws-c0", "gcp-c1", "aws-c2"]) {
      expect(out.cacerts[c]?.["root-cert.pem"]).toBe(rootCert("root-a") + rootCert("root-b"));
      expect(out.signed[`${c}-intermediate-cert-root-a-g1`]).toMatchObject({
        caCertPem: rootCert("root-a"),
        caPrivateKeyPem: rootKey("root-a"),
      });
      expect(out.cacerts[c]?.["cert-chain.pem"]).toBe(
        intermediateCert(await at(1), c, "root-a-g1", "root-a") + rootCert("root-a"),
      );
    }
    // Widening trust leaves every intermediate untouched.
    const before = await at(0);
    for (const c of ["aws-c0", "gcp-c1", "aws-c2"]) {
      expect(out.cacerts[c]?.["ca-cert.pem"]).toBe(before.out.cacerts[c]?.["ca-cert.pem"]);
      expect(out.cacerts[c]?.["ca-key.pem"]).toBe(before.out.cacerts[c]?.["ca-key.pem"]);
    }
    // istiod accepts a changed root-cert.pem only if one bundle contains the other byte for byte.
    expect(out.bundle.includes(before.out.bundle)).toBe(true);
  });

  it("phase 3 issues every intermediate from B (fresh keys, new names) with the A+B bundle unchanged", async () => {
    const two = await at(1);
    const { run, out } = await at(2);
    expect(out.bundle).toBe(two.out.bundle);
    expect(out.issuer).toBe("root-b");
    for (const c of ["aws-c0", "gcp-c1", "aws-c2"]) {
      expect(out.signed[`${c}-intermediate-cert-root-b-g1`]).toMatchObject({
        caCertPem: rootCert("root-b"),
        caPrivateKeyPem: rootKey("root-b"),
      });
      expect(out.cacerts[c]?.["cert-chain.pem"]).toBe(
        intermediateCert(await at(2), c, "root-b-g1", "root-b") + rootCert("root-b"),
      );
      expect(out.cacerts[c]?.["root-cert.pem"]).toBe(rootCert("root-a") + rootCert("root-b"));
    }
    expect(Object.keys(out.signed).sort()).toEqual(
      ["aws-c0", "aws-c2", "gcp-c1"].map((c) => `${c}-intermediate-cert-root-b-g1`),
    );
    expect(byName(run, "test-root-key-root-a").protect).toBe(true);
  });

  it("phase 4 trusts B only (multi-root off); the bundle is contained in phase 3's", async () => {
    const three = await at(2);
    const { run, out } = await at(3);
    expect(out.bundle).toBe(rootCert("root-b"));
    expect(three.out.bundle.includes(out.bundle)).toBe(true);
    expect(planTrust(withTrust((phases[3] as [string, Record<string, unknown>])[1])).istio.multiRoot).toBe(false);
    expect(resourceNames(run).has("tls:index/privateKey:PrivateKey::test-root-key-root-a")).toBe(false);
    // Root B's resources and the intermediates are the same as in phase 3: only A leaves.
    expect(difference(resourceNames(three.run), resourceNames(run))).toEqual([
      "tls:index/privateKey:PrivateKey::test-root-key-root-a",
      "tls:index/selfSignedCert:SelfSignedCert::test-root-cert-root-a",
    ]);
    expect(difference(resourceNames(run), resourceNames(three.run))).toEqual([]);
  });

  it("a one-step replacement (A → B) would delete root A, whose resources are protected", async () => {
    const one = await at(0);
    const four = await at(3);
    const deleted = difference(resourceNames(one.run), resourceNames(four.run)).filter(
      (n) => n.includes("root-a") && n.includes("test-root"),
    );
    expect(deleted).toEqual([
      "tls:index/privateKey:PrivateKey::test-root-key-root-a",
      "tls:index/selfSignedCert:SelfSignedCert::test-root-cert-root-a",
    ]);
    for (const name of ["test-root-key-root-a", "test-root-cert-root-a"]) {
      expect(byName(one.run, name).protect).toBe(true);
    }
  });
});
