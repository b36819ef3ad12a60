/**
 * The clouds a cluster can live on, behind one interface, and their registry. A cloud module builds one cluster in
 * two steps: `createNetwork` (its provider and network, and the addresses peers admit it by: its egress and its gateway
 * nodes' reserved addresses) and
 * `createCluster` (the cluster on that network, admitting what its peers' networks reserved, handing back the cluster
 * contract of cluster/contract.ts and a kubeconfig). The fleet builds every cluster's network before any cluster. Adding one: see ARCHITECTURE.md.
 */
import type { SourceLists } from "./tunnel-sources";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses } from "../../plan/addresses-types";
import type { ClusterRequirements } from "../../plan/interconnect";
import type { Cloud, ClusterSpec, FleetSpec } from "../../plan/spec";
import type { MeshCluster } from "../cluster/contract";
import { aws } from "./aws";
import { existing } from "./existing";
import { gcp } from "./gcp";

/** What a cloud module gets for one cluster. */
export interface CloudClusterArgs {
  /** The fleet as configured: environment, tags, protect. */
  readonly fleet: FleetSpec;
  /** The cluster as configured. */
  readonly cluster: ClusterSpec;
  /** The cluster's planned ranges. */
  readonly addresses: ClusterAddresses;
  /** What the interconnect requires of the cluster and its network (the plan's `requirements[cluster]`). */
  readonly requirements: ClusterRequirements;
}

/**
 * One cluster's network as its cloud module built it: what peers admit the cluster by. A module's own network type
 * extends this with what its cluster step needs (its provider, its network component).
 */
export interface BuiltNetwork {
  /** The public NAT addresses the cluster's outbound traffic leaves from; absent where unknown. */
  readonly egress?: pulumi.Output<string[]>;
  /**
   * Where the cluster's gateway nodes meet their peers from, as source ranges: each address of the pool the network
   * reserves for them as a /32 (an existing cluster: its declared `gatewayAddresses`); absent: no gateway nodes.
   */
  readonly gatewaySources?: readonly pulumi.Output<string>[];
}

/**
 * What the clusters' networks hand each cluster's step, by cluster name (every cluster of the fleet, this one
 * included: e.g. a joined Submariner broker cluster calls its own API server through its public endpoint).
 */
export interface PeerAddresses {
  /** Their gateway nodes' source ranges (`BuiltNetwork.gatewaySources`), for those with gateway nodes. */
  readonly gatewaySources: Readonly<Record<string, readonly pulumi.Output<string>[]>>;
  /** The same, combined once for the whole fleet (./tunnel-sources.ts `combineSources`). */
  readonly gatewaySourceLists: SourceLists;
  /** Their egress addresses (`BuiltNetwork.egress`), where known. */
  readonly egress: Readonly<Record<string, pulumi.Output<string[]>>>;
}

/** One cluster as a cloud module built it. */
export interface BuiltCluster {
  readonly cluster: MeshCluster;
  /** A kubeconfig for platform engineers (secret). */
  readonly kubeconfig: pulumi.Output<string>;
}

export interface CloudModule<C extends Cloud, N extends BuiltNetwork = BuiltNetwork> {
  readonly cloud: C;
  /**
   * The cloud provider and network of one cluster, as children of `parent`; nothing that needs another cluster's
   * network. Protection goes to what holds state (the VPC or network) inside the component, never to a whole one.
   */
  createNetwork(args: CloudClusterArgs, parent: pulumi.Resource): N;
  /**
   * The cluster on its own `network` (what `createNetwork` returned for the same args), as a child of `parent`, with
   * what the networks reserved (`peers`: the tunnel ports admit the `tunnelPeers`' gateway sources alone; a control
   * plane restricted to authorized networks admits its `apiClients`' addresses).
   * Protection goes to the cluster inside its component.
   */
  createCluster(args: CloudClusterArgs, network: N, peers: PeerAddresses, parent: pulumi.Resource): BuiltCluster;
}

/** The registry: one entry per cloud, so a new cloud does not compile until its module is listed here. */
export const CLOUD_MODULES: { readonly [C in Cloud]: CloudModule<C> } = { aws, gcp, existing };
