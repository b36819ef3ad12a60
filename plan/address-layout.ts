/**
 * Where planned ranges sit inside a slot block, and the size limits each cloud puts on ranges (see ./addresses.ts
 * for the layout table and the reasoning).
 */
import { type Held, pathOf, type Role } from "./address-overlaps";
import * as cidr from "./cidr";
import type { Issue } from "./issues";
import type { ClusterSpec } from "./spec";

/** The prefix length of one slot's block inside the address space. */
export const SLOT_PREFIX = 16;

/** A block inside a parent: the `index`-th block of length `prefix`. */
export interface Block {
  readonly prefix: number;
  readonly index: number;
}

/** Where each planned range sits inside a slot block (the table in ./addresses.ts). Never change: ranges would move. */
export const SLOT_LAYOUT = {
  aws: {
    vpc: { prefix: 17, index: 0 },
    services: { prefix: 20, index: 8 },
  },
  gcp: {
    nodes: { prefix: 20, index: 0 },
    services: { prefix: 20, index: 1 },
    controlPlane: { prefix: 28, index: 512 },
    pods: { prefix: 17, index: 1 },
  },
} as const satisfies Record<string, Record<string, Block>>;

/**
 * EKS pods apart from nodes (an interconnect that requires it, e.g. Submariner): the slot's /18 of the CG-NAT block
 * 100.64.0.0/10, which AWS's EKS best practices recommend for VPC CNI custom networking (a /10 holds 256 /18s, as many
 * as a /8 address space holds slots), associated with the VPC as a secondary range; one pod subnet per zone letter k,
 * a /(p+3) at index k (a /21, 2048 pods, for the planned /18).
 */
export const EKS_POD_SPACE = "100.64.0.0/10";
export const EKS_POD_BLOCK_PREFIX = 18;
export const POD_SUBNET_BITS = 3;
/** A VPC secondary range is /16–/28; its pod subnets, PODS_SUBNET_BITS longer, must still be /28 or larger. */
const EKS_POD_RANGE_PREFIX = { min: 16, max: 28 - POD_SUBNET_BITS } as const;

/** The EKS pod range (apart from nodes) must be a valid VPC secondary range holding a pod subnet per zone letter. */
export function checkEksPodRange(path: string, pods: string): Issue | undefined {
  const prefix = cidr.prefixOf(pods);
  if (prefix < EKS_POD_RANGE_PREFIX.min || prefix > EKS_POD_RANGE_PREFIX.max) {
    return {
      path,
      message: `an EKS pod range (a VPC secondary range with a pod subnet per zone letter a–g) must be between /${EKS_POD_RANGE_PREFIX.min} and /${EKS_POD_RANGE_PREFIX.max}`,
      fix: `use a /${EKS_POD_RANGE_PREFIX.min} to /${EKS_POD_RANGE_PREFIX.max} block (the planned one is a /${EKS_POD_BLOCK_PREFIX} of ${EKS_POD_SPACE})`,
      value: pods,
    };
  }
  return undefined;
}

/** Subnets relative to a VPC of prefix p: private /(p+3) at index k, public /(p+7) at index 112+k. */
export const PRIVATE_SUBNET_BITS = 3;
export const PUBLIC_SUBNET_BITS = 7;
export const PUBLIC_SUBNET_FIRST_INDEX = 112;
/** Zone letters the subnet layout has room for: a–g. */
export const MAX_ZONE_LETTERS = 7;
/** The largest VPC prefix the subnet layout fits in (its public subnets are then /28, AWS's smallest). */
export const SMALLEST_LAYOUT_VPC = 21;

/** AWS VPC CIDR limits. */
const VPC_PREFIX = { min: 16, max: 28 } as const;
/** EKS kubernetesNetworkConfig.serviceIpv4Cidr limits. */
const EKS_SERVICES_PREFIX = { min: 12, max: 24 } as const;
/** GKE: smallest services range, the control plane's fixed size, addresses GCP reserves in every subnet range. */
const GKE_SERVICES_MAX_PREFIX = 27;
const GKE_CONTROL_PLANE_PREFIX = 28;
const GCP_RESERVED_PER_SUBNET = 4n;
/** GKE never gives a node a pod block smaller than a /28. */
const GKE_MIN_POD_BLOCK = 16n;

/** An AWS VPC is /16–/28; the subnet layout needs a /21 or larger. */
export function checkVpcSize(path: string, vpc: string): Issue | undefined {
  const prefix = cidr.prefixOf(vpc);
  if (prefix < VPC_PREFIX.min || prefix > VPC_PREFIX.max) {
    return {
      path,
      message: `a VPC must be between /${VPC_PREFIX.min} and /${VPC_PREFIX.max}`,
      fix: `use a /${VPC_PREFIX.min} to /${SMALLEST_LAYOUT_VPC} block (the planned VPC is a /${SLOT_LAYOUT.aws.vpc.prefix})`,
      value: vpc,
    };
  }
  if (prefix > SMALLEST_LAYOUT_VPC) {
    return {
      path,
      message: `the VPC is too small for a private and a public subnet per zone letter a–g (it needs a /${SMALLEST_LAYOUT_VPC} or larger)`,
      fix: `use a /${VPC_PREFIX.min} to /${SMALLEST_LAYOUT_VPC} block (the planned VPC is a /${SLOT_LAYOUT.aws.vpc.prefix})`,
      value: vpc,
    };
  }
  return undefined;
}

