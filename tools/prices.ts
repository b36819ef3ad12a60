/**
 * The price table behind the plan summary's cost estimate, and how the fixed-price parts are counted from the
 * recorded resources.
 *
 * Only parts billed per hour simply for existing are estimated: control planes, load balancers, NAT gateways and
 * public IPv4 addresses. Everything usage-based (NLB capacity units, NAT data processing, data transfer) and the
 * nodes themselves are excluded, and the summary says so.
 *
 * Prices are list prices in US dollars for us-east-1 (AWS) and us-central1 (GCP), checked on PRICES_CHECKED_ON
 * against the pages in each entry's `source`. Other regions cost the same or up to about a third more. Update the
 * date and the entries together. Amounts are kept in millionths of a dollar, so the arithmetic is exact.
 */
import { CLOUD_TRAITS } from "../plan/cloud";
import type { Cloud } from "../plan/spec";
import type { RecordedResource } from "./mock-runtime";

/** When the prices below were last checked against their sources (YYYY-MM-DD). */
export const PRICES_CHECKED_ON = "2026-11-21";

/** The month the estimate is for: 730 hours (8,760 / 12), as the providers' own calculators use. */
export const HOURS_PER_MONTH = 730;

/** One millionth of a dollar. */
const MICRO = 1_000_000;

export type FixedPartKind =
  | "eks-control-plane"
  | "gke-cluster-fee"
  | "aws-nlb"
  | "gcp-forwarding-rule"
  | "aws-nat-gateway"
  | "gcp-cloud-nat"
  | "public-ipv4";

export interface Price {
  readonly label: string;
  /** Millionths of a dollar per unit-hour. */
  readonly microUsdPerHour: number;
  /** What one unit is. */
  readonly unit: string;
  /** What the estimate leaves out for this part (usage-based charges, credits) and what the price assumes. */
  readonly note: string;
  readonly source: string;
}

/** Cloud NAT bills per VM served, up to 32 VMs; above that a flat rate per gateway. */
export const CLOUD_NAT_VM_CAP = 32;
export const CLOUD_NAT_MICRO_USD_ABOVE_CAP = 44_000;

export const PRICES: Readonly<Record<FixedPartKind, Price>> = {
  "eks-control-plane": {
    label: "EKS control plane",
    microUsdPerHour: 100_000,
    unit: "cluster",
    note: "Kubernetes versions in extended support cost $0.60/h per cluster instead",
    source: "https://aws.amazon.com/eks/pricing/",
  },
  "gke-cluster-fee": {
    label: "GKE cluster management fee",
    microUsdPerHour: 100_000,
    unit: "cluster",
    note: "the GKE free tier ($74.40 of credit a month per billing account) covers zonal and Autopilot clusters only, not regional ones, and is not subtracted",
    source: "https://cloud.google.com/kubernetes-engine/pricing",
  },
  "aws-nlb": {
    label: "AWS Network Load Balancer",
    microUsdPerHour: 22_500,
    unit: "load balancer",
    note: "NLB capacity units ($0.006 per NLCU-hour) are usage-based and excluded",
    source: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  },
  "gcp-forwarding-rule": {
    label: "GCP load balancer forwarding rule",
    microUsdPerHour: 25_000,
    unit: "forwarding rule",
    note: "the price of each of the first 5 rules per project and region (further rules cost $0.01/h); data processed by the load balancer is usage-based and excluded",
    source: "https://cloud.google.com/load-balancing/pricing",
  },
  "aws-nat-gateway": {
    label: "AWS NAT gateway",
    microUsdPerHour: 45_000,
    unit: "gateway",
    note: "data processing ($0.045 per GB) is usage-based and excluded",
    source: "https://aws.amazon.com/vpc/pricing/",
  },
  "gcp-cloud-nat": {
    label: "GCP Cloud NAT gateway",
    microUsdPerHour: 1_400,
    unit: "VM served",
    note: "data processing ($0.045 per GiB) is usage-based and excluded; above 32 VMs a gateway costs a flat $0.044/h",
    source: "https://cloud.google.com/nat/pricing",
  },
  "public-ipv4": {
    label: "Public IPv4 address (Elastic IP, GCP static address)",
    microUsdPerHour: 5_000,
    unit: "address",
    note: "addresses the clouds assign by themselves (internet-facing NLBs, nodes, auto-allocated Cloud NAT IPs) are excluded",
    source: "https://aws.amazon.com/vpc/pricing/ and https://cloud.google.com/vpc/network-pricing",
  },
};

