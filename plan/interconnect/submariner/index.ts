/**
 * The Submariner interconnect: its schema section (./spec.ts), its topology (./topology.ts), and what it requires of
 * every joined cluster: IPsec ports from peers and VXLAN among nodes, its peers' pod and service ranges (their Globalnet
 * ranges with Globalnet) admitted into its network, pod addresses apart from node addresses, public gateway nodes (one per zone in
 * the first `gatewayNodes.count` zones; none in a cluster that only hosts the broker), the iptables datapath (it is
 * not tested on GKE Dataplane V2), and a private control plane attached through Private Service Connect (a peered
 * private GKE cluster refuses a node pool with public IPs).
 */
import { CLOUD_TRAITS } from "../../cloud";
import type { Issue } from "../../issues";
import type { FleetSpec, SubmarinerSpec } from "../../spec";
import type { Interconnect } from "../index";
import type { ApiClient, ClusterRequirements, PeerRange, PortRule } from "../requirements";
import { checkSubmarinerTopology, planSubmarinerTopology, type SubmarinerTopology } from "./topology";

export interface SubmarinerTypes {
  readonly topology: SubmarinerTopology;
  /** The `submariner` section of the stack config, defaults applied. */
  readonly settings: SubmarinerSpec;
}

/** Node label and taint that reserve gateway nodes for Submariner's gateway engine (which tolerates every taint). */
export const SUBMARINER_GATEWAY_LABEL = "submariner.io/gateway";
export const SUBMARINER_GATEWAY_TAINT = "node-role.submariner.io/gateway";

export const SUBMARINER_PORTS: readonly PortRule[] = [
  { key: "ipsec-nat-t", protocol: "udp", port: 4500, from: "peers", description: "Submariner IPsec NAT-T" },
  { key: "nat-discovery", protocol: "udp", port: 4490, from: "peers", description: "Submariner NAT discovery" },
  { key: "ike", protocol: "udp", port: 500, from: "peers", description: "Submariner IKE" },
  { key: "esp", protocol: "esp", from: "peers", description: "Submariner IPsec ESP" },
  { key: "ah", protocol: "ah", from: "peers", description: "Submariner IPsec AH" },
  {
    key: "vxlan",
    protocol: "udp",
    port: 4800,
    from: "nodes",
    description: "Submariner VXLAN between nodes and gateways",
  },
];

export const submariner: Interconnect<"submariner"> = {
  kind: "submariner",
  // The topology needs a valid address plan: with address or trust problems, it reports nothing.
  check: (spec: FleetSpec, addresses) => [
    ...(addresses === undefined ? [] : checkSubmarinerTopology(spec.submariner, addresses.clusters)),
    ...checkGatewayAddresses(spec),
  ],
  plan: (spec, addresses) => ({
    topology: planSubmarinerTopology(spec.submariner, addresses.clusters),
    settings: spec.submariner,
  }),
  summary: {
    gateway: () => "Submariner gateway nodes",
    links: "tunnels-and-broker",
    hubLabel: (n) => `IPsec tunnels between every pair of ${n} gateways`,
    legend: ({ clusters: n, broker, throughHub, maxPairwise }) =>
      `${
        throughHub
          ? `Every pair of the ${n} members' gateways has an IPsec tunnel (${(n * (n - 1)) / 2} in all); with more than ${maxPairwise} members they are drawn through one node.`
          : `\`gateway <--> gateway\`: an IPsec tunnel between the gateways of every pair of members (${(n * (n - 1)) / 2} tunnel${n === 2 ? "" : "s"}), which carries all cross-cluster traffic.`
      } \`cluster -.-> ${broker ?? "broker"}\`: each member joins the Submariner broker in ${broker ?? "the broker cluster"} (its API only; no traffic flows through it).`,
  },
  virtualRangesMayOverlap: (spec) => spec.submariner.globalnet,
  virtualOverlapHint: "with Submariner, submariner.globalnet: true lets pod and service ranges overlap",
  podsApartFromNodes: true,
  trust: "root-bundle",
  trustNamespaceLabels: () => ({}),
  requirements: (plan, cluster): ClusterRequirements => {
    const joined = plan.topology.members.some((m) => m.cluster === cluster.name);
    const count = joined ? plan.settings.gatewayNodes.count : 0;
    return {
      ports: SUBMARINER_PORTS,
      peerRanges: joined ? peerRanges(plan.topology, cluster.name) : [],
      tunnelPeers: joined ? tunnelPeers(plan.topology, cluster.name) : [],
      apiClients: cluster.name === plan.topology.brokerCluster ? brokerClients(plan.topology) : [],
      podsApartFromNodes: true,
      gatewayNodes: {
        count,
        // One spare: a replaced gateway node takes it before the old node lets go of its address.
        addressPool: count > 0 ? count + 1 : 0,
        instanceTypes: plan.settings.gatewayNodes.instanceTypes,
        label: SUBMARINER_GATEWAY_LABEL,
        taint: SUBMARINER_GATEWAY_TAINT,
        role: "Submariner gateway nodes",
        countKey: "submariner.gatewayNodes.count",
        // Peers admit the tunnel ports from the pool's addresses alone.
        staticAddresses: true,
        // The active gateway routes decapsulated remote traffic to pods on other nodes with its remote source.
        forwardsForeignTraffic: true,
      },
      datapath: "legacy",
      controlPlaneAttachment: "private-service-connect",
    };
  },
  gatewayZones: (spec) => ({ count: spec.submariner.gatewayNodes.count, policy: "submariner-gateways-span-zones" }),
  // The broker: the pinned cluster, else the lowest-slot one (as the topology chooses it).
  sharedHost: (spec) => {
    const pinned = spec.submariner.brokerCluster;
    const cluster = pinned ?? [...spec.clusters].sort((a, b) => a.slot - b.slot)[0]?.name;
    return cluster === undefined
      ? undefined
      : {
          cluster,
          hosts:
            pinned === undefined
              ? "the Submariner broker (the lowest-slot cluster, by default)"
              : "the Submariner broker (submariner.brokerCluster)",
          move: "move the broker first, in its own change: set submariner.brokerCluster to another cluster (every cluster re-joins)",
        };
  },
};

