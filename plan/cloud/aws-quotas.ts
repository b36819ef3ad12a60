/**
 * EC2's security-group rule quota, checked before anything is built: `pulumi up` would otherwise create the network
 * and the cluster and then fail on the rule that does not fit (RulesPerSecurityGroupLimitExceeded), half-way.
 *
 * EC2 counts inbound rules per security group against "Inbound or outbound rules per security group" (Service Quotas
 * L-0EA8095F, 60 by default), and a rule that references a customer-managed prefix list as the list's `maxEntries`
 * rules; that quota times "Security groups per network interface" cannot exceed 1,000
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups).
 *
 * What the program puts in each group (components/cloud/aws/eks-mesh-firewall.ts; a test compares these counts with
 * the rules the shipped stacks register):
 * - the EKS cluster security group: EKS's own rule (all traffic from the group itself), one rule per `control-plane`
 *   or `nodes` port of the interconnect, and the peers' ranges as one prefix list of one entry per range;
 * - the gateway security group (gateway nodes with `peers` ports): one rule per `peers` port from the tunnel peers'
 *   gateway addresses, as one prefix list of one entry per address (each peer's reserved pool, or an existing
 *   cluster's declared `gatewayAddresses`), so each port weighs as many rules as there are peer addresses; AH one
 *   rule per RFC 1918 block.
 */
import type { ClusterRequirements, PortRule } from "../interconnect/requirements";
import type { Issue } from "../issues";
import type { ClusterSpec, FleetSpec } from "../spec";
import { RFC1918 } from "../cidr";

/** EC2's default "Inbound or outbound rules per security group". */
export const SECURITY_GROUP_RULES_DEFAULT = 60;
/** Rules per group × groups per interface ≤ 1,000, and an interface carries at least one group. */
export const SECURITY_GROUP_RULES_CEILING = 1000;

/** The rules EKS itself writes into the cluster security group: all traffic from the group. */
export const EKS_CLUSTER_GROUP_OWN_RULES = 1;

/** The inbound rules of one security group, as EC2 counts them, by what they are for. */
export interface RuleCount {
  readonly group: "cluster" | "gateway";
  readonly total: number;
  /** What makes up the total, for the message: e.g. `1 of EKS's own`, `510 peer ranges (a prefix list)`. */
  readonly parts: readonly string[];
}

/** How many rules a `peers` port weighs, given how many gateway addresses the tunnel peers have in all. */
export function peerPortWeight(port: PortRule, peerAddresses: number): number {
  return port.protocol === "ah" ? RFC1918.length : peerAddresses;
}

/** How many gateway addresses a cluster's peers admit its tunnels from: an existing cluster's declared ones, else its pool. */
export function gatewayAddressCount(cluster: ClusterSpec, requirements: ClusterRequirements | undefined): number {
  return cluster.existing?.gatewayAddresses?.length ?? requirements?.gatewayNodes?.addressPool ?? 0;
}

/**
 * The inbound rules the program makes EC2 count in each security group of an EKS cluster with these requirements;
 * `peerAddresses`: how many gateway addresses its tunnel peers have in all.
 */
export function securityGroupRules(requirements: ClusterRequirements, peerAddresses: number): RuleCount[] {
  const own = requirements.ports.filter((p) => p.from !== "peers").length;
  const peers = requirements.peerRanges.length;
  const cluster: RuleCount = {
    group: "cluster",
    total: EKS_CLUSTER_GROUP_OWN_RULES + own + peers,
    parts: [
      `${EKS_CLUSTER_GROUP_OWN_RULES} of EKS's own`,
      `${own} for the mesh's ports`,
      `${peers} for peers' ranges (a prefix list counts its entries)`,
    ],
  };
  const gatewayPorts = requirements.ports.filter((p) => p.from === "peers");
  if ((requirements.gatewayNodes?.count ?? 0) === 0 || gatewayPorts.length === 0) {
    return [cluster];
  }
  const weighted = gatewayPorts.filter((p) => peerPortWeight(p, peerAddresses) > 0);
  const gateway = weighted.reduce((n, p) => n + peerPortWeight(p, peerAddresses), 0);
  const listed = weighted.filter((p) => p.protocol !== "ah").length;
  return [
    cluster,
    {
      group: "gateway",
      total: gateway,
      parts: [
        `${listed} tunnel ports × ${peerAddresses} peer gateway addresses (a prefix list counts its entries)`,
        `${gateway - listed * peerAddresses} for AH from private ranges`,
      ],
    },
  ];
}

/** Every EKS cluster whose security groups would need more inbound rules than its account's quota. */
export function checkSecurityGroupQuotas(
  spec: FleetSpec,
  requirements: Readonly<Record<string, ClusterRequirements>>,
): Issue[] {
  const issues: Issue[] = [];
  const byName = new Map(spec.clusters.map((c) => [c.name, c]));
  spec.clusters.forEach((c, i) => {
    const needs = requirements[c.name];
    if (c.cloud !== "aws" || c.aws === undefined || needs === undefined) {
      return;
    }
    const quota = c.aws.securityGroupRulesQuota;
    const peerAddresses = needs.tunnelPeers.reduce((n, peer) => {
      const found = byName.get(peer);
      return n + (found === undefined ? 0 : gatewayAddressCount(found, requirements[peer]));
    }, 0);
    for (const count of securityGroupRules(needs, peerAddresses)) {
      if (count.total > quota) {
        issues.push({
          path: `clusters[${i}].aws.securityGroupRulesQuota`,
          message: `the ${count.group} security group of EKS cluster ${c.name} needs ${count.total} inbound rules (${count.parts.join(", ")}), more than the quota`,
          value: quota,
          fix:
            count.total <= SECURITY_GROUP_RULES_CEILING
              ? `raise "Inbound or outbound rules per security group" (Service Quotas L-0EA8095F) in ${c.region} to at least ${count.total} and set this key to the new quota, or split the fleet into smaller environments`
              : `no quota holds ${count.total} rules (EC2's ceiling is ${SECURITY_GROUP_RULES_CEILING}): split the fleet into smaller environments`,
        });
      }
    }
  });
  return issues;
}
