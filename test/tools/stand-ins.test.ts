/**
 * A stack that brings its trust material the documented way (`secure:` values) plans offline: every secret stands in
 * as valid material of its kind, deterministically, and the plan says which values were stood in (all formats).
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encryptedConfigFromStackYaml } from "../../stacks/load";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";
import type { PlanDocument } from "../../tools/plan-document";
import { standInsFor } from "../../tools/stand-ins";

const scratch = mkdtempSync(join(tmpdir(), "stand-ins-"));
const secure = (n: string): string => `{ secure: v1:${Buffer.from(n).toString("base64")} }`;

/** prod with an external root (certificate and key secret) and aws-use1's intermediate brought in as secrets. */
const BROUGHT_IN = `  multicluster-mesh:trust:
    roots:
      - name: corp
        source: external
        certPem: ${secure("root cert")}
        keyPem: ${secure("root key")}
    intermediates:
      aws-use1:
        source: external
        certPem: ${secure("aws cert")}
        keyPem: ${secure("aws key")}
        chainPem: ${secure("aws chain")}
`;

function stackFile(extra: string): string {
  const file = join(scratch, `Pulumi.brought-${Math.random().toString(36).slice(2)}.yaml`);
  const prod = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.prod.yaml"), "utf8");
  writeFileSync(file, prod.replace("  multicluster-mesh:clusters:", `${extra}  multicluster-mesh:clusters:`));
  return file;
}

describe("secret trust material offline", () => {
  it("plans a stack whose root and intermediate are secrets, and lists what stood in (JSON)", async () => {
    const file = stackFile(BROUGHT_IN);
    const result = await runPlanCommand(["--config", file, "--stack", "prod", "--format", "json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as PlanDocument;
    expect(doc.standIns).toEqual([
      { path: "trust.roots[0].certPem", kind: "certificate" },
      { path: "trust.roots[0].keyPem", kind: "private key" },
      { path: "trust.intermediates.aws-use1.certPem", kind: "certificate" },
      { path: "trust.intermediates.aws-use1.keyPem", kind: "private key" },
      { path: "trust.intermediates.aws-use1.chainPem", kind: "chain" },
    ]);
    const again = await runPlanCommand(["--config", file, "--stack", "prod", "--format", "json"]);
    expect(again.stdout).toBe(result.stdout);
  });

  it("says so in the text and markdown plans", async () => {
    const file = stackFile(BROUGHT_IN);
    const text = (await runPlanCommand(["--config", file, "--stack", "prod"])).stdout;
    expect(text).toContain(
      "Secrets stood in offline (5; the real values are used only by pulumi preview/up)\n  trust.roots[0].certPem: secret, planned with a stand-in certificate\n",
    );
    const markdown = (await runPlanCommand(["--config", file, "--stack", "prod", "--format", "markdown"])).stdout;
    expect(markdown).toContain("### Secrets stood in");
    expect(markdown).toContain("- `trust.intermediates.aws-use1.chainPem`: a stand-in chain");
  });

  it("leaves the shipped stacks without a standIns key (they have no secrets)", async () => {
    const doc = JSON.parse((await runPlanCommand(["--stack", "prod", "--format", "json"])).stdout) as PlanDocument;
    expect(doc.standIns).toBeUndefined();
  });

  it("stands in valid material of each kind: a key, a CA certificate, a chain starting with the certificate", async () => {
    const config = encryptedConfigFromStackYaml(readFileSync(stackFile(BROUGHT_IN), "utf8"), "x");
    const { values } = await standInsFor(config);
    expect(createPrivateKey(values.get("trust.roots[0].keyPem") ?? "").asymmetricKeyType).toBe("ed25519");
    const cert = new X509Certificate(values.get("trust.intermediates.aws-use1.certPem") ?? "");
    expect(cert.ca).toBe(true);
    expect(cert.subject).toBe("O=multicluster-mesh stand-in\nCN=trust.intermediates.aws-use1.certPem");
    const chain = values.get("trust.intermediates.aws-use1.chainPem") ?? "";
    expect(chain.startsWith(values.get("trust.intermediates.aws-use1.certPem")?.trimEnd() ?? "?")).toBe(true);
    expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it("stands one secret value pasted in two places in as one certificate (same public key), others apart", async () => {
    const same = secure("shared intermediate");
    const text = `config:\n  multicluster-mesh:trust:\n    intermediates:\n      a: { certPem: ${same} }\n      b: { certPem: ${same} }\n      c: { certPem: ${secure("other")} }\n`;
    const { values } = await standInsFor(encryptedConfigFromStackYaml(text, "x"));
    const key = (p: string): string =>
      new X509Certificate(values.get(p) ?? "").publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(key("trust.intermediates.a.certPem")).toBe(key("trust.intermediates.b.certPem"));
    expect(key("trust.intermediates.a.certPem")).not.toBe(key("trust.intermediates.c.certPem"));
  });

  /** prod with an external root and brought-in intermediates for aws-use1 and gcp-usc1, certPem values given. */
  const brought = (rootCert: string, awsCert: string, gcpCert: string): string =>
    stackFile(`  multicluster-mesh:trust:
    roots:
      - { name: corp, source: external, certPem: ${rootCert}, keyPem: ${secure("root key")} }
    intermediates:
      aws-use1: { source: external, certPem: ${awsCert}, keyPem: ${secure("a key")}, chainPem: ${secure("a chain")} }
      gcp-usc1: { source: external, certPem: ${gcpCert}, keyPem: ${secure("g key")}, chainPem: ${secure("g chain")} }
`);
  const trustViolations = async (file: string) => {
    const result = await runPlanCommand(["--config", file, "--stack", "prod", "--format", "json"]);
    const doc = JSON.parse(result.stdout) as PlanDocument;
    return { code: result.code, found: doc.violations.filter((v) => v.policy === "intermediate-ca-per-cluster") };
  };

  it("lets the trust rules compare stood-in certificates: one secret intermediate pasted for two clusters is stopped", async () => {
    const shared = secure("one intermediate");
    const { code, found } = await trustViolations(brought(secure("root cert"), shared, shared));
    expect(code).toBe(1);
    expect(found.map((v) => [v.enforcement, v.message.replace(/sha256 [0-9a-f]{16}…/, "sha256 <key>…")])).toEqual([
      [
        "mandatory",
        "clusters aws-use1, gcp-usc1: share an intermediate CA, so one leaked or expiring intermediate affects all of them (the same brought-in intermediate certificate, public key sha256 <key>…) — give every cluster its own intermediate key and certificate signed by the root (one ClusterTrust per cluster)",
      ],
    ]);
  });

  it("stops the root's certificate given as a cluster's intermediate, and passes distinct intermediates", async () => {
    const root = secure("root cert");
    const { found } = await trustViolations(brought(root, root, secure("g cert")));
    expect(found.map((v) => v.message)).toEqual([
      "cluster aws-use1: is given the root CA as its intermediate, so it shares its issuing CA with every cluster under that root (trust.intermediates.aws-use1.certPem is a trusted root's certificate) — bring an intermediate signed by the root for this cluster alone (trust.intermediates.<cluster>.certPem, keyPem, chainPem), or let the program generate one",
    ]);
    const distinct = await trustViolations(brought(root, secure("a cert"), secure("g cert")));
    expect(distinct).toEqual({ code: 0, found: [] });
  });
});
