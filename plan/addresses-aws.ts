/**
 * The EKS part of the address plan (./addresses.ts): a VPC with a private and a public subnet per zone letter, the
 * service range, and, when the interconnect needs pods apart from nodes, a pod range with a pod subnet per zone.
 */
import type { ClusterAddresses, SubnetPlan } from "./addresses-types";
import type { ClusterResult } from "./addresses";
import {
  checkEksPodRange,
  checkEksServices,
  checkVpcSize,
  EKS_POD_BLOCK_PREFIX,
  EKS_POD_SPACE,
  MAX_ZONE_LETTERS,
  pick,
  POD_SUBNET_BITS,
  PRIVATE_SUBNET_BITS,
  PUBLIC_SUBNET_BITS,
  PUBLIC_SUBNET_FIRST_INDEX,
  SLOT_LAYOUT,
} from "./address-layout";
import { checkWithinCluster, type Held, pathOf, type Role } from "./address-overlaps";
import * as cidr from "./cidr";
import type { Issue } from "./issues";
import type { ClusterSpec } from "./spec";

export function planAws(
  c: ClusterSpec,
  at: string,
  block: string | undefined,
  chosen: Partial<Record<Role, string>>,
  issues: Issue[],
  podsApart: boolean,
): ClusterResult {
  const layout = SLOT_LAYOUT.aws;
  const vpc = pick("nodes", chosen.nodes, c.cidrs.nodes, block, layout.vpc);
  const services = pick("services", chosen.services, c.cidrs.services, block, layout.services);
  if (podsApart) {
    return planAwsPodsApart(c, at, { vpc, services, chosenPods: chosen.pods }, issues);
  }
  if (chosen.pods !== undefined && vpc !== undefined && chosen.pods !== vpc.cidr) {
    issues.push({
      path: `${at}.cidrs.pods`,
      message: "EKS pods take addresses from the VPC (VPC CNI), so the pods range is the VPC range",
      fix: `remove ${at}.cidrs.pods (set ${at}.cidrs.nodes to choose the VPC)`,
      value: c.cidrs.pods,
    });
  }
  const subnets = vpc === undefined ? undefined : planSubnets(c, at, vpc, issues);
  if (services !== undefined) {
    checkEksServices(at, services, issues);
  }
  const held = [vpc, services].filter((h): h is Held => h !== undefined);
  issues.push(...checkWithinCluster(at, c.slot, held));
  if (vpc === undefined || services === undefined || subnets === undefined) {
    return { held };
  }
  const addresses: ClusterAddresses = {
    cluster: c.name,
    cloud: c.cloud,
    slot: c.slot,
    nodes: vpc.cidr,
    pods: vpc.cidr,
    services: services.cidr,
    subnets,
  };
  return { addresses, held };
}

/** EKS with pods apart from nodes: the VPC and services as usual, plus the pod range and a pod subnet per zone. */
function planAwsPodsApart(
  c: ClusterSpec,
  at: string,
  r: { vpc: Held | undefined; services: Held | undefined; chosenPods: string | undefined },
  issues: Issue[],
): ClusterResult {
  const { vpc, services } = r;
  const planned = cidr.subBlock(EKS_POD_SPACE, EKS_POD_BLOCK_PREFIX, c.slot);
  const pods: Held | undefined =
    c.cidrs.pods !== undefined
      ? r.chosenPods === undefined
        ? undefined
        : { role: "pods", cidr: r.chosenPods, origin: "override" }
      : planned === undefined
        ? undefined
        : { role: "pods", cidr: planned, origin: "planned" };
  const podIssue = pods === undefined ? undefined : checkEksPodRange(pathOf(at, pods), pods.cidr);
  if (podIssue !== undefined) {
    issues.push(podIssue);
  }
  const subnets = vpc === undefined ? undefined : planSubnets(c, at, vpc, issues);
  if (services !== undefined) {
    checkEksServices(at, services, issues);
  }
  const held = [vpc, pods, services].filter((h): h is Held => h !== undefined);
  issues.push(...checkWithinCluster(at, c.slot, held));
  if (vpc === undefined || pods === undefined || services === undefined || subnets === undefined || podIssue) {
    return { held };
  }
  const podSubnet = (zone: string): SubnetPlan => {
    const k = zoneLetterIndex(zone) as number; // planSubnets has checked every zone letter
    const subnet = cidr.subBlock(pods.cidr, cidr.prefixOf(pods.cidr) + POD_SUBNET_BITS, k) as string;
    return { zone, tier: "pods", cidr: subnet };
  };
  const addresses: ClusterAddresses = {
    cluster: c.name,
    cloud: c.cloud,
    slot: c.slot,
    nodes: vpc.cidr,
    pods: pods.cidr,
    services: services.cidr,
    subnets: c.zones.flatMap((zone) => [...subnets.filter((s) => s.zone === zone), podSubnet(zone)]),
  };
  return { addresses, held };
}

/** A private and a public subnet per zone, keyed by zone letter; undefined when the VPC cannot hold the layout. */
function planSubnets(c: ClusterSpec, at: string, vpc: Held, issues: Issue[]): SubnetPlan[] | undefined {
  const prefix = cidr.prefixOf(vpc.cidr);
  const path = pathOf(at, vpc);
  const sizeIssue = checkVpcSize(path, vpc.cidr);
  if (sizeIssue !== undefined) {
    issues.push(sizeIssue);
    return undefined;
  }
  const subnets: SubnetPlan[] = [];
  c.zones.forEach((zone, z) => {
    const k = zoneLetterIndex(zone);
    if (k === undefined) {
      issues.push({
        path: `${at}.zones[${z}]`,
        message: "the zone name does not end in a zone letter",
        fix: `write a zone of ${c.region} such as ${c.region}a`,
        value: zone,
      });
      return;
    }
    const priv = cidr.subBlock(vpc.cidr, prefix + PRIVATE_SUBNET_BITS, k);
    const pub = cidr.subBlock(vpc.cidr, prefix + PUBLIC_SUBNET_BITS, PUBLIC_SUBNET_FIRST_INDEX + k);
    if (k >= MAX_ZONE_LETTERS || priv === undefined || pub === undefined) {
      issues.push({
        path: `${at}.zones[${z}]`,
        message: `zone letter ${zone.slice(-1)} is beyond the subnet layout, which keys subnets by zone letter and has room for a–g`,
        fix: "use zones a–g of the region (there is no per-subnet override)",
        value: zone,
      });
      return;
    }
    subnets.push({ zone, tier: "private", cidr: priv }, { zone, tier: "public", cidr: pub });
  });
  return subnets.length === 2 * c.zones.length ? subnets : undefined;
}

/** us-east-1a → 0, us-east-1b → 1, …; undefined when the zone does not end in a letter. */
function zoneLetterIndex(zone: string): number | undefined {
  const letter = zone.slice(-1);
  return /^[a-z]$/.test(letter) ? letter.charCodeAt(0) - "a".charCodeAt(0) : undefined;
}
