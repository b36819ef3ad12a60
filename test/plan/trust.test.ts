import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderIssue, SpecError } from "../../plan/issues";
import { checkFleetConfig, type FleetSpec, trustSchema } from "../../plan/spec";
import {
  CA_ALLOWED_USES,
  type ClusterTrustPlan,
  concatPems,
  checkTrust,
  type IntermediatePlan,
  planTrust,
  type RootPlan,
} from "../../plan/trust";
import { fakePem } from "../../tools/mock-answers";
import { clusterInput, fleetSpec } from "../support/fixtures";

/** A valid fleet of `n` clusters (aws-c0, gcp-c1, aws-c2, ...) with the given raw trust section. */
function withTrust(n: number, trust: Record<string, unknown>, mesh: "istio" | "submariner" = "istio"): FleetSpec {
  return { ...fleetSpec(n, { mesh }), trust: trustSchema.parse(trust) };
}

function problems(spec: FleetSpec): string[] {
  return checkTrust(spec).map(renderIssue);
}

function generated(plan: IntermediatePlan): Extract<IntermediatePlan, { source: "generated" }> {
  if (plan.source !== "generated") {
    throw new Error("expected a generated intermediate");
  }
  return plan;
}

function cluster(plan: { clusters: readonly ClusterTrustPlan[] }, name: string): ClusterTrustPlan {
  const found = plan.clusters.find((c) => c.cluster === name);
  if (found === undefined) {
    throw new Error(`no trust plan for ${name}`);
  }
  return found;
}

const CERT_A = fakePem("CERTIFICATE", "ext-root-a");
const KEY_A = fakePem("PRIVATE KEY", "ext-root-a");
/** A real key of a brought root, PKCS #8 PEM. */
const realKey = (type: "ec" | "ed25519" | "ed448", namedCurve?: string): string =>
  (type === "ec"
    ? generateKeyPairSync("ec", { namedCurve: namedCurve ?? "P-256" })
    : type === "ed25519"
      ? generateKeyPairSync("ed25519")
      : generateKeyPairSync("ed448")
  ).privateKey
    .export({ type: "pkcs8", format: "pem" })
    .toString();
const INT_CERT = fakePem("CERTIFICATE", "ext-int-c0");
const INT_KEY = fakePem("RSA PRIVATE KEY", "ext-int-c0");
const INT_CHAIN = INT_CERT + CERT_A;

