/**
 * The east-west gateways admit only known sources: every cluster's gateway Service lists the addresses allowed to
 * reach its load balancer (`spec.loadBalancerSourceRanges`), none of them the whole internet. With
 * `istio.gateway.allowPeersOnly` the program lists the other clusters' NAT egress addresses; `istio.gateway.sourceRanges`
 * sets a list by hand. mTLS still authenticates every connection; this keeps the port closed to everyone else. A list
 * still unknown at preview (a new peer's egress address) passes: it is made of /32s by construction.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { clusterOfResource, isEastWestService, present, strings, TYPES } from "../facts";
import { clusters, configKey, say, show } from "../kit";

const ANYWHERE = ["0.0.0.0/0", "::/0"];
const FIX = `set ${configKey("istio.gateway.allowPeersOnly")}: true (or list ${configKey("istio.gateway.sourceRanges")})`;

export const gatewayPerimeterClosed: ResourceValidationPolicy = {
  name: "gateway-perimeter-closed",
  description: "East-west gateway Services restrict their load balancer to listed source ranges, not the internet.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== TYPES.service || !isEastWestService(args)) {
      return;
    }
    const subject = clusters([clusterOfResource(args) ?? args.name]);
    if (!present(args.props, "spec", "loadBalancerSourceRanges")) {
      report(say(subject, "the east-west gateway accepts any source address", "no loadBalancerSourceRanges", FIX));
      return;
    }
    const ranges = strings(args.props, "spec", "loadBalancerSourceRanges");
    const open = ranges?.filter((r) => ANYWHERE.includes(r)) ?? [];
    if (ranges !== undefined && (ranges.length === 0 || open.length > 0)) {
      report(
        say(
          subject,
          "the east-west gateway accepts any source address",
          `loadBalancerSourceRanges ${show(ranges)}`,
          FIX,
        ),
      );
    }
  },
};
