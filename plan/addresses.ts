/**
 * The address plan: non-overlapping, stable IPv4 ranges for every cluster of the fleet.
 *
 * Slots. The environment's address space (`addressSpace`, default 10.0.0.0/8) is cut into /16 blocks
 * (`SLOT_PREFIX`); the cluster with `slot: n` owns the n-th block, counted from the space's first address
 * (10.n.0.0/16 in the default space). A /8 holds 256 slots, 172.16.0.0/12 holds 16, 192.168.0.0/16 one.
 * Ranges depend only on the cluster's own slot, cloud and zone letters: never on list position, never on the
 * other clusters, so adding, removing or reordering clusters moves nothing.
 *
 * Layout inside a slot block (S = the block's first address, e.g. 10.4.0.0 for slot 4):
 *
 * ```
 *   AWS (EKS)                                          GCP (GKE)
 *   S+0.0/17        VPC = nodes = pods (VPC CNI)       S+0.0/20     nodes: subnetwork primary range (4092 nodes)
 *   S+(16k).0/20      private subnet, zone letter k    S+16.0/20    services: secondary range (4096 services)
 *   S+(112+k).0/24    public subnet, zone letter k     S+32.0/28    controlPlane: private control plane
 *   S+128.0/20      services (serviceIpv4Cidr)         S+128.0/17   pods: secondary range (128 nodes × 110 pods)
 *   the rest        reserved                           the rest     reserved
 * ```
 *
 * EKS pods apart from nodes. An interconnect that needs pod addresses apart from node addresses (Submariner: worker
 * node IPs must lie outside the pod ranges) gives every EKS cluster the slot's /18 of 100.64.0.0/10 as its pod range
 * (slot n: the n-th /18), associated with the VPC as a secondary range and cut into one /21 pod subnet per zone
 * letter k (VPC CNI custom networking); `cidrs.pods` replaces it. Other stacks keep pods in the VPC.
 *
 * k is the zone's letter (us-east-1a → 0, …, us-east-1g → 6), so adding, removing or reordering zones never moves
 * a subnet; the layout has room for zone letters a–g. A private /20 (4096 addresses) holds a zone's nodes and pods;
 * a public /24 holds NAT gateways, internet-facing load balancers and Submariner gateways. The EKS service range
 * is set explicitly so that two EKS clusters never both get EKS's default (10.100.0.0/16 or 172.20.0.0/16).
 *
 * Overrides and existing clusters. `cidrs.{nodes,pods,services,controlPlane}` replace the planned range (an
 * overridden VPC keeps the same relative subnet layout: private /(p+3) at k, public /(p+7) at 112+k, so it must be
 * /16–/21). Existing clusters declare nodes, pods and services; their slot block stays reserved and unused.
 * Overrides and declared ranges may lie outside the address space; overrides must be RFC 1918.
 *
 * Checks, all reported together: the space (aligned, RFC 1918, at least one slot); every slot inside it; every
 * override and declared range aligned; no range of one cluster overlaps any range of another (except pod and
 * service ranges when Submariner runs with Globalnet); a cluster's own ranges disjoint where the cloud requires;
 * VPC /16–/28 (and /21 for the subnet layout); EKS services /12–/24, RFC 1918, outside the VPC; GKE ranges large
 * enough for `nodes.maxPerZone × zones` nodes, their pod blocks and a /27 of services, control plane a /28.
 */
import type { AddressPlan, ClusterAddresses } from "./addresses-types";
import { CLOUD_TRAITS, type CloudTraits } from "./cloud";
import { checkGkeSizes, pick, SLOT_LAYOUT, SLOT_PREFIX } from "./address-layout";
import { planAws } from "./addresses-aws";
import { checkBetweenClusters, checkWithinCluster, type Held, type Role, ROLES } from "./address-overlaps";
import * as cidr from "./cidr";
import { interconnectOf } from "./interconnect";
import { type Issue, SpecError } from "./issues";
import type { Cloud, ClusterSpec, FleetSpec } from "./spec";

export { MAX_ZONE_LETTERS, SLOT_LAYOUT, SLOT_PREFIX } from "./address-layout";

interface Context {
  /** The aligned, RFC 1918 address space, or undefined when it is unusable (already reported). */
  readonly space: string | undefined;
  readonly slotCount: number;
  /** The lowest slot no cluster uses and no override or declared range touches (for fixes). */
  readonly freeSlot: number | undefined;
  /** The interconnect needs pod addresses apart from node addresses (EKS: a separate pod range). */
  readonly podsApart: boolean;
}

export interface ClusterResult {
  readonly addresses?: ClusterAddresses;
  readonly held: readonly Held[];
}

/** Plans every cluster's ranges; throws a SpecError listing every problem. */
export function planAddresses(spec: FleetSpec): AddressPlan {
  const { plan, issues } = analyse(spec);
  if (issues.length > 0) {
    throw new SpecError(issues);
  }
  if (plan === undefined) {
    throw new Error("planAddresses: a cluster could not be planned although no problem was found");
  }
  return plan;
}

