/**
 * In production, resources that hold state or identity are protected: clusters, their networks, and the root CA's
 * key and certificate. Deleting one is not undone by recreating it: workloads, addresses and every identity issued
 * under the root are gone.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, TYPES } from "../facts";
import { clusters, configKey, configOf, say } from "../kit";

export interface ProtectConfig {
  readonly resourceTypes: readonly string[];
  readonly protectRootCa: boolean;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    resourceTypes: {
      type: "array",
      items: { type: "string" },
      default: [TYPES.eksCluster, TYPES.gkeCluster, TYPES.vpc, TYPES.gcpNetwork],
      description: "Type tokens of the resources that must be protected.",
    },
    protectRootCa: {
      type: "boolean",
      default: true,
      description: "The root CA's key and self-signed certificate must be protected too.",
    },
  },
};

export const protectStatefulResources: StackValidationPolicy = {
  name: "protect-stateful-resources",
  description:
    "Clusters, their networks and the root CA key and certificate are protected (meant to be mandatory in prod).",
  enforcementLevel: "advisory",
  configSchema,
  validateStack: (args, report) => {
    const config = configOf<ProtectConfig>(configSchema, args.getConfig());
    const facts = fleetFacts(args.resources);
    const root = new Set(
      config.protectRootCa ? [...facts.rootKeys.map((k) => k.urn), ...facts.rootCerts.map((c) => c.urn)] : [],
    );
    for (const r of args.resources) {
      const wanted = config.resourceTypes.includes(r.type) || root.has(r.urn);
      if (!wanted || r.opts.protect) {
        continue;
      }
      const owner = facts.clusterOf(r);
      const subject = root.has(r.urn) ? "root CA" : owner !== undefined ? clusters([owner]) : "stack";
      report(
        say(
          subject,
          `${r.type} ${r.name} is not protected, so a destroy or a replacing change deletes it`,
          "protect: false",
          root.has(r.urn)
            ? "protect the root key and certificate (the trust component does; do not override it)"
            : `set ${configKey("protect")}: true in the stack file`,
        ),
        r.urn,
      );
    }
  },
};
