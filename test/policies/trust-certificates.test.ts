/**
 * The trust rules compare certificates, not names: the same brought-in intermediate given to two clusters (under any
 * encoding), or the root itself given as a cluster's intermediate, is stopped in prod; distinct intermediates pass.
 * The cacerts Secrets of the recorded prod fleet are edited to hold brought-in material, as CrossGuard sees them
 * after `up` (plaintext).
 */
import { describe, expect, it } from "vitest";
import dev from "../../policies/config/dev.json";
import prod from "../../policies/config/prod.json";
import { violationsFor } from "../../tools/policy-runner";
import { type Authority, intermediateCa, rootCa } from "../tools/verify/certificates";
import { edit, istioSpec, record, urnIn } from "./support";

const NOW = new Date("2026-06-01T00:00:00Z");
const KEY = (n: string): string =>
  `-----BEGIN PRIVATE KEY-----\n${Buffer.from(n).toString("base64")}\n-----END PRIVATE KEY-----\n`;

function cacerts(intermediate: Authority, root: Authority, key: string): Record<string, string> {
  return {
    "ca-cert.pem": intermediate.pem,
    "ca-key.pem": KEY(key),
    "root-cert.pem": root.pem,
    "cert-chain.pem": `${intermediate.pem}\n${root.pem}`,
  };
}

async function fleetWith(a: Record<string, string>, b: Record<string, string>) {
  const base = await record(istioSpec());
  const run = edit(base).set("aws-use1-cacerts", "stringData", a).set("gcp-usc1-cacerts", "stringData", b).run();
  return { base, run };
}

const rule = (run: Parameters<typeof violationsFor>[0], config: Record<string, unknown>) =>
  violationsFor(run, config).filter((v) => v.policy === "intermediate-ca-per-cluster");

describe("intermediate-ca-per-cluster compares certificates", () => {
  it("stops one brought-in intermediate given to two clusters, even re-encoded, in prod (advisory in dev)", async () => {
    const root = await rootCa("Root CA", NOW);
    const shared = await intermediateCa(root, "aws-use1", NOW, 365);
    const reencoded = { ...shared, pem: shared.pem.replace(/\n/g, "\r\n") };
    const { base, run } = await fleetWith(cacerts(shared, root, "a"), cacerts(reencoded, root, "b"));
    const message =
      "clusters aws-use1, gcp-usc1: share an intermediate CA, so one leaked or expiring intermediate affects all of them (the same intermediate certificate, O=Istio, CN=Intermediate CA, L=aws-use1) — give every cluster its own intermediate key and certificate signed by the root (one ClusterTrust per cluster)";
    expect(rule(run, prod)).toEqual([
      {
        policy: "intermediate-ca-per-cluster",
        enforcement: "mandatory",
        urn: urnIn(base, "aws-use1-cacerts"),
        message,
      },
    ]);
    expect(rule(run, dev).map((v) => v.enforcement)).toEqual(["advisory"]);
  });

  it("stops the root given as a cluster's intermediate", async () => {
    const root = await rootCa("Root CA", NOW);
    const own = await intermediateCa(root, "gcp-usc1", NOW, 365);
    const { base, run } = await fleetWith(cacerts(root, root, "root"), cacerts(own, root, "b"));
    expect(rule(run, prod)).toEqual([
      {
        policy: "intermediate-ca-per-cluster",
        enforcement: "mandatory",
        urn: urnIn(base, "aws-use1-cacerts"),
        message:
          "cluster aws-use1: is given the root CA as its intermediate, so it shares its issuing CA with every cluster under that root (O=Istio, CN=Root CA) — bring an intermediate signed by the root for this cluster alone (trust.intermediates.<cluster>.certPem, keyPem, chainPem), or let the program generate one",
      },
    ]);
  });

  it("passes two clusters with intermediates of their own under one root", async () => {
    const root = await rootCa("Root CA", NOW);
    const a = await intermediateCa(root, "aws-use1", NOW, 365);
    const b = await intermediateCa(root, "gcp-usc1", NOW, 365);
    const { run } = await fleetWith(cacerts(a, root, "a"), cacerts(b, root, "b"));
    expect(rule(run, prod)).toEqual([]);
  });
});