/** Every address problem of the spec; empty means `planAddresses` succeeds. */
export function checkAddresses(spec: FleetSpec): Issue[] {
  return analyse(spec).issues;
}

/** The node ranges of every cluster but `cluster` (peers' private addresses, e.g. for firewall sources). */
export function peerNodeRanges(plan: AddressPlan, cluster: string): string[] {
  return plan.clusters.filter((c) => c.cluster !== cluster).map((c) => c.nodes);
}

function analyse(spec: FleetSpec): { plan?: AddressPlan; issues: Issue[] } {
  const issues: Issue[] = [];
  const space = checkSpace(spec.addressSpace, issues);
  const slotCount = space === undefined ? 0 : cidr.blockCount(space, SLOT_PREFIX);
  const ctx: Context = {
    space,
    slotCount,
    freeSlot: findFreeSlot(spec, space, slotCount),
    podsApart: interconnectOf(spec.mesh).podsApartFromNodes,
  };
  const results = spec.clusters.map((c, i) => planCluster(c, `clusters[${i}]`, ctx, issues));
  issues.push(
    ...checkBetweenClusters(
      spec,
      results.map((r) => r.held),
      ctx.freeSlot,
    ),
  );
  const sorted = byPath(issues);
  const addresses = results.map((r) => r.addresses);
  if (sorted.length > 0 || space === undefined || addresses.some((a) => a === undefined)) {
    return { issues: sorted };
  }
  return { plan: { space, slotPrefix: SLOT_PREFIX, clusters: addresses as ClusterAddresses[] }, issues: [] };
}

/** The address space must be aligned, private and hold at least one slot. */
function checkSpace(space: string, issues: Issue[]): string | undefined {
  const before = issues.length;
  if (!cidr.isAligned(space)) {
    issues.push(hostBitsIssue("addressSpace", space));
  } else if (!cidr.isRfc1918(space)) {
    issues.push({
      path: "addressSpace",
      message: "the address space is not private (RFC 1918)",
      fix: `use a block inside ${cidr.RFC1918.join(", ")}, e.g. 10.0.0.0/8`,
      value: space,
    });
  } else if (cidr.prefixOf(space) > SLOT_PREFIX) {
    issues.push({
      path: "addressSpace",
      message: `the address space is smaller than one slot (/${SLOT_PREFIX})`,
      fix: `use a /${SLOT_PREFIX} or larger block, e.g. 10.0.0.0/8`,
      value: space,
    });
  }
  return issues.length === before ? space : undefined;
}

function findFreeSlot(spec: FleetSpec, space: string | undefined, slotCount: number): number | undefined {
  if (space === undefined) {
    return undefined;
  }
  const used = new Set([...spec.clusters, ...spec.retiredSlots].map((c) => c.slot));
  const chosen = spec.clusters
    .flatMap((c) => ROLES.map((role) => c.cidrs[role]))
    .filter((r): r is string => r !== undefined && cidr.isAligned(r));
  for (let slot = 0; slot < slotCount; slot++) {
    const block = cidr.subBlock(space, SLOT_PREFIX, slot);
    if (!used.has(slot) && block !== undefined && !chosen.some((r) => cidr.overlaps(r, block))) {
      return slot;
    }
  }
  return undefined;
}

function planCluster(c: ClusterSpec, at: string, ctx: Context, issues: Issue[]): ClusterResult {
  const block = slotBlock(c, at, ctx, issues);
  const chosen = readOverrides(c, at, issues);
  return LAYOUT_PLANNERS[CLOUD_TRAITS[c.cloud].addressLayout](c, at, block, chosen, issues, ctx.podsApart);
}

/** The cluster's slot block, or undefined (reported) when the slot lies outside the space. */
function slotBlock(c: ClusterSpec, at: string, ctx: Context, issues: Issue[]): string | undefined {
  if (ctx.space === undefined) {
    return undefined;
  }
  const block = cidr.subBlock(ctx.space, SLOT_PREFIX, c.slot);
  if (block === undefined) {
    const last = ctx.slotCount - 1;
    issues.push({
      path: `${at}.slot`,
      message: `slot is outside the address space ${ctx.space}, which holds ${ctx.slotCount === 1 ? "only slot 0" : `${ctx.slotCount} slots (0–${last})`}`,
      fix:
        ctx.freeSlot === undefined
          ? "no slot of the space is free: remove a cluster or an override, or use a larger addressSpace starting at the same address"
          : `use a free slot from 0 to ${last}, e.g. ${ctx.freeSlot}`,
      value: c.slot,
    });
  }
  return block;
}

