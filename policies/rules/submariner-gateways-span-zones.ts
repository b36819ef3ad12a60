/**
 * Every Submariner cluster has gateway nodes in at least `minZones` zones. Gateways are active/passive: with a single
 * gateway zone, a zone outage cuts the cluster off from every other cluster.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, releasesOf, SUBMARINER_GATEWAY_LABEL } from "../facts";
import { clusters, configKey, configOf, say, show, spannedZones } from "../kit";

export interface SubmarinerGatewaysConfig {
  readonly minZones: number;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    minZones: {
      type: "integer",
      minimum: 1,
      default: 2,
      description: "The fewest zones with a Submariner gateway node, per cluster.",
    },
  },
};

export const submarinerGatewaysSpanZones: StackValidationPolicy = {
  name: "submariner-gateways-span-zones",
  description:
    "Every cluster joined to Submariner has gateway nodes (submariner.io/gateway=true) in at least minZones zones.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, report) => {
    const { minZones } = configOf<SubmarinerGatewaysConfig>(configSchema, args.getConfig());
    for (const cluster of fleetFacts(args.resources).clusters) {
      if (releasesOf(cluster, "submariner-operator").length === 0 || cluster.nodePools.length === 0) {
        continue; // not joined, or no managed nodes to judge (an existing cluster labels its own)
      }
      const gateways = cluster.nodePools.filter((p) => p.gateway);
      const fix = `run gateway nodes in at least ${minZones} zones, one per zone (${configKey("submariner.gatewayNodes.count")})`;
      if (gateways.length === 0) {
        report(
          say(
            clusters([cluster.name]),
            "has no Submariner gateway nodes",
            `no node group labelled ${SUBMARINER_GATEWAY_LABEL}=true among ${show(cluster.nodePools.map((p) => p.name))}`,
            fix,
          ),
          cluster.urn,
        );
        continue;
      }
      const span = spannedZones(gateways);
      if (span.count < minZones) {
        const zones = span.zones === undefined ? `${span.zoneCount} zones` : show(span.zones);
        report(
          say(
            clusters([cluster.name]),
            `Submariner gateway nodes are in ${span.count} zone(s), fewer than ${minZones}`,
            span.minNodes !== undefined ? `${zones}, at least ${span.minNodes} node(s)` : zones,
            fix,
          ),
          gateways[0]?.urn,
        );
      }
    }
  },
};
