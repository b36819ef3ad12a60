/**
 * The network of one GKE cluster: a custom-mode VPC network with one regional subnetwork laid out by the address
 * plan (plan/addresses.ts), private Google access, Cloud NAT egress, and the firewall rules the mesh needs.
 *
 * Children, by role (names `${name}-${role}[-${port key}]`):
 * - `network`: the VPC network (no auto subnetworks), used by this cluster only; the only child `protect` covers;
 * - `subnet`: the regional subnetwork: primary range = nodes, secondary ranges `pods` and `services` (referenced by
 *   name from the cluster's ipAllocationPolicy), private Google access on;
 * - `router` + `nat`: Cloud Router and Cloud NAT for every range of the subnetwork, egressing through `nat-ip` and
 *   `nat-ip-2`, reserved external addresses, so peers can allow this cluster's egress by fixed addresses
 *   (`natPublicIps`). Cloud NAT itself spans the region's zones; the second address is its headroom: it doubles the
 *   source ports, so a burst or a growing node count does not exhaust the one address and cut egress (the policy
 *   pack's `egress-per-zone` requires it in production); ports are allocated dynamically between
 *   `clusters[i].gcp.nat.minPortsPerVm` and `maxPortsPerVm` per node;
 * - `internal`: TCP, UDP and ICMP among the cluster's own node and pod ranges;
 * - `gateway-ip-<n>` (`gatewayAddressPool` > 0, the interconnect's `gatewayNodes.addressPool`), n = 1 up to the
 *   pool's size: regional external addresses reserved for the gateway nodes (one more than the nodes, so a
 *   replacement node takes the spare first), labelled `GATEWAY_ADDRESS_POOL_LABEL` = `physicalName`, by which the
 *   in-cluster agent that binds them to gateway nodes finds them. Peers admit the tunnel ports from these alone;
 * - `mesh-<key>`, one per `nodes` port the interconnect requires (`ports`, from the plan's `requirements[cluster]`,
 *   written in plan/interconnect/<kind>), and for AH. Istio has none of these (its control-plane ports are the GKE
 *   cluster component's rule). Submariner:
 *   - `nodes` ports (VXLAN 4800/udp) from the cluster's own node and pod ranges;
 *   - AH only from the private (RFC 1918) blocks: AH signs the IP header, so it never survives NAT and can only
 *     arrive over a private path (VPN, interconnect);
 *   - the other `peers` ports (IKE, NAT-T, NAT discovery, ESP) are admitted from each tunnel peer's gateway addresses
 *     alone, by the GKE cluster component (`tunnel-peers`), which gets the peers' reserved addresses.
 * - `mesh-peers`, when the interconnect carries peers' addresses into the cluster (`peerRanges`; Submariner: every
 *   other member's pod and service ranges, as its GKE quickstart's "Firewall Configuration" asks, or their Globalnet
 *   ranges): every protocol from exactly those ranges. Traffic decapsulated on a gateway node keeps its remote source
 *   address on its way to the pod's node.
 *
 * The GCP provider arrives through `opts.provider` and is inherited by every child (`{ parent: this }`). Of these
 * resources only the address takes labels; the provider's default labels cover the rest where GCP allows them.
 */
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses } from "../../../plan/addresses-types";
import { RFC1918 } from "../../../plan/cidr";
import { GATEWAY_ADDRESS_POOL_LABEL } from "../../../plan/names";
import type { PeerRange, PortRule } from "../../../plan/interconnect";
import type { ClusterSpec, GcpClusterSettings } from "../../../plan/spec";
import type { GcpNetworkOutputs } from "../../network/contract";

export const GCP_NETWORK_TYPE = "multicluster-mesh:network:GcpNetwork";

/** Secondary range names of the subnetwork (GKE's ipAllocationPolicy refers to them). */
export const PODS_RANGE_NAME = "pods";
export const SERVICES_RANGE_NAME = "services";

/** AH cannot cross NAT, so it is accepted only from private addresses. */
export const AH_SOURCE_RANGES: readonly string[] = RFC1918;

