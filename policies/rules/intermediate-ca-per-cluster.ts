/**
 * No two clusters share an intermediate CA: each cluster's `cacerts` Secret carries its own intermediate key and
 * certificate, so a leaked, revoked or expiring intermediate concerns one cluster only.
 *
 * Evidence, whichever is visible: the Secret's dependencies (CrossGuard; offline when recorded) on an intermediate
 * certificate or key, the intermediate's own cluster, and the Secret's plaintext ca-cert.pem / ca-key.pem (CrossGuard
 * after `up`, and brought-in material). Certificates are compared by public key (policies/shared/certificates.ts), so the same
 * intermediate brought in twice is caught whatever it is called; and a ca-cert.pem that is one of the Secret's own
 * roots (or any self-signed certificate) is the root given as an intermediate: every cluster under that root then
 * shares it. Redacted values prove nothing either way.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { certificatesIn } from "../shared/certificates";
import { CACERTS_SECRET, fleetFacts, ISTIO_NAMESPACE, str, strings, TYPES } from "../facts";
import { clusters, say } from "../kit";

const CONTENT_KEYS = ["ca-cert.pem", "ca-key.pem"] as const;

export const intermediateCaPerCluster: StackValidationPolicy = {
  name: "intermediate-ca-per-cluster",
  description: "Every cluster's cacerts Secret holds an intermediate CA of its own; no two clusters share one.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const facts = fleetFacts(args.resources);
    const rootKeys = new Set(facts.rootKeys.map((k) => k.urn));
    const intermediateOwner = new Map(facts.intermediates.map((i) => [i.urn, i.cluster]));
    for (const i of facts.intermediates) {
      if (i.key) {
        intermediateOwner.set(i.key.urn, i.cluster);
      }
    }

    const rootReported = new Set<string>();
    const rootAsIntermediate = (cluster: string, what: string, urn: string): void => {
      if (rootReported.has(cluster)) {
        return;
      }
      rootReported.add(cluster);
      report(
        say(
          clusters([cluster]),
          "is given the root CA as its intermediate, so it shares its issuing CA with every cluster under that root",
          what,
          "bring an intermediate signed by the root for this cluster alone (trust.intermediates.<cluster>.certPem, keyPem, chainPem), or let the program generate one",
        ),
        urn,
      );
    };

    /** evidence key → clusters using it, and what to call it in a message */
    const users = new Map<string, { clusters: Set<string>; what: string; urn: string }>();
    const use = (key: string, cluster: string, what: string, urn: string): void => {
      const entry = users.get(key) ?? { clusters: new Set<string>(), what, urn };
      entry.clusters.add(cluster);
      users.set(key, entry);
    };

    for (const c of facts.clusters) {
      const cacerts = c.secrets.filter(
        (s) => s.name === CACERTS_SECRET && (s.namespace === undefined || s.namespace === ISTIO_NAMESPACE),
      );
      for (const secret of cacerts) {
        for (const d of secret.dependencies.filter((x) => isIntermediate(x, rootKeys))) {
          use(d.urn, c.name, `${d.name}`, secret.urn);
          const owner = intermediateOwner.get(d.urn);
          if (owner !== undefined) {
            use(d.urn, owner, `${d.name}`, secret.urn);
          }
        }
        for (const key of CONTENT_KEYS) {
          for (const value of secret.values[key] ?? []) {
            use(`${key}\n${value}`, c.name, `the same ${key}`, secret.urn);
          }
        }
        const own = (secret.values["ca-cert.pem"] ?? []).flatMap(certificatesIn)[0];
        if (own !== undefined) {
          use(`public key\n${own.publicKey}`, c.name, `the same intermediate certificate, ${own.subject}`, secret.urn);
          const roots = (secret.values["root-cert.pem"] ?? []).flatMap(certificatesIn);
          if (own.selfSigned || roots.some((r) => r.publicKey === own.publicKey)) {
            rootAsIntermediate(c.name, own.subject, secret.urn);
          }
        }
      }
    }

    // Brought-in intermediates: the public keys their ClusterTrust registers (readable offline too).
    for (const trust of args.resources.filter((r) => r.type === TYPES.clusterTrust)) {
      const cluster = str(trust.props, "cluster");
      const key = str(trust.props, "intermediatePublicKey");
      if (cluster === undefined || key === undefined || key === "") {
        continue;
      }
      const what = `the same brought-in intermediate certificate, public key sha256 ${key.slice(0, 16)}…`;
      use(`public key\n${key}`, cluster, what, trust.urn);
      if ((strings(trust.props, "rootPublicKeys") ?? []).includes(key)) {
        rootAsIntermediate(
          cluster,
          `trust.intermediates.${cluster}.certPem is a trusted root's certificate`,
          trust.urn,
        );
      }
    }

    const reported = new Set<string>();
    for (const { clusters: names, what, urn } of users.values()) {
      const sorted = [...names].sort();
      const key = sorted.join(" ");
      if (sorted.length < 2 || reported.has(key)) {
        continue;
      }
      reported.add(key);
      report(
        say(
          clusters(sorted),
          "share an intermediate CA, so one leaked or expiring intermediate affects all of them",
          what,
          "give every cluster its own intermediate key and certificate signed by the root (one ClusterTrust per cluster)",
        ),
        urn,
      );
    }
  },
};

function isIntermediate(r: PolicyResource, rootKeys: ReadonlySet<string>): boolean {
  return r.type === TYPES.locallySignedCert || (r.type === TYPES.privateKey && !rootKeys.has(r.urn));
}