/** The usable (aligned, and for cloud clusters private) overrides; each unusable one is reported. */
function readOverrides(c: ClusterSpec, at: string, issues: Issue[]): Partial<Record<Role, string>> {
  const usable: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    const value = c.cidrs[role];
    if (value === undefined) {
      continue;
    }
    const path = `${at}.cidrs.${role}`;
    if (!cidr.isAligned(value)) {
      issues.push(hostBitsIssue(path, value));
      continue;
    }
    if (CLOUD_TRAITS[c.cloud].privateRangesOnly && !cidr.isRfc1918(value)) {
      issues.push({
        path,
        message: `the ${role} range is not private (RFC 1918)`,
        fix: `use a range inside ${cidr.RFC1918.join(", ")}, or remove it to use the range planned from slot ${c.slot}`,
        value,
      });
      continue;
    }
    usable[role] = value;
  }
  if (!CLOUD_TRAITS[c.cloud].controlPlaneRange && c.cidrs.controlPlane !== undefined) {
    issues.push({
      path: `${at}.cidrs.controlPlane`,
      message: "only GKE clusters have a control-plane range",
      fix: `remove ${at}.cidrs.controlPlane`,
      value: c.cidrs.controlPlane,
    });
    delete usable.controlPlane;
  }
  return usable;
}

function planGcp(
  c: ClusterSpec,
  at: string,
  block: string | undefined,
  chosen: Partial<Record<Role, string>>,
  issues: Issue[],
): ClusterResult {
  const layout = SLOT_LAYOUT.gcp;
  const nodes = pick("nodes", chosen.nodes, c.cidrs.nodes, block, layout.nodes);
  const pods = pick("pods", chosen.pods, c.cidrs.pods, block, layout.pods);
  const services = pick("services", chosen.services, c.cidrs.services, block, layout.services);
  const controlPlane = pick("controlPlane", chosen.controlPlane, c.cidrs.controlPlane, block, layout.controlPlane);
  issues.push(...checkGkeSizes(c, at, { nodes, pods, services, controlPlane }));
  const held = [nodes, pods, services, controlPlane].filter((h): h is Held => h !== undefined);
  issues.push(...checkWithinCluster(at, c.slot, held));
  if (nodes === undefined || pods === undefined || services === undefined || controlPlane === undefined) {
    return { held };
  }
  const addresses: ClusterAddresses = {
    cluster: c.name,
    cloud: c.cloud,
    slot: c.slot,
    nodes: nodes.cidr,
    pods: pods.cidr,
    services: services.cidr,
    controlPlane: controlPlane.cidr,
    subnets: [],
  };
  return { addresses, held };
}

function planExisting(
  c: ClusterSpec,
  at: string,
  chosen: Partial<Record<Role, string>>,
  issues: Issue[],
): ClusterResult {
  const held: Held[] = [];
  for (const role of ["nodes", "pods", "services"] as const) {
    const value = chosen[role];
    if (value !== undefined) {
      held.push({ role, cidr: value, origin: "declared" });
    } else if (c.cidrs[role] === undefined) {
      issues.push({
        path: `${at}.cidrs.${role}`,
        message: `an existing cluster must declare its ${role} range`,
        fix: `set ${at}.cidrs.${role} to the range the cluster already uses`,
        value: undefined,
      });
    }
  }
  issues.push(...checkWithinCluster(at, c.slot, held));
  const [nodes, pods, services] = [chosen.nodes, chosen.pods, chosen.services];
  if (nodes === undefined || pods === undefined || services === undefined) {
    return { held };
  }
  return { addresses: { cluster: c.name, cloud: c.cloud, slot: c.slot, nodes, pods, services, subnets: [] }, held };
}
function hostBitsIssue(path: string, value: string): Issue {
  return { path, message: "host bits are set", fix: `write the block as ${cidr.canonical(value)}`, value };
}

/** Orders issues by config path (clusters[2] before clusters[10]), keeping the order within one path. */
function byPath(issues: readonly Issue[]): Issue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => a.issue.path.localeCompare(b.issue.path, "en", { numeric: true }) || a.index - b.index)
    .map((x) => x.issue);
}

type LayoutPlanner = (
  c: ClusterSpec,
  at: string,
  block: string | undefined,
  chosen: Partial<Record<Role, string>>,
  issues: Issue[],
  podsApart: boolean,
) => ClusterResult;

/** One planner per address layout (plan/cloud `addressLayout`). */
const LAYOUT_PLANNERS: { readonly [L in CloudTraits<Cloud>["addressLayout"]]: LayoutPlanner } = {
  "vpc-subnets": planAws,
  "secondary-ranges": planGcp,
  declared: (c, at, _block, chosen, issues, podsApart) => {
    if (
      podsApart &&
      chosen.pods !== undefined &&
      chosen.nodes !== undefined &&
      cidr.overlaps(chosen.pods, chosen.nodes)
    ) {
      issues.push({
        path: `${at}.cidrs.pods`,
        message: `the pod network overlaps the node network ${chosen.nodes}, but the interconnect needs node addresses outside the pod ranges`,
        fix: "join a cluster whose pods take addresses apart from its nodes (e.g. an overlay CNI or VPC CNI custom networking)",
        value: chosen.pods,
      });
    }
    return planExisting(c, at, chosen, issues);
  },
};
