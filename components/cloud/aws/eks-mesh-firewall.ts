/**
 * The security group rules an EKS cluster needs for its interconnect (the plan's `requirements[cluster].ports`),
 * written once per port key:
 * - `control-plane` and `nodes` ports: ingress on the EKS cluster security group (which every node and the control
 *   plane's network interfaces carry) from that same group, as `${name}-sg-<key>`. Istio: 15017 (webhooks) from the
 *   API server (not 15012, which only primary-remote needs). Submariner: VXLAN 4800/udp among nodes. The cluster
 *   group's default self rule already admits these; the explicit rules keep them open if that rule is ever tightened, and
 *   show in review what the mesh relies on.
 * - `peers` ports (Submariner IPsec: 500/udp, 4490/udp, 4500/udp, ESP, AH): ingress on a dedicated gateway security
 *   group `${name}-gateway-sg`, attached to the gateway nodes only. A peer's gateway nodes meet this cluster's from
 *   the public addresses their network reserves for them (the peer's gateway sources, /32 each), so each port is
 *   admitted from the tunnel peers' addresses alone: a customer-managed prefix list `${name}-peer-gateways` holds
 *   every tunnel peer's addresses (one entry each, described by peer and place in its pool), and one rule per port,
 *   `${name}-gateway-sg-<key>`, admits the port from that list. Adding or removing a peer edits the list's entries in
 *   place. AH is the exception: it signs the IP header, so it never survives NAT and can only arrive over a private
 *   path (VPN, interconnect); it is accepted from the RFC 1918 blocks only, one rule per block
 *   (`${name}-gateway-sg-ah-<block>`), as on GCP. Every rule that references the list costs its `maxEntries` against
 *   the group's inbound-rule quota (60 by default): ports × peer addresses, which the plan checks.
 * - peers' ranges (the plan's `requirements[cluster].peerRanges`; Submariner: every other member's pod and service
 *   ranges, or its Globalnet range): a customer-managed prefix list `${name}-peer-ranges` holding exactly those
 *   ranges (one entry each, by peer name and described by peer and role, `maxEntries` = their number), and one ingress rule of every
 *   protocol on the cluster security group, which nodes, pods (VPC CNI custom networking gives pod interfaces the
 *   same group) and the control plane carry, from that list, as `${name}-sg-peers`. Traffic decapsulated on a gateway
 *   node keeps its remote source address on its way through the VPC to the pod, so without it the tunnels come up
 *   and the traffic is dropped. One list rather than a rule per range: a peer joining or leaving changes the list's
 *   entries in place, and the program registers two resources per cluster instead of two per peer. EC2 counts a rule
 *   that references a list as `maxEntries` rules against the group's quota (60 by default), the same as one rule per
 *   range; the plan checks that quota (plan/cloud/aws-quotas.ts).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { RFC1918 } from "../../../plan/cidr";
import type { PeerRange, PortRule } from "../../../plan/interconnect";
import type { SourceLists } from "../tunnel-sources";

/** AH cannot cross NAT, so it is accepted only from private addresses. */
export const AH_SOURCE_CIDRS: readonly string[] = RFC1918;

function byPeerThenRole(a: PeerRange, b: PeerRange): number {
  return a.cluster === b.cluster ? a.role.localeCompare(b.role) : a.cluster.localeCompare(b.cluster);
}

/** IANA protocol numbers of the portless protocols (EC2 takes the number). */
const PROTOCOL_NUMBER: Record<PortRule["protocol"], string> = { tcp: "tcp", udp: "udp", esp: "50", ah: "51" };

