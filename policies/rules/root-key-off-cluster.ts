/**
 * The root CA key is in no cluster Secret. Every cluster holds only its intermediate (ca-key.pem); whoever can read
 * a Secret holding the root key could mint identities for every cluster of the mesh.
 *
 * Evidence, whichever is visible: the Secret depends on a root key (CrossGuard; offline when recorded), a data value
 * equals the root key's PEM (CrossGuard after `up`), or a data key is named like a root key. Root keys are the keys
 * of self-signed CA certificates (see facts.ts). An external root has no key in the stack, so there is nothing to find.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { CACERTS_KEY, fleetFacts, ROOT_KEY_DATA_KEYS, secretFacts, TYPES } from "../facts";
import { clusters, say } from "../kit";

export const rootKeyOffCluster: StackValidationPolicy = {
  name: "root-key-off-cluster",
  description:
    "No Kubernetes Secret holds the root CA's private key; ca-key.pem is always a cluster's intermediate key.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const facts = fleetFacts(args.resources);
    const rootKeys = new Map(facts.rootKeys.map((k) => [k.urn, k]));
    for (const r of args.resources.filter((x) => x.type === TYPES.secret)) {
      const secret = secretFacts(r);
      const owner = facts.clusterOf(r);
      const where = owner !== undefined ? clusters([owner]) : "a cluster";
      const id = `${secret.namespace ?? "?"}/${secret.name ?? r.name}`;
      const evidence: string[] = [];
      for (const d of secret.dependencies.filter((x) => rootKeys.has(x.urn))) {
        evidence.push(`depends on root key ${d.name}`);
      }
      for (const [key, values] of Object.entries(secret.values)) {
        for (const k of facts.rootKeys) {
          if (k.pem !== undefined && values.some((v) => v.trim() === k.pem?.trim())) {
            evidence.push(`${key} holds root key ${k.resource.name}`);
          }
        }
      }
      for (const key of secret.keys.filter((k) => (ROOT_KEY_DATA_KEYS as readonly string[]).includes(k))) {
        evidence.push(`data key ${key}`);
      }
      if (evidence.length > 0) {
        report(
          say(
            where,
            `Secret ${id} holds the root CA key`,
            evidence.join("; "),
            `put only the cluster's own intermediate key in ${CACERTS_KEY} and keep the root key out of every cluster`,
          ),
          r.urn,
        );
      }
    }
  },
};
