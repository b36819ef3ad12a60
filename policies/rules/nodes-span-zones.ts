/**
 * Every cluster's nodes span at least `minZones` zones, so losing a zone leaves nodes to run on. Counts the zones of
 * the workload node groups/pools (Submariner gateway pools have their own rule), capped by the nodes they keep; for an
 * existing cluster, the zones its stack file declares.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts } from "../facts";
import { clusters, configKey, configOf, say, show, spannedZones } from "../kit";

export interface NodesSpanZonesConfig {
  readonly minZones: number;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    minZones: {
      type: "integer",
      minimum: 1,
      default: 3,
      description: "The fewest zones a cluster's nodes may span (3 in production, 1 is enough in dev).",
    },
  },
};

export const nodesSpanZones: StackValidationPolicy = {
  name: "nodes-span-zones",
  description: "Every cluster's nodes span at least minZones zones.",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, report) => {
    const { minZones } = configOf<NodesSpanZonesConfig>(configSchema, args.getConfig());
    for (const cluster of fleetFacts(args.resources).clusters) {
      const workload = cluster.nodePools.filter((p) => !p.gateway);
      const pools = workload.length > 0 ? workload : cluster.nodePools;
      const declared = cluster.declared?.zones;
      if (pools.length === 0 && declared !== undefined) {
        // An existing cluster: its nodes are where its stack file says they are.
        if (declared.length < minZones) {
          report(
            say(
              clusters([cluster.name]),
              `declares its nodes in ${declared.length} zone(s), fewer than minZones ${minZones}`,
              show(declared),
              `spread ${cluster.name}'s nodes over at least ${minZones} zones and list them in ${configKey("clusters[].zones")}`,
            ),
            cluster.declared?.urn ?? cluster.urn,
          );
        }
        continue;
      }
      if (pools.length === 0) {
        continue; // no managed nodes to judge (Fargate/Karpenter)
      }
      const span = spannedZones(pools);
      if (span.count >= minZones) {
        continue;
      }
      const zones = span.zones === undefined ? `${span.zoneCount} zones` : show(span.zones);
      const capped = span.minNodes !== undefined && span.minNodes < span.zoneCount;
      report(
        say(
          clusters([cluster.name]),
          `nodes span ${span.count} zone(s), fewer than minZones ${minZones}`,
          capped ? `${zones}, at least ${span.minNodes} node(s)` : zones,
          `list at least ${minZones} zones for ${cluster.name} in ${configKey("clusters[].zones")}` +
            (capped ? " and keep at least one node per zone" : ""),
        ),
        pools[0]?.urn ?? cluster.urn,
      );
    }
  },
};
