/**
 * Every Istio cluster has its own east-west gateway, and it survives a node drain and a zone outage: at least
 * `minReplicas` replicas, a PodDisruptionBudget, topology spread across zones, and (on AWS) a cross-zone NLB.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import {
  AWS_CROSS_ZONE,
  AWS_LB_ATTRIBUTES,
  eastWestGateways,
  EASTWEST_RELEASE,
  fleetFacts,
  gatewayMinReplicas,
  list,
  record,
  releasesOf,
  spreadsAcrossZones,
  stringMap,
  ZONE_TOPOLOGY_KEY,
} from "../facts";
import { clusters, configKey, configOf, say, show } from "../kit";

export interface EastWestGatewayConfig {
  readonly minReplicas: number;
  readonly requirePodDisruptionBudget: boolean;
  readonly requireZoneSpread: boolean;
  readonly requireCrossZoneLoadBalancing: boolean;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    minReplicas: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "The fewest gateway replicas (autoscaling.minReplicas, or replicaCount without autoscaling).",
    },
    requirePodDisruptionBudget: {
      type: "boolean",
      default: true,
      description: "The gateway values set podDisruptionBudget.",
    },
    requireZoneSpread: {
      type: "boolean",
      default: true,
      description: `The gateway pods spread across zones (topologySpreadConstraints or anti-affinity on ${ZONE_TOPOLOGY_KEY}).`,
    },
    requireCrossZoneLoadBalancing: {
      type: "boolean",
      default: true,
      description: `On AWS the gateway's NLB balances across zones (${AWS_LB_ATTRIBUTES}: ${AWS_CROSS_ZONE}).`,
    },
  },
};

export const eastWestGatewayPerCluster: StackValidationPolicy = {
  name: "eastwest-gateway-per-cluster",
  description:
    "Every Istio cluster has its own east-west gateway with at least minReplicas replicas, a PodDisruptionBudget, zone spread and a cross-zone load balancer.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, report) => {
    const config = configOf<EastWestGatewayConfig>(configSchema, args.getConfig());
    for (const cluster of fleetFacts(args.resources).clusters) {
      if (releasesOf(cluster, "istiod").length === 0) {
        continue;
      }
      const who = clusters([cluster.name]);
      const gateways = eastWestGateways(cluster);
      if (gateways.length === 0) {
        report(
          say(
            who,
            "has no east-west gateway of its own",
            `gateway releases ${show(releasesOf(cluster, "gateway").map((r) => r.name))}`,
            `install the gateway chart as ${EASTWEST_RELEASE} in ${cluster.name} with its provider`,
          ),
          cluster.urn,
        );
        continue;
      }
      for (const gw of gateways) {
        const { replicas, from } = gatewayMinReplicas(gw.values);
        if (replicas < config.minReplicas) {
          report(
            say(
              who,
              `the east-west gateway keeps ${replicas} replica(s), fewer than ${config.minReplicas}`,
              `${from}: ${replicas}`,
              `raise ${configKey("istio.gateway.replicas")} to ${config.minReplicas} or more`,
            ),
            gw.urn,
          );
        }
        const pdb = record(gw.values, "podDisruptionBudget");
        if (config.requirePodDisruptionBudget && (pdb === undefined || Object.keys(pdb).length === 0)) {
          report(
            say(
              who,
              "the east-west gateway has no PodDisruptionBudget, so a node drain can take every replica at once",
              `podDisruptionBudget: ${show(pdb ?? null)}`,
              "set podDisruptionBudget.minAvailable (the chart renders it only with more than one replica)",
            ),
            gw.urn,
          );
        }
        if (config.requireZoneSpread && !spreadsAcrossZones(gw.values)) {
          report(
            say(
              who,
              "the east-west gateway's replicas are not spread across zones",
              `topologySpreadConstraints: ${show(list(gw.values, "topologySpreadConstraints") ?? null)}`,
              `add a topologySpreadConstraint on ${ZONE_TOPOLOGY_KEY} to the gateway values`,
            ),
            gw.urn,
          );
        }
        if (config.requireCrossZoneLoadBalancing && cluster.cloud === "aws") {
          const service = cluster.eastWestServices[0];
          const annotations = service ? service.annotations : stringMap(gw.values, "service", "annotations");
          const attributes = annotations[AWS_LB_ATTRIBUTES];
          const enabled = (attributes ?? "").split(",").some((a) => a.replace(/\s/g, "") === AWS_CROSS_ZONE);
          if (!enabled) {
            report(
              say(
                who,
                "the east-west gateway's NLB does not balance across zones, so traffic reaching it in a zone without a healthy gateway replica is dropped",
                `${AWS_LB_ATTRIBUTES}: ${show(attributes ?? null)}`,
                `annotate the gateway Service with ${AWS_LB_ATTRIBUTES}: ${AWS_CROSS_ZONE}`,
              ),
              service?.urn ?? gw.urn,
            );
          }
        }
      }
    }
  },
};