describe("the default trust plan", () => {
  const plan = planTrust(fleetSpec(3));

  it("has one generated root that issues, RSA 4096 / SHA-256, O=Istio CN=Root CA, 10 years", () => {
    const expected: RootPlan = {
      name: "root-1",
      source: "generated",
      issuing: true,
      key: { algorithm: "RSA", rsaBits: 4096, signatureAlgorithm: "SHA256WithRSA" },
      subject: { organization: "Istio", commonName: "Root CA" },
      isCaCertificate: true,
      allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment", "content_commitment"],
      validityHours: 87600,
      earlyRenewalHours: 720,
    };
    expect(plan.roots).toEqual([expected]);
    expect(plan.issuer).toBe("root-1");
    expect(plan.istio).toEqual({ multiRoot: false, istiodEnv: {}, proxyMetadata: {} });
  });

  it("gives every cluster its own intermediate signed by the root, with the istiod SAN and L=<cluster>", () => {
    expect(plan.clusters.map((c) => c.cluster)).toEqual(["aws-c0", "gcp-c1", "aws-c2"]);
    for (const c of plan.clusters) {
      expect(c.intermediate).toEqual({
        source: "generated",
        name: "root-1-g1",
        issuer: "root-1",
        generation: 1,
        dnsNames: ["istiod.istio-system.svc"],
        key: { algorithm: "RSA", rsaBits: 4096, signatureAlgorithm: "SHA256WithRSA" },
        subject: { organization: "Istio", commonName: "Intermediate CA", locality: c.cluster },
        isCaCertificate: true,
        allowedUses: [...CA_ALLOWED_USES],
        validityHours: 17520,
        earlyRenewalHours: 720,
      });
      expect(c.secretName).toBe("cacerts");
      expect(c.namespace).toEqual({ name: "istio-system", labels: namespaceLabels(c.cluster, c.network) });
      expect(c.rootBundle).toEqual({
        namespace: "kube-public",
        name: "multicluster-mesh-root-ca",
        key: "root-cert.pem",
      });
    }
  });

  it("keeps every intermediate's validity inside the root's", () => {
    const root = plan.roots[0] as Extract<RootPlan, { source: "generated" }>;
    for (const c of plan.clusters) {
      expect(generated(c.intermediate).validityHours).toBeLessThanOrEqual(root.validityHours);
    }
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it("labels istio-system with the network only for Istio, and on EKS for the NLB's pod readiness gate", () => {
    const sub = planTrust(fleetSpec(2, { mesh: "submariner" }));
    expect(sub.clusters.map((c) => c.namespace)).toEqual([
      { name: "istio-system", labels: {} },
      { name: "istio-system", labels: {} },
    ]);
    expect(sub.clusters.map((c) => c.secretName)).toEqual(["cacerts", "cacerts"]);
    const named = planTrust({ ...fleetSpec(1), clusters: [{ ...fleetSpec(1).clusters[0]!, network: "east" }] });
    expect(named.clusters[0]?.namespace.labels).toEqual({
      "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled",
      "topology.istio.io/network": "east",
    });
    expect(planTrust(fleetSpec(2)).clusters[1]?.namespace.labels).toEqual({ "topology.istio.io/network": "gcp-c1" });
  });
});

describe("rotation as config changes", () => {
  it("bumping one cluster's generation renames only its intermediate", () => {
    const before = planTrust(fleetSpec(3));
    const after = planTrust(withTrust(3, { intermediates: { "gcp-c1": { generation: 2 } } }));
    expect(generated(cluster(after, "gcp-c1").intermediate)).toMatchObject({
      name: "root-1-g2",
      generation: 2,
      issuer: "root-1",
    });
    expect(cluster(after, "aws-c0")).toEqual(cluster(before, "aws-c0"));
    expect(cluster(after, "aws-c2")).toEqual(cluster(before, "aws-c2"));
    expect(after.roots).toEqual(before.roots);
  });

  it("root rotation: trust A → trust A+B (multi-root) → issue from B → trust B only", () => {
    const phase1 = planTrust(withTrust(2, { roots: [{ name: "root-a" }] }));
    const phase2 = planTrust(withTrust(2, { roots: [{ name: "root-a" }, { name: "root-b" }], issuer: "root-a" }));
    const phase3 = planTrust(withTrust(2, { roots: [{ name: "root-a" }, { name: "root-b" }], issuer: "root-b" }));
    const phase4 = planTrust(withTrust(2, { roots: [{ name: "root-b" }], issuer: "root-b" }));

    const summary = (p: typeof phase1) => ({
      trusted: p.roots.map((r) => r.name),
      issuing: p.roots.filter((r) => r.issuing).map((r) => r.name),
      multiRoot: p.istio.multiRoot,
      intermediates: p.clusters.map((c) => generated(c.intermediate).name),
    });
    expect(summary(phase1)).toEqual({
      trusted: ["root-a"],
      issuing: ["root-a"],
      multiRoot: false,
      intermediates: ["root-a-g1", "root-a-g1"],
    });
    expect(summary(phase2)).toEqual({
      trusted: ["root-a", "root-b"],
      issuing: ["root-a"],
      multiRoot: true,
      intermediates: ["root-a-g1", "root-a-g1"],
    });
    expect(summary(phase3)).toEqual({
      trusted: ["root-a", "root-b"],
      issuing: ["root-b"],
      multiRoot: true,
      intermediates: ["root-b-g1", "root-b-g1"],
    });
    expect(summary(phase4)).toEqual({
      trusted: ["root-b"],
      issuing: ["root-b"],
      multiRoot: false,
      intermediates: ["root-b-g1", "root-b-g1"],
    });
    expect(phase2.istio).toEqual({
      multiRoot: true,
      istiodEnv: { ISTIO_MULTIROOT_MESH: "true" },
      proxyMetadata: { PROXY_CONFIG_XDS_AGENT: "true" },
    });
    // Phase 2 only widens trust: the intermediates stay exactly as they were.
    expect(phase2.clusters).toEqual(phase1.clusters);
  });

  it("concatenated bundles contain the previous and the next bundle byte for byte (istiod's rule)", () => {
    const a = fakePem("CERTIFICATE", "a").trimEnd();
    const b = fakePem("CERTIFICATE", "b");
    const ab = concatPems([a, b]);
    expect(ab).toBe(`${a}\n${b}`);
    expect(ab.includes(concatPems([a]))).toBe(true);
    expect(ab.includes(concatPems([b]))).toBe(true);
  });
});

describe("bringing your own trust", () => {
  it("an external root with its key issues generated intermediates; the plan names config paths, never PEMs", () => {
    const plan = planTrust(
      withTrust(2, { roots: [{ name: "corp", source: "external", certPem: CERT_A, keyPem: KEY_A }] }),
    );
    expect(plan.roots).toEqual([
      {
        name: "corp",
        source: "external",
        issuing: true,
        certPemFrom: "trust.roots[0].certPem",
        keyPemFrom: "trust.roots[0].keyPem",
      },
    ]);
    expect(plan.clusters.map((c) => generated(c.intermediate).name)).toEqual(["corp-g1", "corp-g1"]);
    expect(JSON.stringify(plan)).not.toContain("BEGIN");
  });

  it("an offline root (certificate only) with every intermediate brought", () => {
    const intermediate = { source: "external", certPem: INT_CERT, keyPem: INT_KEY, chainPem: INT_CHAIN };
    const plan = planTrust(
      withTrust(2, {
        roots: [{ name: "corp", source: "external", certPem: CERT_A }],
        intermediates: { "aws-c0": intermediate, "gcp-c1": intermediate },
      }),
    );
    expect(plan.roots).toEqual([
      { name: "corp", source: "external", issuing: true, certPemFrom: "trust.roots[0].certPem" },
    ]);
    expect(cluster(plan, "gcp-c1").intermediate).toEqual({
      source: "external",
      certPemFrom: "trust.intermediates.gcp-c1.certPem",
      keyPemFrom: "trust.intermediates.gcp-c1.keyPem",
      chainPemFrom: "trust.intermediates.gcp-c1.chainPem",
    });
    expect(JSON.stringify(plan)).not.toContain("BEGIN");
  });
});

describe("the issuing root's key", () => {
  it("may be RSA, Ed25519 or ECDSA P-256/P-384/P-521 (the pathlen:0 intermediates are signed with it)", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    for (const keyPem of [rsa, realKey("ed25519"), ...["P-256", "P-384", "P-521"].map((c) => realKey("ec", c))]) {
      expect(
        problems(withTrust(2, { roots: [{ name: "corp", source: "external", certPem: CERT_A, keyPem }] })),
      ).toEqual([]);
    }
  });

  it("is not checked when no cluster generates an intermediate", () => {
    const external = { source: "external", certPem: INT_CERT, keyPem: INT_KEY, chainPem: INT_CHAIN };
    const spec = withTrust(1, {
      roots: [{ name: "corp", source: "external", certPem: CERT_A, keyPem: realKey("ec", "P-224") }],
      intermediates: { "aws-c0": external },
    });
    expect(problems(spec)).toEqual([]);
  });
});

describe("trust rules, each with its exact message", () => {
  const cases: [string, FleetSpec, string[]][] = [
    [
      "issuer not among the roots",
      withTrust(1, { issuer: "root-9" }),
      ['multicluster-mesh:trust.issuer: is not among the roots ("root-9") — use one of: root-1'],
    ],
    [
      "two roots without an issuer",
      withTrust(1, { roots: [{ name: "root-a" }, { name: "root-b" }] }),
      [
        "multicluster-mesh:trust.issuer: is required when more than one root is listed (missing) — name the root that signs the intermediates: the old one until every cluster trusts both, then the new one",
      ],
    ],
    [
      "more than two roots",
      withTrust(1, { roots: [{ name: "r-a" }, { name: "r-b" }, { name: "r-c" }], issuer: "r-c" }),
      [
        'multicluster-mesh:trust.roots: more than two roots (["r-a","r-b","r-c"]) — trust at most the old and the new root while rotating; remove a retired root before adding another',
      ],
    ],
    [
      "duplicate root names",
      withTrust(1, { roots: [{ name: "r-a" }, { name: "r-a" }], issuer: "r-a" }),
      [
        'multicluster-mesh:trust.roots[1].name: duplicate root name, already used by trust.roots[0] ("r-a") — give every root its own name',
      ],
    ],
    [
      "intermediate validity longer than the root's",
      withTrust(1, { rootValidityHours: 8760, intermediateValidityHours: 17520 }),
      [
        "multicluster-mesh:trust.intermediateValidityHours: longer than the root's validity (8760 hours) (17520) — an intermediate must expire before its root: set it to at most trust.rootValidityHours",
      ],
    ],
    [
      "early renewal not shorter than the validity",
      withTrust(1, { intermediateValidityHours: 720 }),
      [
        "multicluster-mesh:trust.earlyRenewalHours: not shorter than the intermediate validity (720 hours) (720) — renew before expiry, not at issuance: set it well below the validity, e.g. 720 (30 days)",
      ],
    ],
    [
      "an external root without its certificate",
      withTrust(1, { roots: [{ name: "corp", source: "external", keyPem: KEY_A }] }),
      [
        "multicluster-mesh:trust.roots[0].certPem: an external root needs its certificate (missing) — set it: pulumi config set --secret --path 'trust.roots[0].certPem' < root-cert.pem",
      ],
    ],
    [
      "an external issuing root missing its key while clusters generate",
      withTrust(2, { roots: [{ name: "corp", source: "external", certPem: CERT_A }] }),
      [
        "multicluster-mesh:trust.roots[0].keyPem: the issuing root is external and has no key, but aws-c0, gcp-c1 generate their intermediates (missing) — set it (pulumi config set --secret --path 'trust.roots[0].keyPem' < root-key.pem), or bring those clusters' intermediates under trust.intermediates to keep the root offline",
      ],
    ],
    [
      "PEMs on a generated root (the key is never echoed)",
      withTrust(1, { roots: [{ name: "root-1", certPem: CERT_A, keyPem: KEY_A }] }),
      [
        `multicluster-mesh:trust.roots[0].certPem: a generated root takes no certPem (${JSON.stringify(CERT_A).slice(0, 77)}...) — remove it, or set trust.roots[0].source: external`,
        "multicluster-mesh:trust.roots[0].keyPem: a generated root takes no keyPem ([redacted]) — remove it, or set trust.roots[0].source: external",
      ],
    ],
    [
      "an issuing root whose key cannot sign the pathlen:0 intermediates deterministically (P-224, Ed448)",
      withTrust(2, { roots: [{ name: "corp", source: "external", certPem: CERT_A, keyPem: realKey("ec", "P-224") }] }),
      [
        "multicluster-mesh:trust.roots[0].keyPem: the issuing root's key (ECDSA secp224r1) cannot sign the pathlen:0 intermediates of aws-c0, gcp-c1 deterministically ([redacted]) — use an RSA, Ed25519 or ECDSA P-256, P-384 or P-521 key, or bring those clusters' intermediates under trust.intermediates",
      ],
    ],
    [
      "an issuing Ed448 root key",
      withTrust(1, { roots: [{ name: "corp", source: "external", certPem: CERT_A, keyPem: realKey("ed448") }] }),
      [
        "multicluster-mesh:trust.roots[0].keyPem: the issuing root's key (ed448) cannot sign the pathlen:0 intermediates of aws-c0 deterministically ([redacted]) — use an RSA, Ed25519 or ECDSA P-256, P-384 or P-521 key, or bring those clusters' intermediates under trust.intermediates",
      ],
    ],
    [
      "a key that is not a PEM key (redacted)",
      withTrust(1, { roots: [{ name: "corp", source: "external", certPem: CERT_A, keyPem: "hunter2-secret" }] }),
      [
        "multicluster-mesh:trust.roots[0].keyPem: is not a PEM private key ([redacted]) — paste the whole key, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----",
      ],
    ],
    [
      "unknown cluster names in per-cluster settings",
      withTrust(2, { intermediates: { "aws-c9": { generation: 2 } } }),
      [
        'multicluster-mesh:trust.intermediates.aws-c9: names no cluster of this stack ("aws-c9") — use one of: aws-c0, gcp-c1',
      ],
    ],
    [
      "an external intermediate missing parts",
      withTrust(1, { intermediates: { "aws-c0": { source: "external", certPem: INT_CERT } } }),
      [
        "multicluster-mesh:trust.intermediates.aws-c0.keyPem: an external intermediate needs certPem, keyPem and chainPem (missing) — set it: pulumi config set --secret --path 'trust.intermediates.aws-c0.keyPem' < ca-key.pem",
        "multicluster-mesh:trust.intermediates.aws-c0.chainPem: an external intermediate needs certPem, keyPem and chainPem (missing) — set it: pulumi config set --secret --path 'trust.intermediates.aws-c0.chainPem' < cert-chain.pem",
      ],
    ],
    [
      "a chain that does not start with the intermediate, and a generation on a brought intermediate",
      withTrust(1, {
        intermediates: {
          "aws-c0": {
            source: "external",
            generation: 3,
            certPem: INT_CERT,
            keyPem: INT_KEY,
            chainPem: CERT_A + INT_CERT,
          },
        },
      }),
      [
        "multicluster-mesh:trust.intermediates.aws-c0.generation: generation only rotates generated intermediates (3) — remove it; rotate a brought intermediate by replacing its certPem, keyPem and chainPem",
        `multicluster-mesh:trust.intermediates.aws-c0.chainPem: does not start with the intermediate's own certificate (${JSON.stringify(CERT_A + INT_CERT).slice(0, 77)}...) — put certPem first, then its issuer's certificate, up to the root`,
      ],
    ],
    [
      "a chain of one certificate",
      withTrust(1, {
        intermediates: { "aws-c0": { source: "external", certPem: INT_CERT, keyPem: INT_KEY, chainPem: INT_CERT } },
      }),
      [
        `multicluster-mesh:trust.intermediates.aws-c0.chainPem: is not a PEM chain of at least two certificates (${JSON.stringify(INT_CERT).slice(0, 77)}...) — paste the intermediate's certificate followed by its issuer's, up to the root`,
      ],
    ],
  ];

  it.each(cases)("%s", (_name, spec, expected) => {
    expect(problems(spec)).toEqual(expected);
  });

  it("planTrust throws every problem at once", () => {
    const spec = withTrust(1, {
      issuer: "nope",
      rootValidityHours: 100,
      intermediateValidityHours: 200,
      earlyRenewalHours: 100,
    });
    expect(() => planTrust(spec)).toThrow(SpecError);
    try {
      planTrust(spec);
    } catch (e) {
      expect((e as SpecError).issues.map((i) => i.path)).toEqual([
        "trust.issuer",
        "trust.intermediateValidityHours",
        "trust.earlyRenewalHours",
      ]);
      expect((e as SpecError).message).toContain("not shorter than the root validity (100 hours) (100)");
    }
  });

  it("the schema rejects a root name that is not a DNS label and an unknown source", () => {
    const raw = {
      mesh: "istio",
      clusters: [clusterInput(0)],
      trust: { roots: [{ name: "Root_1", source: "vault" }] },
    };
    expect(checkFleetConfig(raw, "dev").map(renderIssue)).toEqual([
      "multicluster-mesh:trust.roots[0].name: root name must be a DNS label (\"Root_1\") — use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
      'multicluster-mesh:trust.roots[0].source: unknown root source ("vault") — use generated or external',
    ]);
  });

  it("defaults are written once and match the documented values", () => {
    expect(trustSchema.parse(undefined)).toEqual({
      rootValidityHours: 87600,
      intermediateValidityHours: 17520,
      earlyRenewalHours: 720,
      roots: [{ name: "root-1", source: "generated" }],
      intermediates: {},
    });
    expect(trustSchema.parse({})).toEqual(trustSchema.parse(undefined));
    expect(trustSchema.parse({ intermediates: { x: {} } }).intermediates).toEqual({
      x: { source: "generated", generation: 1 },
    });
  });
});

describe("properties", () => {
  const N = 6;
  const all = Array.from({ length: N }, (_, i) => clusterInput(i));

  it("a cluster's trust depends on neither list order nor the other clusters", () => {
    const full = planTrust({ ...fleetSpec(1), clusters: fleetSpec(N).clusters });
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: 1 }), (subset) => {
        const spec = fleetSpec(1);
        const clusters = fleetSpec(N).clusters.filter((c) => subset.some((s) => s.name === c.name));
        const ordered = subset.map((s) => clusters.find((c) => c.name === s.name)!);
        const plan = planTrust({ ...spec, clusters: ordered });
        expect(plan.clusters.map((c) => c.cluster)).toEqual(subset.map((s) => s.name));
        for (const c of plan.clusters) {
          expect(c).toEqual(cluster(full, c.cluster));
        }
        expect(plan.roots).toEqual(full.roots);
      }),
    );
  });

  it("every generated intermediate is signed by the one issuing root, and multi-root is on exactly with two roots", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 5 }), (two, issueFromSecond, generation) => {
        const roots = two ? [{ name: "old" }, { name: "new" }] : [{ name: "old" }];
        const issuer = two && issueFromSecond ? "new" : "old";
        const plan = planTrust(withTrust(3, { roots, issuer, intermediates: { "gcp-c1": { generation } } }));
        expect(plan.roots.filter((r) => r.issuing).map((r) => r.name)).toEqual([issuer]);
        expect(plan.istio.multiRoot).toBe(two);
        expect("ISTIO_MULTIROOT_MESH" in plan.istio.istiodEnv).toBe(two);
        for (const c of plan.clusters) {
          const i = generated(c.intermediate);
          expect(i.issuer).toBe(issuer);
          expect(i.name).toBe(`${issuer}-g${c.cluster === "gcp-c1" ? generation : 1}`);
        }
      }),
    );
  });
});

/** Istio's network label; EKS clusters (named aws-*) also get the load balancer controller's readiness-gate label. */
function namespaceLabels(cluster: string, network: string): Record<string, string> {
  return {
    ...(cluster.startsWith("aws-") ? { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } : {}),
    "topology.istio.io/network": network,
  };
}
