/**
 * Istio locality failover stays on: it is what moves a cluster's callers to another cluster when its endpoints fail
 * (meshConfig.localityLbSetting plus the mesh-wide outlier detection), the reason the fleet has several clusters.
 * Read: the istiod release's values (`meshConfig.localityLbSetting.enabled`), per cluster. A fleet without Istio
 * (Submariner) has no istiod release and nothing to judge.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { bool, fleetFacts, releasesOf } from "../facts";
import { clusters, configKey, say } from "../kit";

export const localityFailover: StackValidationPolicy = {
  name: "locality-failover",
  description: "Every Istio cluster keeps locality failover on, so its callers fail over to another cluster.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const off = fleetFacts(args.resources).clusters.flatMap((c) =>
      releasesOf(c, "istiod")
        .filter((r) => bool(r.values, "meshConfig", "localityLbSetting", "enabled") !== true)
        .map((r) => ({ cluster: c.name, urn: r.urn })),
    );
    if (off.length > 0) {
      report(
        say(
          clusters(off.map((o) => o.cluster)),
          "run without locality failover, so when a cluster's endpoints fail its callers are not sent to another cluster",
          "meshConfig.localityLbSetting.enabled is not true",
          `set ${configKey("istio.localityFailover")} to true (the default)`,
        ),
        off[0]?.urn,
      );
    }
  },
};
