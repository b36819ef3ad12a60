/**
 * What each cloud actually allows a cluster's nodes: its machine-type naming, the Kubernetes versions it offers
 * (./kubernetes-versions.ts), node counts per node group and disk sizes. Each limit names its source.
 */
import type { Issue } from "../issues";
import { STANDARD_SUPPORT_VERSIONS } from "./kubernetes-versions";

export interface NodeLimits {
  readonly title: string;
  /** What the cloud calls a machine type, and one for the fix. */
  readonly machineType: string;
  readonly exampleMachineType: string;
  readonly machineTypeShape: RegExp;
  /** The most nodes `maxPerZone × zones` (EKS: one managed node group) or `maxPerZone` (GKE: per pool per zone) may be. */
  readonly maxNodes: number;
  readonly maxNodesWhy: string;
  readonly diskGiB: { readonly min: number; readonly max: number; readonly why: string };
}

/** EC2 instance types, `<family>.<size>`: m6i.large, c7gn.16xlarge, mac2-m2pro.metal, u-6tb1.56xlarge. */
const AWS_INSTANCE_TYPE =
  /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)$/;
/** Compute Engine machine types, `<series>-<type>[-<vCPUs>][-<suffix>]`: e2-standard-4, n2-custom-4-16384. */
const GCP_MACHINE_TYPE = /^[a-z][a-z0-9]*-[a-z0-9]+(-[a-z0-9]+)*$/;

export const NODE_LIMITS: Readonly<Record<"aws" | "gcp", NodeLimits>> = {
  aws: {
    title: "AWS",
    machineType: "an EC2 instance type",
    exampleMachineType: "m6i.large",
    machineTypeShape: AWS_INSTANCE_TYPE,
    // EKS service quota "Nodes per managed node group" (L-BD136A63), https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html
    maxNodes: 450,
    maxNodesWhy: "EKS allows 450 nodes per managed node group (the adjustable quota L-BD136A63)",
    // 20 GiB: EKS's default and its node images' root volume; 65,536 GiB (64 TiB): the gp3 maximum.
    diskGiB: { min: 20, max: 65536, why: "EKS node disks are 20 GiB (the node image) to 64 TiB (gp3)" },
  },
  gcp: {
    title: "GCP",
    machineType: "a Compute Engine machine type",
    exampleMachineType: "e2-standard-4",
    machineTypeShape: GCP_MACHINE_TYPE,
    // "Nodes per node pool zone: 1,000", https://cloud.google.com/kubernetes-engine/quotas
    maxNodes: 1000,
    maxNodesWhy: "GKE allows 1,000 nodes per node pool per zone",
    // "The smallest allowed disk size is 10GB" (GKE node config); 65,536 GiB (64 TiB): the largest persistent disk.
    diskGiB: { min: 10, max: 65536, why: "GKE boot disks are 10 GB to 64 TiB" },
  },
};

export interface LimitedCluster {
  readonly cloud: "aws" | "gcp";
  readonly zones: readonly string[];
  readonly kubernetesVersion: string;
  readonly nodes: { readonly instanceType: string; readonly maxPerZone: number; readonly diskSizeGiB: number };
  readonly gcp?: { readonly releaseChannel: keyof (typeof STANDARD_SUPPORT_VERSIONS)["gcp"] };
}

/** The other cloud of an AWS or GCP cluster, for "belongs to the other cloud". */
const OTHER: Record<"aws" | "gcp", "aws" | "gcp"> = { aws: "gcp", gcp: "aws" };

/** Machine type naming, Kubernetes version, node count and disk size of one cluster at config path `at`. */
export function checkNodeLimits(c: LimitedCluster, at: string): Issue[] {
  const limits = NODE_LIMITS[c.cloud];
  const issues: Issue[] = [];
  const type = c.nodes.instanceType;
  if (!limits.machineTypeShape.test(type)) {
    const other = NODE_LIMITS[OTHER[c.cloud]];
    const belongsToOther = other.machineTypeShape.test(type);
    issues.push({
      path: `${at}.nodes.instanceType`,
      message: belongsToOther ? `is ${other.machineType}, not ${limits.machineType}` : `is not ${limits.machineType}`,
      fix: `use ${limits.machineType} such as ${limits.exampleMachineType}`,
      value: type,
    });
  }
  const channel = c.cloud === "gcp" ? (c.gcp?.releaseChannel ?? "REGULAR") : "standard";
  const offered: readonly string[] =
    c.cloud === "gcp"
      ? STANDARD_SUPPORT_VERSIONS.gcp[channel as keyof (typeof STANDARD_SUPPORT_VERSIONS)["gcp"]]
      : STANDARD_SUPPORT_VERSIONS.aws.standard;
  if (!offered.includes(c.kubernetesVersion)) {
    const where = c.cloud === "gcp" ? `GKE's ${channel} channel` : "EKS standard support";
    issues.push({
      path: `${at}.kubernetesVersion`,
      message: `${where} does not offer this version (table of 2026-11-29)`,
      fix: `use one of: ${offered.join(", ")}`,
      value: c.kubernetesVersion,
    });
  }
  const nodes = c.cloud === "aws" ? c.nodes.maxPerZone * c.zones.length : c.nodes.maxPerZone;
  if (nodes > limits.maxNodes) {
    const perZone = c.cloud === "aws" ? Math.floor(limits.maxNodes / c.zones.length) : limits.maxNodes;
    issues.push({
      path: `${at}.nodes.maxPerZone`,
      message:
        c.cloud === "aws"
          ? `makes ${nodes} nodes in one node group over ${c.zones.length} zones; ${limits.maxNodesWhy}`
          : `is above ${limits.maxNodes}; ${limits.maxNodesWhy}`,
      fix: `use ${perZone} or fewer, or split the nodes over more clusters`,
      value: c.nodes.maxPerZone,
    });
  }
  const disk = limits.diskGiB;
  if (c.nodes.diskSizeGiB < disk.min || c.nodes.diskSizeGiB > disk.max) {
    issues.push({
      path: `${at}.nodes.diskSizeGiB`,
      message: `is outside ${disk.min}–${disk.max} GiB; ${disk.why}`,
      fix: `use a size from ${disk.min} to ${disk.max}`,
      value: c.nodes.diskSizeGiB,
    });
  }
  return issues;
}
