/**
 * The interconnects (how the clusters of a fleet are joined), behind one interface, and their registry.
 *
 * An interconnect is one module under plan/interconnect/<kind>/: its config section of the schema (spec.ts), its
 * planner (FleetSpec → its topology), and what it requires of every cluster and network (requirements.ts). Its
 * components live in components/mesh/<kind>/. Adding one: see ARCHITECTURE.md.
 */
import type { AddressPlan } from "../addresses-types";
import type { Issue } from "../issues";
import type { Cloud, ClusterSpec, FleetSpec, MeshKind } from "../spec";
import { istio, type IstioTypes } from "./istio";
import type { ClusterRequirements } from "./requirements";
import { submariner, type SubmarinerTypes } from "./submariner";

export type { ApiClient, ClusterRequirements, GatewayNodes, PeerRange, PortRule } from "./requirements";

/** Per interconnect: the topology its planner returns and the settings (its config section) its components read. */
export interface InterconnectTypes {
  readonly istio: IstioTypes;
  readonly submariner: SubmarinerTypes;
}

export interface Interconnect<K extends MeshKind> {
  readonly kind: K;
  /**
   * Every problem with the spec for this interconnect. `addresses` is the address plan, or undefined when the
   * address or trust checks found problems (checks that need a valid address plan then report nothing).
   */
  check(spec: FleetSpec, addresses: AddressPlan | undefined): Issue[];
  /** The interconnect's part of the plan; called only when `check` found nothing. */
  plan(spec: FleetSpec, addresses: AddressPlan): InterconnectTypes[K];
  /**
   * Whether clusters' pod and service ranges may overlap (the interconnect translates them, e.g. Submariner's
   * Globalnet), and the hint an overlap error of pod or service ranges gives (absent: none).
   */
  virtualRangesMayOverlap(spec: FleetSpec): boolean;
  readonly virtualOverlapHint?: string;
  /**
   * Whether every cluster's pod range must lie apart from node addresses, so the address plan gives a cloud whose
   * pods otherwise share the node range (EKS with VPC CNI) a separate pod range (`ClusterRequirements.podsApartFromNodes`).
   */
  readonly podsApartFromNodes: boolean;
  /**
   * What the clusters' trust holds: `workload-ca`, an intermediate CA (key included) for the mesh to issue workload
   * certificates (Istio's `cacerts`); `root-bundle`, only the trusted roots, for workloads that verify peers
   * themselves (nothing in the cluster issues certificates, so no CA key is placed there).
   */
  readonly trust: "workload-ca" | "root-bundle";
  /** Labels of the cluster's istio-system namespace, which ClusterTrust creates for the cluster's CA material. */
  trustNamespaceLabels(cluster: ClusterSpec): Readonly<Record<string, string>>;
  /** How plan summaries draw and describe it. */
  readonly summary: InterconnectSummary;
  /** What the interconnect requires of one cluster and its network. */
  requirements(plan: InterconnectTypes[K], cluster: ClusterSpec): ClusterRequirements;
  /**
   * The gateway nodes a joined cluster runs, one per zone, so the zones a cluster added to the fleet needs for them;
   * undefined: none. Read from the spec, before any plan (`add-cluster`).
   */
  gatewayZones(spec: FleetSpec): GatewayZones | undefined;
  /**
   * The cluster that hosts a part of the interconnect the whole fleet shares (Submariner's broker), which cannot be
   * retired before that part moves; undefined: no cluster hosts one. Read from the spec (`retire-cluster`).
   */
  sharedHost(spec: FleetSpec): SharedHost | undefined;
}

/** The gateway nodes every joined cluster runs. */
export interface GatewayZones {
  /** Gateway nodes per cluster, one in each of its first `count` zones. */
  readonly count: number;
  /** The name of the policy of the pack whose `minZones` the gateway nodes must span. */
  readonly policy: string;
}

/** A cluster that hosts a part of the interconnect the whole fleet shares. */
export interface SharedHost {
  readonly cluster: string;
  /** What it hosts and why this cluster, after "hosts": e.g. `the Submariner broker (submariner.brokerCluster)`. */
  readonly hosts: string;
  /** How to move that part elsewhere first. */
  readonly move: string;
}

/** How the plan summary's topology diagram (tools/render-mermaid.ts) draws an interconnect. */
export interface InterconnectSummary {
  /** What each cluster's gateway is, on its cloud: e.g. `east-west gateway (NLB)`. */
  gateway(cloud: Cloud): string;
  /**
   * How the clusters are linked: `all-pairs`, every pair both ways (drawn through one hub node above a diagram's
   * pairwise limit), or `tunnels-and-broker`, a tunnel between the gateways of every pair of members (the data plane;
   * through one hub node above the limit) and every member joined to the broker's cluster (the control plane).
   */
  readonly links: "all-pairs" | "tunnels-and-broker";
  /** The hub node's label when all pairs are drawn through one node. */
  hubLabel(clusters: number): string;
  /** The sentence under the diagram that explains the links. */
  legend(at: { clusters: number; broker?: string; throughHub: boolean; maxPairwise: number }): string;
}

/** One interconnect's part of the fleet plan: its kind, its topology and its settings. */
export type InterconnectPlanOf<K extends MeshKind> = { readonly kind: K } & InterconnectTypes[K];
export type InterconnectPlan = { [K in MeshKind]: InterconnectPlanOf<K> }[MeshKind];

/** The registry: one entry per mesh kind, so a new kind does not compile until its module is listed here. */
export const INTERCONNECTS: { readonly [K in MeshKind]: Interconnect<K> } = { istio, submariner };

export function interconnectOf<K extends MeshKind>(kind: K): Interconnect<K> {
  return INTERCONNECTS[kind];
}

/** The interconnect's part of the plan, with its kind. */
export function planInterconnect<K extends MeshKind>(
  kind: K,
  spec: FleetSpec,
  addresses: AddressPlan,
): InterconnectPlanOf<K> {
  return { kind, ...interconnectOf(kind).plan(spec, addresses) };
}

/** What the planned interconnect requires of one cluster. */
export function requirementsOf<K extends MeshKind>(
  plan: InterconnectPlanOf<K>,
  cluster: ClusterSpec,
): ClusterRequirements {
  return interconnectOf<K>(plan.kind).requirements(plan, cluster);
}
