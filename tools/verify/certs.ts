/**
 * The `cacerts` check: the four keys istiod needs are there, the intermediate (`ca-cert.pem`) is signed by one of the
 * environment's roots, `cert-chain.pem` ends in that root, `root-cert.pem` trusts it, and the intermediate does not
 * expire within the window, and it is constrained to path length 0 (it may sign workload certificates, no further CA),
 * as the program issues it. Reads certificates with node:crypto; never reads or prints the key.
 */
import { X509Certificate } from "node:crypto";
import { pathLengthOf } from "../../components/trust/path-length";

export const CACERTS_KEYS = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"] as const;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM bundle, in order; throws on one that does not parse. */
export function certificates(pem: string): X509Certificate[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new X509Certificate(block));
}

function subjectOf(cert: X509Certificate): string {
  return cert.subject.split("\n").join(", ");
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CacertsVerdict {
  readonly ok: boolean;
  readonly reason: string;
}

/**
 * `data` is the Secret's data (base64 values); `roots` the environment's trust bundle (PEM), or undefined when it is
 * not known (no stack outputs), in which case the cluster's own `root-cert.pem` stands in for it.
 */
export function checkCacerts(
  data: Readonly<Record<string, string>>,
  roots: string | undefined,
  now: Date,
  windowDays: number,
): CacertsVerdict {
  const missing = CACERTS_KEYS.filter((k) => !data[k]);
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `Secret istio-system/cacerts lacks ${missing.join(", ")} — istiod refuses a partial bundle; re-run pulumi up to rewrite it`,
    };
  }
  const decode = (key: string): string => Buffer.from(data[key] as string, "base64").toString("utf8");
  let intermediate: X509Certificate | undefined;
  let chain: X509Certificate[];
  let trusted: X509Certificate[];
  let environment: X509Certificate[];
  try {
    intermediate = certificates(decode("ca-cert.pem"))[0];
    chain = certificates(decode("cert-chain.pem"));
    trusted = certificates(decode("root-cert.pem"));
    environment = roots === undefined ? trusted : certificates(roots);
  } catch (e) {
    return { ok: false, reason: `cacerts holds a certificate that does not parse (${(e as Error).message})` };
  }
  if (intermediate === undefined) {
    return { ok: false, reason: "cacerts ca-cert.pem holds no certificate — re-run pulumi up to rewrite it" };
  }
  const name = subjectOf(intermediate);
  const root = environment.find((r) => signedBy(intermediate, r));
  if (root === undefined) {
    return {
      ok: false,
      reason:
        `intermediate CA (${name}) is not signed by the environment's root (issuer: ${intermediate.issuer.split("\n").join(", ")}) — ` +
        "cross-cluster mTLS fails; re-issue it from the environment's root (pulumi up) or fix trust.intermediates",
    };
  }
  const last = chain[chain.length - 1];
  if (chain[0]?.fingerprint256 !== intermediate.fingerprint256 || last?.fingerprint256 !== root.fingerprint256) {
    return {
      ok: false,
      reason:
        "cert-chain.pem is not the intermediate followed by the environment's root — re-run pulumi up to rewrite cacerts",
    };
  }
  if (!trusted.some((t) => t.fingerprint256 === root.fingerprint256)) {
    return {
      ok: false,
      reason:
        "root-cert.pem does not contain the root that signed the intermediate — re-run pulumi up to rewrite cacerts",
    };
  }
  const pathLength = pathLengthOf(decode("ca-cert.pem"));
  if (pathLength !== 0) {
    return {
      ok: false,
      reason:
        `intermediate CA (${name}) has ${pathLength === null ? "no path-length constraint" : `path length ${pathLength}`}, so it could sign further CAs — ` +
        "re-run pulumi up to re-issue it with pathlen:0, or bring one issued with basicConstraints = critical, CA:true, pathlen:0",
    };
  }
  const expires = new Date(intermediate.validTo);
  const days = Math.floor((expires.getTime() - now.getTime()) / DAY_MS);
  const day = expires.toISOString().slice(0, 10);
  if (days < 0) {
    return { ok: false, reason: `intermediate CA (${name}) expired on ${day} — rotate it now (README "Trust")` };
  }
  if (days < windowDays) {
    return {
      ok: false,
      reason: `intermediate CA (${name}) expires on ${day}, in ${days} days (window ${windowDays}) — rotate it (README "Trust")`,
    };
  }
  const rootNote =
    roots === undefined ? " (environment root unknown without stack outputs: checked against root-cert.pem)" : "";
  return {
    ok: true,
    reason: `intermediate signed by the environment's root, pathlen:0, valid until ${day}${rootNote}`,
  };
}