export interface MeshFirewallArgs {
  readonly clusterName: string;
  /** The ports the interconnect needs opened (plan/interconnect/<kind>). */
  readonly ports: readonly PortRule[];
  /** Peers' ranges the cluster admits (every protocol). */
  readonly peerRanges: readonly PeerRange[];
  /** The clusters whose gateways open tunnels to this one's (`requirements.tunnelPeers`). */
  readonly tunnelPeers: readonly string[];
  /** Gateway sources (/32 each) by cluster; every tunnel peer has an entry. */
  readonly peerGatewaySources: Readonly<Record<string, readonly pulumi.Input<string>[]>>;
  /** The same, combined once (`combineSources`): the prefix list's entries read it with one apply. */
  readonly peerGatewaySourceLists: SourceLists;
  readonly vpcId: pulumi.Input<string>;
  /** The EKS-created cluster security group (nodes and control plane). */
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  /** Whether the cluster has gateway nodes; `peers` ports exist only on them (none: no gateway group, no rules). */
  readonly gateways: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

export interface MeshFirewall {
  /** The gateway nodes' extra security group; only with gateway nodes and `peers` ports (Submariner). */
  readonly gatewaySecurityGroup?: aws.ec2.SecurityGroup;
  /** The tunnel peers' gateway addresses, when the cluster has gateway nodes and tunnel peers. */
  readonly peerGateways?: aws.ec2.ManagedPrefixList;
  /** Peers' ranges, when the interconnect carries any into the cluster. */
  readonly peerRanges?: aws.ec2.ManagedPrefixList;
  readonly rules: readonly aws.vpc.SecurityGroupIngressRule[];
}

/** Creates the mesh's security group rules (and the gateway security group) as children of `parent`. */
export function createMeshFirewall(name: string, args: MeshFirewallArgs, parent: pulumi.Resource): MeshFirewall {
  const ports = args.ports.filter((p) => p.from !== "peers" || args.gateways);
  const peerPorts = ports.filter((p) => p.from === "peers");
  const gatewaySecurityGroup =
    peerPorts.length > 0
      ? new aws.ec2.SecurityGroup(
          `${name}-gateway-sg`,
          {
            vpcId: args.vpcId,
            description: `Mesh gateway nodes of EKS cluster ${args.clusterName}`,
            tags: { ...args.tags, Name: `${args.clusterName}-gateway` },
          },
          { parent },
        )
      : undefined;

  const sourceCount = args.tunnelPeers.reduce((n, peer) => n + (args.peerGatewaySources[peer]?.length ?? 0), 0);
  const entries = args.peerGatewaySourceLists.apply((lists) =>
    args.tunnelPeers.flatMap((peer) =>
      (lists[peer] ?? []).map((cidr, i) => ({ cidr, description: `gateway address ${i + 1} of peer cluster ${peer}` })),
    ),
  );
  const peerGateways =
    gatewaySecurityGroup === undefined || sourceCount === 0
      ? undefined
      : new aws.ec2.ManagedPrefixList(
          `${name}-peer-gateways`,
          {
            name: `${args.clusterName}-peer-gateways`,
            addressFamily: "IPv4",
            maxEntries: sourceCount,
            entries,
            tags: { ...args.tags },
          },
          { parent },
        );

  const rules = ports.flatMap((port) => {
    const toGateways = port.from === "peers";
    const target = toGateways ? gatewaySecurityGroup?.id : args.clusterSecurityGroupId;
    if (target === undefined) {
      throw new Error(`mesh port ${port.key} has no security group to open on`);
    }
    const rule = (
      suffix: string,
      source:
        | { cidrIpv4: pulumi.Input<string> }
        | { referencedSecurityGroupId: pulumi.Input<string> }
        | { prefixListId: pulumi.Input<string> },
    ): aws.vpc.SecurityGroupIngressRule =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${toGateways ? "gateway-sg" : "sg"}-${port.key}${suffix}`,
        {
          securityGroupId: target,
          description: port.description,
          ipProtocol: PROTOCOL_NUMBER[port.protocol],
          ...(port.port !== undefined ? { fromPort: port.port, toPort: port.port } : {}),
          ...source,
          tags: { ...args.tags },
        },
        { parent },
      );
    if (!toGateways) {
      return [rule("", { referencedSecurityGroupId: args.clusterSecurityGroupId })];
    }
    if (port.protocol === "ah") {
      // One rule per block (a rule has one source), keyed by the block: 10.0.0.0/8 → `-10-0-0-0-8`.
      return AH_SOURCE_CIDRS.map((cidr) => rule(`-${cidr.replace(/[./]/g, "-")}`, { cidrIpv4: cidr }));
    }
    return peerGateways === undefined ? [] : [rule("", { prefixListId: peerGateways.id })];
  });
  const peerRanges =
    args.peerRanges.length === 0
      ? undefined
      : new aws.ec2.ManagedPrefixList(
          `${name}-peer-ranges`,
          {
            name: `${args.clusterName}-peer-ranges`,
            addressFamily: "IPv4",
            maxEntries: args.peerRanges.length,
            // By peer name, so reordering the clusters in the stack file leaves the list as it is.
            entries: [...args.peerRanges].sort(byPeerThenRole).map((r) => ({
              cidr: r.cidr,
              description: `${r.role} of peer cluster ${r.cluster}`,
            })),
            tags: { ...args.tags },
          },
          { parent },
        );
  const peerRules =
    peerRanges === undefined
      ? []
      : [
          new aws.vpc.SecurityGroupIngressRule(
            `${name}-sg-peers`,
            {
              securityGroupId: args.clusterSecurityGroupId,
              description: "Traffic from peer clusters' pod and service ranges (the peer-ranges prefix list)",
              ipProtocol: "-1",
              prefixListId: peerRanges.id,
              tags: { ...args.tags },
            },
            { parent },
          ),
        ];
  return {
    ...(gatewaySecurityGroup ? { gatewaySecurityGroup } : {}),
    ...(peerGateways ? { peerGateways } : {}),
    ...(peerRanges ? { peerRanges } : {}),
    rules: [...rules, ...peerRules],
  };
}
