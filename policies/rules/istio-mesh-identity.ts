/**
 * One mesh, distinct members: every istiod carries the same meshID, and each cluster its own clusterName and network.
 * A duplicate clusterName makes istiod merge two clusters' endpoints; a shared network sends traffic straight to pod
 * addresses the other cluster cannot reach.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, releasesOf, str } from "../facts";
import { clusters, configKey, groupBy, say, show } from "../kit";

interface Member {
  readonly cluster: string;
  readonly urn: string;
  readonly meshId: string | undefined;
  readonly clusterName: string | undefined;
  readonly network: string | undefined;
}

export const istioMeshIdentity: StackValidationPolicy = {
  name: "istio-mesh-identity",
  description:
    "All istiod releases share one global.meshID; global.multiCluster.clusterName and global.network are set and unique per cluster.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const members: Member[] = fleetFacts(args.resources).clusters.flatMap((c) =>
      releasesOf(c, "istiod").map((r) => ({
        cluster: c.name,
        urn: r.urn,
        meshId: str(r.values, "global", "meshID"),
        clusterName: str(r.values, "global", "multiCluster", "clusterName"),
        network: str(r.values, "global", "network"),
      })),
    );
    if (members.length === 0) {
      return;
    }

    for (const m of members) {
      const missing = (
        [
          ["global.meshID", m.meshId],
          ["global.multiCluster.clusterName", m.clusterName],
          ["global.network", m.network],
        ] as const
      ).filter(([, v]) => v === undefined || v === "");
      if (missing.length > 0) {
        report(
          say(
            clusters([m.cluster]),
            "istiod values are missing mesh identity",
            missing.map(([k]) => k).join(", "),
            "set meshID (shared), clusterName (the cluster's name) and network (the cluster's own) in the istiod values",
          ),
          m.urn,
        );
      }
    }

    const meshIds = [...new Set(members.flatMap((m) => m.meshId ?? []))];
    if (meshIds.length > 1) {
      report(
        say(
          clusters([...new Set(members.map((m) => m.cluster))]),
          "istiod releases disagree on global.meshID",
          show(Object.fromEntries(members.map((m) => [m.cluster, m.meshId ?? null]))),
          `use one meshID for every cluster (${configKey("istio.meshId")})`,
        ),
        members[0]?.urn,
      );
    }

    const unique = (key: "clusterName" | "network", path: string, fix: string): void => {
      for (const [value, group] of groupBy(members, (m) => m[key] || undefined)) {
        const names = [...new Set(group.map((m) => m.cluster))];
        if (names.length > 1) {
          report(say(clusters(names), `share one Istio ${key}`, `${path}: ${show(value)}`, fix), group[1]?.urn);
        }
      }
    };
    unique(
      "clusterName",
      "global.multiCluster.clusterName",
      "give every cluster its own clusterName: its cluster name",
    );
    unique("network", "global.network", `give every cluster its own network (${configKey("clusters[].network")})`);
  },
};