export interface GcpNetworkArgs {
  /**
   * The cluster this network serves: its name, cloud (must be gcp), region (the subnetwork's and NAT's region) and
   * `gcp.nat` (the NAT's ports per node).
   */
  readonly cluster: ClusterSpec;
  /** The cluster's planned ranges: `nodes` (primary), `pods` and `services` (secondary ranges). */
  readonly addresses: ClusterAddresses;
  /** The ports the interconnect needs opened: its `nodes` and `peers` ports become firewall rules here. */
  readonly ports: readonly PortRule[];
  /** Peers' ranges the network admits (every protocol); empty: none, and no rule. */
  readonly peerRanges: readonly PeerRange[];
  /** Labels for the resources that take labels: `gcpLabels(spec, cluster)` from plan/names.ts. */
  readonly labels: Readonly<Record<string, string>>;
  /** true: Pulumi protects the VPC network (and nothing else here) from deletion; false: nothing is protected. */
  readonly protect: boolean;
  /** The GKE cluster's cloud-side name (plan/names.ts `physicalName`): the gateway addresses' pool label value. */
  readonly physicalName: string;
  /** External addresses to reserve for the gateway nodes (`gatewayNodes.addressPool`); 0 or absent: none. */
  readonly gatewayAddressPool?: number;
}

export class GcpNetwork extends pulumi.ComponentResource implements GcpNetworkOutputs {
  public readonly networkSelfLink: pulumi.Output<string>;
  public readonly networkName: pulumi.Output<string>;
  public readonly subnetworkSelfLink: pulumi.Output<string>;
  public readonly podsRangeName: string;
  public readonly servicesRangeName: string;
  /** The fixed address Cloud NAT sends the cluster's egress from. */
  public readonly natPublicIps: readonly pulumi.Output<string>[];
  /** The addresses reserved for the gateway nodes, in pool order (`gateway-ip-1` first); empty without a pool. */
  public readonly gatewayPublicIps: readonly pulumi.Output<string>[];

  constructor(name: string, args: GcpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs(name, args); // before registering anything
    super(GCP_NETWORK_TYPE, name, {}, opts);
    const { cluster, addresses } = args;

    const network = new gcp.compute.Network(
      `${name}-network`,
      {
        autoCreateSubnetworks: false,
        routingMode: "REGIONAL",
        description: `multicluster-mesh: network of cluster ${cluster.name}`,
      },
      { parent: this, protect: args.protect },
    );
    const subnet = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      {
        network: network.id,
        region: cluster.region,
        ipCidrRange: addresses.nodes,
        secondaryIpRanges: [
          { rangeName: PODS_RANGE_NAME, ipCidrRange: addresses.pods },
          { rangeName: SERVICES_RANGE_NAME, ipCidrRange: addresses.services },
        ],
        privateIpGoogleAccess: true,
        description: `multicluster-mesh: nodes, pods and services of cluster ${cluster.name}`,
      },
      { parent: this },
    );
    const natIps = createNat(this, name, args, network);
    createFirewalls(this, name, args, network);

    this.networkSelfLink = network.selfLink;
    this.networkName = network.name;
    this.subnetworkSelfLink = subnet.selfLink;
    this.podsRangeName = PODS_RANGE_NAME;
    this.servicesRangeName = SERVICES_RANGE_NAME;
    this.natPublicIps = natIps.map((ip) => ip.address);
    this.gatewayPublicIps = Array.from(
      { length: args.gatewayAddressPool ?? 0 },
      (_, i) =>
        new gcp.compute.Address(
          `${name}-gateway-ip-${i + 1}`,
          {
            region: cluster.region,
            addressType: "EXTERNAL",
            labels: { ...args.labels, [GATEWAY_ADDRESS_POOL_LABEL]: args.physicalName },
            description: `multicluster-mesh: gateway node address of cluster ${cluster.name}`,
          },
          { parent: this },
        ).address,
    );
    this.registerOutputs({
      networkSelfLink: this.networkSelfLink,
      networkName: this.networkName,
      subnetworkSelfLink: this.subnetworkSelfLink,
      podsRangeName: this.podsRangeName,
      servicesRangeName: this.servicesRangeName,
      natPublicIps: this.natPublicIps,
      gatewayPublicIps: this.gatewayPublicIps,
    });
  }
}