/**
 * The ranges whose traffic reaches `cluster` through the tunnels: every other member's pod and service ranges (the
 * GKE quickstart's "Firewall Configuration" admits both clusters' pod and service CIDRs), or with Globalnet its
 * global range, which is what remote traffic carries as source after the remote gateway's SNAT.
 */
export function peerRanges(topology: SubmarinerTopology, cluster: string): PeerRange[] {
  return topology.members
    .filter((m) => m.cluster !== cluster)
    .flatMap((m): PeerRange[] =>
      m.globalCidr !== undefined
        ? [{ cluster: m.cluster, role: "global", cidr: m.globalCidr }]
        : [
            { cluster: m.cluster, role: "pods", cidr: m.clusterCidr },
            { cluster: m.cluster, role: "services", cidr: m.serviceCidr },
          ],
    );
}

/** The other members, whose gateways open tunnels to this one's: sorted by name, so member order changes nothing. */
export function tunnelPeers(topology: SubmarinerTopology, cluster: string): string[] {
  return topology.members
    .map((m) => m.cluster)
    .filter((c) => c !== cluster)
    .sort();
}

/**
 * A joined cluster whose cloud reserves no gateway addresses (an existing cluster) must declare them: its peers admit
 * the tunnel ports from its gateways' addresses alone, and nothing else knows them.
 */
export function checkGatewayAddresses(spec: FleetSpec): Issue[] {
  const { brokerCluster, dedicatedBrokerCluster } = spec.submariner;
  return spec.clusters.flatMap((c, i): Issue[] =>
    CLOUD_TRAITS[c.cloud].reservesGatewayAddresses ||
    (dedicatedBrokerCluster && c.name === brokerCluster) ||
    c.existing?.gatewayAddresses !== undefined
      ? []
      : [
          {
            path: `clusters[${i}].existing.gatewayAddresses`,
            message:
              "a Submariner member that the program reserves no gateway addresses for must list them: its peers admit the tunnel ports from these alone",
            fix: "list the public addresses its gateway nodes meet their peers from, e.g. [203.0.113.10/32]",
            value: undefined,
          },
        ],
  );
}

/**
 * Who calls the broker's API server: every member, the broker's own cluster included when it is joined (its
 * operator, too, reaches the broker through the public endpoint), from its NAT egress (operator, Lighthouse agent)
 * and from its gateway nodes (the gateway engine).
 */
export function brokerClients(topology: SubmarinerTopology): ApiClient[] {
  return topology.members
    .map((m) => m.cluster)
    .sort()
    .map((c) => ({ cluster: c, fromGateways: true, caller: "Submariner (broker)" }));
}
