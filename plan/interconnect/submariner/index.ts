/**
 * The Submariner interconnect: its schema section (./spec.ts), its topology (./topology.ts), and what it requires of
 * every joined cluster: IPsec ports from peers and VXLAN/metrics among nodes, public gateway nodes (one per zone in
 * the first `gatewayNodes.count` zones; none in a cluster that only hosts the broker), the iptables datapath (it is
 * not tested on GKE Dataplane V2), and a private control plane attached through Private Service Connect (a peered
 * private GKE cluster refuses a node pool with public IPs).
 */
import type { FleetSpec, SubmarinerSpec } from "../../spec";
import type { Interconnect } from "../index";
import type { ClusterRequirements, PortRule } from "../requirements";
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
  { key: "metrics", protocol: "tcp", port: 8080, from: "nodes", description: "Submariner metrics" },
];

export const submariner: Interconnect<"submariner"> = {
  kind: "submariner",
  // The topology needs a valid address plan: with address or trust problems, it reports nothing.
  check: (spec: FleetSpec, addresses) =>
    addresses === undefined ? [] : checkSubmarinerTopology(spec.submariner, addresses.clusters),
  plan: (spec, addresses) => ({
    topology: planSubmarinerTopology(spec.submariner, addresses.clusters),
    settings: spec.submariner,
  }),
  summary: {
    gateway: () => "Submariner gateway nodes",
    links: "to-broker",
    hubLabel: (n) => `broker of ${n} clusters`,
    legend: ({ clusters: n, broker }) =>
      `\`cluster --> ${broker ?? "broker"}\`: every other cluster joins the Submariner broker in ${broker ?? "the broker cluster"} (${n - 1} link${n - 1 === 1 ? "" : "s"}).`,
  },
  virtualRangesMayOverlap: (spec) => spec.submariner.globalnet,
  virtualOverlapHint: "with Submariner, submariner.globalnet: true lets pod and service ranges overlap",
  trustNamespaceLabels: () => ({}),
  requirements: (plan, cluster): ClusterRequirements => {
    const joined = plan.topology.members.some((m) => m.cluster === cluster.name);
    return {
      ports: SUBMARINER_PORTS,
      gatewayNodes: {
        count: joined ? plan.settings.gatewayNodes.count : 0,
        instanceTypes: plan.settings.gatewayNodes.instanceTypes,
        label: SUBMARINER_GATEWAY_LABEL,
        taint: SUBMARINER_GATEWAY_TAINT,
        role: "Submariner gateway nodes",
        countKey: "submariner.gatewayNodes.count",
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
