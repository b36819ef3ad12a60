/**
 * Every cluster runs its own istiod (Istio multi-primary). Primary-remote and external control planes make a cluster
 * depend on another cluster's istiod, so losing one cluster would stop the others.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, istioReleases, releasesOf, remoteControlPlaneValues, TYPES } from "../facts";
import { clusters, say, show } from "../kit";

export const istiodPerCluster: StackValidationPolicy = {
  name: "istiod-per-cluster",
  description:
    "In an Istio mesh every cluster runs its own istiod release and no release uses primary-remote or external control-plane values.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const facts = fleetFacts(args.resources);
    const meshed = facts.clusters.filter((c) => releasesOf(c, "istiod").length > 0);
    if (meshed.length === 0) {
      return; // no Istio mesh in this stack
    }
    for (const cluster of facts.clusters) {
      const inCluster =
        cluster.resources.some((r) => r.type === TYPES.k8sProvider) || istioReleases(cluster).length > 0;
      if (!inCluster) {
        continue;
      }
      if (releasesOf(cluster, "istiod").length === 0) {
        report(
          say(
            clusters([cluster.name]),
            "runs no istiod of its own",
            `Istio releases ${show(istioReleases(cluster).map((r) => r.chart))}`,
            "install the istiod chart in every cluster with its provider (multi-primary), so no cluster depends on another's control plane",
          ),
          cluster.urn,
        );
      }
      for (const release of istioReleases(cluster)) {
        const remote = remoteControlPlaneValues(release.values);
        if (remote.length > 0) {
          report(
            say(
              clusters([cluster.name]),
              `the ${release.chart} release ${release.name} uses primary-remote or external control-plane values`,
              remote.join(", "),
              "remove them: every cluster runs its own istiod and reads only its own API server",
            ),
            release.urn,
          );
        }
      }
    }
  },
};