/** Every problem with the arguments at once. */
function checkArgs(name: string, args: GcpNetworkArgs): void {
  const problems: string[] = [];
  if (args.cluster.cloud !== "gcp") {
    problems.push(`the cluster's cloud is ${args.cluster.cloud}, not gcp — create an AwsNetwork or none`);
  } else if (args.cluster.gcp === undefined) {
    problems.push("the cluster has no gcp settings — set clusters[i].gcp.project");
  }
  if (args.addresses.cluster !== args.cluster.name) {
    problems.push(
      `the addresses belong to cluster ${args.addresses.cluster}, not ${args.cluster.name} — pass the cluster's own ClusterAddresses`,
    );
  }
  if (problems.length > 0) {
    throw new Error(`GcpNetwork ${name}: ${problems.join("; ")}`);
  }
}

/** Reserved egress addresses of Cloud NAT: one and its headroom (the first keeps its name from before). */
export const NAT_ADDRESS_SUFFIXES = ["", "-2"] as const;

/** Cloud Router and Cloud NAT for every range of the subnetwork, through the reserved addresses. */
function createNat(
  parent: GcpNetwork,
  name: string,
  args: GcpNetworkArgs,
  network: gcp.compute.Network,
): gcp.compute.Address[] {
  const region = args.cluster.region;
  const nat = (args.cluster.gcp as GcpClusterSettings).nat;
  const addresses = NAT_ADDRESS_SUFFIXES.map(
    (suffix) =>
      new gcp.compute.Address(
        `${name}-nat-ip${suffix}`,
        {
          region,
          addressType: "EXTERNAL",
          labels: { ...args.labels },
          description: `multicluster-mesh: egress address of cluster ${args.cluster.name}`,
        },
        { parent },
      ),
  );
  const router = new gcp.compute.Router(`${name}-router`, { network: network.id, region }, { parent });
  new gcp.compute.RouterNat(
    `${name}-nat`,
    {
      router: router.name,
      region,
      natIpAllocateOption: "MANUAL_ONLY",
      natIps: addresses.map((a) => a.selfLink),
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      // Dynamic port allocation (clusters[i].gcp.nat); it excludes endpoint-independent mapping, so that is off.
      enableDynamicPortAllocation: true,
      minPortsPerVm: nat.minPortsPerVm,
      maxPortsPerVm: nat.maxPortsPerVm,
      enableEndpointIndependentMapping: false,
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    },
    { parent },
  );
  return addresses;
}

/** The intra-cluster rule and one rule per `nodes`/`peers` port of the mesh. */
function createFirewalls(parent: GcpNetwork, name: string, args: GcpNetworkArgs, network: gcp.compute.Network): void {
  const own = [args.addresses.nodes, args.addresses.pods];
  new gcp.compute.Firewall(
    `${name}-internal`,
    {
      network: network.id,
      direction: "INGRESS",
      description: `${args.cluster.name}: traffic among the cluster's nodes and pods`,
      sourceRanges: own,
      allows: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
    },
    { parent },
  );
  if (args.peerRanges.length > 0) {
    new gcp.compute.Firewall(
      `${name}-mesh-peers`,
      {
        network: network.id,
        direction: "INGRESS",
        description: `${args.cluster.name}: traffic from peer clusters' ranges through the tunnels`,
        sourceRanges: args.peerRanges.map((r) => r.cidr),
        allows: [{ protocol: "all" }],
      },
      { parent },
    );
  }
  for (const rule of args.ports) {
    const sources = sourcesOf(rule, own);
    if (sources === undefined) {
      continue;
    }
    new gcp.compute.Firewall(
      `${name}-mesh-${rule.key}`,
      {
        network: network.id,
        direction: "INGRESS",
        description: `${args.cluster.name}: ${rule.description}`,
        sourceRanges: [...sources],
        allows: [{ protocol: rule.protocol, ...(rule.port === undefined ? {} : { ports: [String(rule.port)] }) }],
      },
      { parent },
    );
  }
}

/**
 * Who may send this port's traffic; undefined for control-plane ports and the tunnel ports from peers' gateways (the
 * GKE cluster component's rules).
 */
function sourcesOf(rule: PortRule, own: readonly string[]): readonly string[] | undefined {
  switch (rule.from) {
    case "nodes":
      return own;
    case "peers":
      return rule.protocol === "ah" ? AH_SOURCE_RANGES : undefined;
    case "control-plane":
      return undefined;
  }
}