/** EKS takes a service range from /12 to /24 (RFC 1918 and outside the VPC are checked with the other ranges). */
export function checkEksServices(at: string, services: Held, issues: Issue[]): void {
  const prefix = cidr.prefixOf(services.cidr);
  if (prefix < EKS_SERVICES_PREFIX.min || prefix > EKS_SERVICES_PREFIX.max) {
    issues.push({
      path: pathOf(at, services),
      message: `an EKS service range must be between /${EKS_SERVICES_PREFIX.min} and /${EKS_SERVICES_PREFIX.max}`,
      fix: `use a /${EKS_SERVICES_PREFIX.min} to /${EKS_SERVICES_PREFIX.max} block, e.g. a /20`,
      value: services.cidr,
    });
  }
}

/** GKE ranges must hold `maxPerZone × zones` nodes, a pod block per node, a /27 of services; the control plane is a /28. */
export function checkGkeSizes(c: ClusterSpec, at: string, r: Partial<Record<Role, Held>>): Issue[] {
  const issues: Issue[] = [];
  const nodeCount = c.nodes.maxPerZone * c.zones.length;
  const need = `nodes.maxPerZone × zones = ${c.nodes.maxPerZone} × ${c.zones.length} = ${nodeCount}`;
  const sizeIssue = (role: Role, held: Held, message: string, wanted: number): Issue => ({
    path: held.origin === "planned" ? `${at}.nodes.maxPerZone` : pathOf(at, held),
    message,
    fix: `set ${at}.cidrs.${role} to a /${wanted} or larger, or lower ${at}.nodes.maxPerZone${role === "pods" ? " or nodes.maxPodsPerNode" : ""}`,
    value: held.origin === "planned" ? c.nodes.maxPerZone : held.cidr,
  });
  if (r.nodes !== undefined) {
    const capacity = cidr.sizeOf(r.nodes.cidr) - GCP_RESERVED_PER_SUBNET;
    if (capacity < BigInt(nodeCount)) {
      const wanted = cidr.prefixHolding(BigInt(nodeCount) + GCP_RESERVED_PER_SUBNET);
      const message = `the nodes range ${r.nodes.cidr} holds ${capacity < 0n ? 0n : capacity} nodes (GCP reserves 4 addresses), fewer than ${need}`;
      issues.push(sizeIssue("nodes", r.nodes, message, wanted));
    }
  }
  if (r.pods !== undefined) {
    const wantedPerNode = BigInt(2 * c.nodes.maxPodsPerNode);
    const perNode = cidr.sizeOfPrefix(
      cidr.prefixHolding(wantedPerNode > GKE_MIN_POD_BLOCK ? wantedPerNode : GKE_MIN_POD_BLOCK),
    );
    const capacity = cidr.sizeOf(r.pods.cidr) / perNode;
    if (capacity < BigInt(nodeCount)) {
      const wanted = cidr.prefixHolding(BigInt(nodeCount) * perNode);
      const blockPrefix = cidr.prefixHolding(perNode);
      const message =
        `the pods range ${r.pods.cidr} holds ${capacity} nodes with ${c.nodes.maxPodsPerNode} pods each ` +
        `(a /${blockPrefix} per node), fewer than ${need}`;
      issues.push(sizeIssue("pods", r.pods, message, wanted));
    }
  }
  if (r.services !== undefined && cidr.prefixOf(r.services.cidr) > GKE_SERVICES_MAX_PREFIX) {
    issues.push({
      path: pathOf(at, r.services),
      message: `a GKE services range must be a /${GKE_SERVICES_MAX_PREFIX} or larger`,
      fix: `use a /${GKE_SERVICES_MAX_PREFIX} or larger block (the planned one is a /${SLOT_LAYOUT.gcp.services.prefix})`,
      value: r.services.cidr,
    });
  }
  if (r.controlPlane !== undefined && cidr.prefixOf(r.controlPlane.cidr) !== GKE_CONTROL_PLANE_PREFIX) {
    issues.push({
      path: pathOf(at, r.controlPlane),
      message: `a GKE control-plane range must be a /${GKE_CONTROL_PLANE_PREFIX}`,
      fix: `use a /${GKE_CONTROL_PLANE_PREFIX} block, or remove it to use the range planned from slot ${c.slot}`,
      value: r.controlPlane.cidr,
    });
  }
  return issues;
}

/** The override when one is set (undefined when it was unusable), otherwise the slot's planned block. */
export function pick(
  role: Role,
  usable: string | undefined,
  raw: string | undefined,
  block: string | undefined,
  where: Block,
): Held | undefined {
  if (raw !== undefined) {
    return usable === undefined ? undefined : { role, cidr: usable, origin: "override" };
  }
  const planned = block === undefined ? undefined : cidr.subBlock(block, where.prefix, where.index);
  return planned === undefined ? undefined : { role, cidr: planned, origin: "planned" };
}
