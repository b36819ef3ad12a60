/**
 * No two clusters of different clouds sit in one metro area (AWS us-east-1 and GCP us-east4 are both northern
 * Virginia): distinct regions, but one power grid, one set of carriers, one flood or storm. Read: each cluster's cloud
 * and region (its provider, subnets or GKE location) against the dated table in ../metros.ts. Two clusters in the
 * very same region are distinct-regions' to report.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts } from "../facts";
import { clusters, configKey, groupBy, say, show } from "../kit";
import { METRO_TABLE_DATE, metroOf } from "../metros";

export const distinctMetros: StackValidationPolicy = {
  name: "distinct-metros",
  description: `No two clusters of different clouds share a metro area (metro table of ${METRO_TABLE_DATE}).`,
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const placed = fleetFacts(args.resources).clusters.flatMap((c) => {
      const metro = c.region === undefined ? undefined : metroOf(c.cloud, c.region);
      return metro === undefined ? [] : [{ cluster: c, metro }];
    });
    for (const [metro, group] of groupBy(placed, (p) => p.metro)) {
      if (new Set(group.map((p) => `${p.cluster.cloud} ${p.cluster.region ?? ""}`)).size < 2) {
        continue;
      }
      report(
        say(
          clusters(group.map((p) => p.cluster.name)),
          `are in one metro area (${metro}), so one power, network or disaster event there takes them all down`,
          show(group.map((p) => `${p.cluster.cloud} ${p.cluster.region ?? ""}`)),
          `move all but one of them to regions in other metros (${configKey("clusters[].region")})`,
        ),
        group[1]?.cluster.urn,
      );
    }
  },
};
