/**
 * Advisory: the Submariner broker is a control-plane single point. While its cluster or API is down, the data plane
 * keeps routing on last known state but no cluster learns of new endpoints or gateway failovers. In a workload
 * cluster, that cluster's own failures and upgrades become everyone's.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { fleetFacts, releasesOf } from "../facts";
import { clusters, configKey, say } from "../kit";

export const submarinerBrokerDedicated: StackValidationPolicy = {
  name: "submariner-broker-dedicated",
  description: "Advisory: the Submariner broker runs outside the workload clusters (in a cluster not joined itself).",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    for (const cluster of fleetFacts(args.resources).clusters) {
      const broker = releasesOf(cluster, "submariner-k8s-broker")[0];
      const joined = releasesOf(cluster, "submariner-operator").length > 0;
      if (broker === undefined || !joined) {
        continue;
      }
      report(
        say(
          clusters([cluster.name]),
          "hosts the Submariner broker and is also a joined workload cluster; while it or its API is down, no cluster learns of new endpoints or gateway failovers",
          `${broker.name} and submariner-operator in the same cluster`,
          `host the broker in a small cluster of its own (${configKey("submariner.brokerCluster")} with ${configKey("submariner.dedicatedBrokerCluster")}: true)`,
        ),
        broker.urn,
      );
    }
  },
};
