/**
 * No two clusters of an environment share a region: a regional outage (or a regional control-plane incident) would
 * take both down. Optionally allowed when their zones are known and disjoint.
 */
import type { PolicyConfigSchema, StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts } from "../facts";
import { clusters, configKey, configOf, groupBy, say, show } from "../kit";

export interface DistinctRegionsConfig {
  readonly allowSharedRegionWithDisjointZones: boolean;
}

const configSchema: PolicyConfigSchema = {
  properties: {
    allowSharedRegionWithDisjointZones: {
      type: "boolean",
      default: false,
      description: "true: two clusters may share a region when their zones are known and do not overlap.",
    },
  },
};

export const distinctRegions: StackValidationPolicy = {
  name: "distinct-regions",
  description: "No two clusters of an environment share a region (optionally: unless their zones are disjoint).",
  enforcementLevel: "mandatory",
  configSchema,
  validateStack: (args, report) => {
    const config = configOf<DistinctRegionsConfig>(configSchema, args.getConfig());
    const facts = fleetFacts(args.resources);
    const groups = groupBy(facts.clusters, (c) => (c.region === undefined ? undefined : `${c.cloud} ${c.region}`));
    for (const group of groups.values()) {
      if (group.length < 2) {
        continue;
      }
      const names = group.map((c) => c.name);
      const region = group[0]?.region ?? "";
      if (!config.allowSharedRegionWithDisjointZones) {
        report(
          say(
            clusters(names),
            "share a region, so one regional outage takes them all down",
            show(region),
            `move all but one of them to other regions (${configKey("clusters[].region")})`,
          ),
          group[0]?.urn,
        );
        continue;
      }
      const seen = new Map<string, string>();
      const shared = new Set<string>();
      let unknown = false;
      for (const c of group) {
        if (c.zones === undefined) {
          unknown = true;
          continue;
        }
        for (const z of c.zones) {
          if (seen.has(z) && seen.get(z) !== c.name) {
            shared.add(z);
          }
          seen.set(z, c.name);
        }
      }
      if (unknown || shared.size > 0) {
        report(
          say(
            clusters(names),
            unknown ? `share region ${region} and their zones are not known` : `share region ${region} and zones`,
            show(unknown ? group.map((c) => c.zones ?? null) : [...shared].sort()),
            `give each of them its own zones of ${region} (${configKey("clusters[].zones")}), or move all but one to other regions`,
          ),
          group[0]?.urn,
        );
      }
    }
  },
};