/** Where a resource lives, as the summary knows it. */
export interface Placement {
  readonly cluster?: string;
  readonly cloud?: Cloud;
  /** The cluster's zones (GKE node pools without explicit node locations run in every one of them). */
  readonly zones?: readonly string[];
}

/** One priced part found among the recorded resources. */
export interface FixedPart {
  readonly kind: FixedPartKind;
  readonly urn: string;
  /** Units of the price: 1, or for Cloud NAT the number of VMs the gateway serves. */
  readonly quantity: number;
}

const AWS_LB_TYPE = "service.beta.kubernetes.io/aws-load-balancer-type";

function record(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function count(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** A Kubernetes LoadBalancer Service (or the Istio gateway chart's) becomes an NLB on AWS, a forwarding rule on GCP. */
function cloudLoadBalancer(
  serviceType: unknown,
  annotations: Record<string, unknown>,
  cloud: Cloud | undefined,
): FixedPartKind | undefined {
  if (serviceType !== "LoadBalancer") {
    return undefined;
  }
  if (AWS_LB_TYPE in annotations) {
    return "aws-nlb";
  }
  return cloud === undefined ? undefined : CLOUD_TRAITS[cloud].loadBalancerPriceKey;
}

/** The Istio `gateway` chart creates a LoadBalancer Service unless its values say otherwise. */
function isGatewayChart(chart: unknown): boolean {
  return typeof chart === "string" && /(^|\/)gateway$/.test(chart);
}

/** VMs a GKE node pool (or a cluster's default pool) starts: per-zone count × zones. */
function gkeNodes(inputs: Record<string, unknown>, zones: readonly string[] | undefined): number {
  const autoscaling = record(inputs["autoscaling"]);
  const total = count(autoscaling["totalMinNodeCount"]);
  if (total !== undefined) {
    return total;
  }
  const perZone =
    count(inputs["nodeCount"]) ?? count(inputs["initialNodeCount"]) ?? count(autoscaling["minNodeCount"]) ?? 1;
  const locations = inputs["nodeLocations"];
  const zoneCount =
    Array.isArray(locations) && locations.length > 0 ? locations.length : Math.max(zones?.length ?? 1, 1);
  return perZone * zoneCount;
}

/** The priced part one resource stands for, if any (Cloud NAT needs the node counts, see `countFixedParts`). */
function partOf(r: RecordedResource, where: Placement): FixedPartKind | undefined {
  const inputs = r.inputs;
  switch (r.type) {
    case "aws:eks/cluster:Cluster":
      return "eks-control-plane";
    case "gcp:container/cluster:Cluster":
      return "gke-cluster-fee";
    case "aws:lb/loadBalancer:LoadBalancer":
    case "aws:alb/loadBalancer:LoadBalancer":
      return inputs["loadBalancerType"] === "network" ? "aws-nlb" : undefined;
    case "aws:ec2/natGateway:NatGateway":
      return "aws-nat-gateway";
    case "gcp:compute/routerNat:RouterNat":
      return "gcp-cloud-nat";
    case "aws:ec2/eip:Eip":
      return "public-ipv4";
    case "gcp:compute/address:Address":
      return inputs["addressType"] === "INTERNAL" ? undefined : "public-ipv4";
    case "kubernetes:core/v1:Service": {
      const spec = record(inputs["spec"]);
      return cloudLoadBalancer(spec["type"], record(record(inputs["metadata"])["annotations"]), where.cloud);
    }
    case "kubernetes:helm.sh/v3:Release": {
      if (!isGatewayChart(inputs["chart"])) {
        return undefined;
      }
      const service = record(record(inputs["values"])["service"]);
      return cloudLoadBalancer(service["type"] ?? "LoadBalancer", record(service["annotations"]), where.cloud);
    }
    default:
      return undefined;
  }
}

/**
 * Finds every fixed-price part among the recorded resources. `place` says where a resource lives (its cluster,
 * that cluster's cloud and zones); Cloud NAT's quantity is the number of VMs its cluster's node pools start.
 */
export function countFixedParts(
  resources: readonly RecordedResource[],
  place: (r: RecordedResource) => Placement,
): FixedPart[] {
  const vmsByCluster = new Map<string, number>();
  for (const r of resources) {
    const where = place(r);
    // Nodes with public IPs (Submariner gateway pools) do not go through Cloud NAT.
    const isPool =
      r.type === "gcp:container/nodePool:NodePool" && record(r.inputs["networkConfig"])["enablePrivateNodes"] !== false;
    const isDefaultPool = r.type === "gcp:container/cluster:Cluster" && r.inputs["removeDefaultNodePool"] !== true;
    if ((isPool || isDefaultPool) && where.cluster !== undefined) {
      vmsByCluster.set(where.cluster, (vmsByCluster.get(where.cluster) ?? 0) + gkeNodes(r.inputs, where.zones));
    }
  }
  const parts: FixedPart[] = [];
  for (const r of resources) {
    const where = place(r);
    const kind = partOf(r, where);
    if (kind === undefined) {
      continue;
    }
    const quantity =
      kind === "gcp-cloud-nat" ? (where.cluster === undefined ? 0 : (vmsByCluster.get(where.cluster) ?? 0)) : 1;
    parts.push({ kind, urn: r.urn, quantity });
  }
  return parts;
}

/** Millionths of a dollar one part costs per hour. */
export function microUsdPerHour(part: FixedPart): number {
  const price = PRICES[part.kind];
  if (part.kind === "gcp-cloud-nat" && part.quantity > CLOUD_NAT_VM_CAP) {
    return CLOUD_NAT_MICRO_USD_ABOVE_CAP;
  }
  return price.microUsdPerHour * part.quantity;
}

/** One line of the estimate: every part of one kind. */
export interface CostLine {
  readonly kind: FixedPartKind;
  readonly label: string;
  /** How many resources of this kind. */
  readonly count: number;
  /** Units priced (VMs for Cloud NAT; otherwise equal to `count`). */
  readonly quantity: number;
  readonly microUsdPerHour: number;
  readonly microUsdPerMonth: number;
}

export interface CostEstimate {
  /** In the order of PRICES; kinds with no parts are left out. */
  readonly lines: readonly CostLine[];
  readonly microUsdPerMonth: number;
  readonly checkedOn: string;
  readonly hoursPerMonth: number;
}

export function estimateMonthlyCost(parts: readonly FixedPart[]): CostEstimate {
  const lines: CostLine[] = [];
  for (const kind of Object.keys(PRICES) as FixedPartKind[]) {
    const mine = parts.filter((p) => p.kind === kind);
    if (mine.length === 0) {
      continue;
    }
    const perHour = mine.reduce((sum, p) => sum + microUsdPerHour(p), 0);
    lines.push({
      kind,
      label: PRICES[kind].label,
      count: mine.length,
      quantity: mine.reduce((sum, p) => sum + p.quantity, 0),
      microUsdPerHour: perHour,
      microUsdPerMonth: perHour * HOURS_PER_MONTH,
    });
  }
  return {
    lines,
    microUsdPerMonth: lines.reduce((sum, l) => sum + l.microUsdPerMonth, 0),
    checkedOn: PRICES_CHECKED_ON,
    hoursPerMonth: HOURS_PER_MONTH,
  };
}

/** `$1,234.57`: rounded half up to the cent. */
export function formatUsd(microUsd: number): string {
  const cents = Math.floor((microUsd + 5_000) / 10_000);
  const dollars = Math.floor(cents / 100).toLocaleString("en-US");
  return `$${dollars}.${String(cents % 100).padStart(2, "0")}`;
}

/** A unit price with as many decimals as it has, at least two: `$0.10`, `$0.0225`, `$0.0014`. */
export function formatUnitPrice(microUsd: number): string {
  const whole = Math.floor(microUsd / MICRO);
  const fraction = String(microUsd % MICRO)
    .padStart(6, "0")
    .replace(/0+$/, "")
    .padEnd(2, "0");
  return `$${whole}.${fraction}`;
}
