/**
 * What an interconnect requires of every cluster and its network, as plain data. Network and cluster components read
 * these from the plan and turn them into firewall rules, node pools and cluster settings; they never ask which
 * interconnect it is.
 */

/** One port an interconnect needs opened beyond what the cloud opens by default, and who connects to it. */
export interface PortRule {
  /** Stable key, used in resource names: never renumber. */
  readonly key: string;
  readonly protocol: "tcp" | "udp" | "esp" | "ah";
  /** Absent for esp/ah, which have no ports. */
  readonly port?: number;
  /**
   * Who connects:
   * - `control-plane`: the cluster's own API server (admission webhooks, xDS from a managed control plane);
   * - `nodes`: other nodes of the same cluster;
   * - `peers`: other clusters' gateways (over the internet or a private link): the clusters in `tunnelPeers`.
   */
  readonly from: "control-plane" | "nodes" | "peers";
  /**
   * `control-plane` ports only: the managed control plane itself opens connections to it (an admission webhook), so a
   * private GKE control plane needs a firewall rule for it (GKE's own rule opens only 443 and 10250).
   */
  readonly calledByControlPlane?: boolean;
  readonly description: string;
}

/** Dedicated public gateway nodes: one node in each of the cluster's first `count` zones. */
export interface GatewayNodes {
  /** Zones (the cluster's first `count`) that get one gateway node each; 0 in a cluster that only hosts a broker. */
  readonly count: number;
  /** Machine type per cloud; absent: the cluster's own node type. */
  readonly instanceTypes: Readonly<{ aws?: string; gcp?: string }>;
  /** The node label (value "true") that marks a gateway node. */
  readonly label: string;
  /** The taint key (value "true", NoSchedule) that keeps other workloads off gateway nodes. */
  readonly taint: string;
  /** What the nodes are, for descriptions: e.g. "Submariner gateway nodes". */
  readonly role: string;
  /** The config key of `count`, for error messages. */
  readonly countKey: string;
  /**
   * Each gateway node holds one reserved static public address from its cluster's pool (the addresses tagged
   * `GATEWAY_ADDRESS_POOL_TAG` / labelled `GATEWAY_ADDRESS_POOL_LABEL` = the cluster's physical name), so peers can
   * admit its tunnels by address: an address agent on the gateway nodes (kubeip) swaps the node's ephemeral address
   * for a free one of the pool.
   */
  readonly staticAddresses: boolean;
  /**
   * The gateway nodes forward traffic that is neither from nor to their own addresses (peers' packets, decapsulated,
   * on to pods on other nodes), so a cloud that drops such traffic by default (EC2's source/destination check) must
   * let it through on them.
   */
  readonly forwardsForeignTraffic: boolean;
  /**
   * Public addresses the cluster's network reserves for its gateway nodes (the pool an in-cluster agent binds to
   * them): `count + 1`, so a replacement node takes the spare before the node it replaces lets go of its address; 0
   * without gateway nodes. Peers admit the tunnel ports from these addresses alone.
   */
  readonly addressPool: number;
}

/**
 * One range of another cluster whose traffic reaches this cluster's nodes and pods through the interconnect's tunnels
 * (decapsulated on a gateway node, then routed inside the cluster's network with its original source address).
 */
export interface PeerRange {
  /** The other cluster. */
  readonly cluster: string;
  /** Which of its ranges: its pods, its services, or its Globalnet range (Submariner with Globalnet). */
  readonly role: "pods" | "services" | "global";
  readonly cidr: string;
}

/** A cluster whose workloads call another cluster's API server through its public endpoint. */
export interface ApiClient {
  readonly cluster: string;
  /**
   * Its calls also leave from its gateway nodes' own public addresses (Submariner's gateway engine reads the broker
   * from a gateway node), not only through its NAT egress.
   */
  readonly fromGateways: boolean;
  /** Who calls, for messages: e.g. "istiod (remote secret)". */
  readonly caller: string;
}

/** Everything an interconnect asks of one cluster. */
export interface ClusterRequirements {
  /** The ports to open, and from where. */
  readonly ports: readonly PortRule[];
  /**
   * Peers' ranges the cluster's network admits (every protocol), in member order; empty when the interconnect carries
   * no peer addresses into the cluster (Istio: traffic arrives from the east-west gateway's load balancer).
   */
  readonly peerRanges: readonly PeerRange[];
  /**
   * The cluster's pods must take addresses apart from its nodes' (Submariner: worker node IPs must lie outside the
   * pod ranges). On EKS this is VPC CNI custom networking: a secondary VPC range for pods, a pod subnet and an
   * ENIConfig per zone (the address plan's `pods` and its `pods`-tier subnets).
   */
  readonly podsApartFromNodes: boolean;
  /**
   * The peer clusters whose gateway nodes open tunnels to this cluster's gateway nodes, sorted by name: the `peers`
   * ports admit each one's gateway addresses (its reserved pool) and nothing wider. Empty: no `peers` ports are opened.
   */
  readonly tunnelPeers: readonly string[];
  /**
   * The clusters whose workloads call this cluster's API server, sorted by name: a control plane restricted to
   * authorized networks admits their egress addresses (and, `fromGateways`, their gateway addresses). Empty: none.
   */
  readonly apiClients: readonly ApiClient[];
  /** Dedicated public gateway nodes; absent: none. */
  readonly gatewayNodes?: GatewayNodes;
  /** The pod datapath the interconnect supports: `legacy` pins iptables (GKE `LEGACY_DATAPATH`); absent: the default. */
  readonly datapath?: "legacy";
  /**
   * How a private managed control plane attaches to the network: `peering` (GKE VPC Network Peering, with the planned
   * /28 as its range) or `private-service-connect` (an endpoint subnetwork holding that /28, needed when some nodes
   * have public IPs).
   */
  readonly controlPlaneAttachment: "peering" | "private-service-connect";
}
