/**
 * istiod survives a node drain and a zone outage: at least `minReplicas` replicas spread across zones. istiod is the
 * sidecar injector (its webhook fails closed), the CA and the xDS server; the chart renders its PodDisruptionBudget
 * only with more than one replica.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, istiodMinReplicas, list, releasesOf, spreadsAcrossZones, ZONE_TOPOLOGY_KEY } from "../facts";
import { clusters, configKey, configOf, say, show } from "../kit";

export interface IstiodReplicasConfig {
  readonly minReplicas: number;
  readonly requireZoneSpread: boolean;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    minReplicas: {
      type: "integer",
      minimum: 1,
      default: 2,
      description:
        "The fewest istiod replicas (autoscaleMin, or replicaCount without autoscaling); 1 is enough in dev.",
    },
    requireZoneSpread: {
      type: "boolean",
      default: true,
      description: `istiod's pods spread across zones (topologySpreadConstraints or anti-affinity on ${ZONE_TOPOLOGY_KEY}).`,
    },
  },
};

export const istiodReplicas: StackValidationPolicy = {
  name: "istiod-replicas",
  description: "Every istiod release keeps at least minReplicas replicas, spread across zones.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, report) => {
    const config = configOf<IstiodReplicasConfig>(configSchema, args.getConfig());
    for (const cluster of fleetFacts(args.resources).clusters) {
      for (const istiod of releasesOf(cluster, "istiod")) {
        const who = clusters([cluster.name]);
        const { replicas, from } = istiodMinReplicas(istiod.values);
        if (replicas < config.minReplicas) {
          report(
            say(
              who,
              `istiod keeps ${replicas} replica(s), fewer than ${config.minReplicas}, so a node drain stops sidecar injection, certificate signing and config pushes`,
              `${from}: ${replicas}`,
              `raise ${configKey("istio.istiod.replicas")} to ${config.minReplicas} or more`,
            ),
            istiod.urn,
          );
        }
        if (config.requireZoneSpread && !spreadsAcrossZones(istiod.values)) {
          report(
            say(
              who,
              "istiod's replicas are not spread across zones",
              `topologySpreadConstraints: ${show(list(istiod.values, "topologySpreadConstraints") ?? null)}`,
              `add a topologySpreadConstraint on ${ZONE_TOPOLOGY_KEY} to the istiod values`,
            ),
            istiod.urn,
          );
        }
      }
    }
  },
};
