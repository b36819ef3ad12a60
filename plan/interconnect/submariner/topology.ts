/**
 * The Submariner topology: which cluster hosts the broker, and what every joined cluster tells Submariner about itself
 * (its clusterId, its pod and service ranges, its Globalnet range, where GKE's kube-dns forwards `clusterset.local`).
 *
 * Pure and deterministic: the same clusters in any order give the same topology (members keep the given order), and
 * appending a cluster with a new, higher slot changes nothing about the clusters already there.
 */
import { IPv4, IPv4CidrRange } from "ip-num";
import type { ClusterAddresses } from "../../addresses-types";
import { blockCount, sizeOf, subBlock } from "../../cidr";
import { type Issue, throwIfAny } from "../../issues";
import type { Cloud, SubmarinerSpec } from "../../spec";

/** Namespace of the broker (the submariner-k8s-broker chart) in the broker cluster; clusters join through it. */
export const BROKER_NAMESPACE = "submariner-k8s-broker";
/** Namespace of the operator and everything it runs (gateways, route agents, Lighthouse) in every joined cluster. */
export const OPERATOR_NAMESPACE = "submariner-operator";
/** The DNS zone Lighthouse answers: `<service>.<namespace>.svc.clusterset.local`. */
export const CLUSTERSET_DOMAIN = "clusterset.local";
/** Submariner's own default Globalnet range; each cluster gets the /16 numbered by its slot. */
export const GLOBALNET_RANGE = "242.0.0.0/8";
export const GLOBALNET_CLUSTER_PREFIX = 16;
/**
 * The host offset, inside a GKE cluster's service range, of the fixed ClusterIP kube-dns forwards `clusterset.local`
 * to. Offsets below 16 lie in the band Kubernetes keeps for static ClusterIPs (dynamic allocation uses it last,
 * KEP-3070); .1 is the API server and .10 kube-dns itself, so 12 is free.
 */
export const LIGHTHOUSE_DNS_HOST_OFFSET = 12;

/** GKE's kube-dns does not read Lighthouse's CoreDNS config; it gets a stub domain pointing at this address. */
export interface KubeDnsStub {
  readonly domain: string;
  /** A fixed ClusterIP from the cluster's planned service range, given to a Service in front of Lighthouse's CoreDNS. */
  readonly lighthouseDnsIp: string;
}

/** One cluster joined to the broker. */
export interface SubmarinerMember {
  readonly cluster: string;
  /** Submariner clusterId: the cluster name (a unique DNS label). */
  readonly clusterId: string;
  readonly cloud: Cloud;
  readonly slot: number;
  /** The pod range, passed explicitly (discovery fails on EKS). */
  readonly clusterCidr: string;
  /** The service range, passed explicitly. */
  readonly serviceCidr: string;
  /** Globalnet only: this cluster's global range. */
  readonly globalCidr?: string;
  /** GKE only: the kube-dns stub domain for `clusterset.local`. */
  readonly kubeDnsStub?: KubeDnsStub;
}

export interface SubmarinerTopology {
  /** The cluster that hosts the broker. */
  readonly brokerCluster: string;
  readonly brokerNamespace: string;
  /**
   * Advisory: the broker, a control-plane single point, shares a cluster with workloads (it is joined too). False
   * only with `dedicatedBrokerCluster`.
   */
  readonly brokerInWorkloadCluster: boolean;
  readonly globalnet: boolean;
  /** The joined clusters, in the order given (every cluster, minus a dedicated broker cluster). */
  readonly members: readonly SubmarinerMember[];
}

/** The cluster with the lowest slot: the default broker cluster. Undefined for no clusters. */
export function lowestSlotCluster(clusters: readonly ClusterAddresses[]): string | undefined {
  let best: ClusterAddresses | undefined;
  for (const c of clusters) {
    if (best === undefined || c.slot < best.slot) {
      best = c;
    }
  }
  return best?.cluster;
}

/**
 * The broker's API server as `broker.server` wants it: host[:port][/path], without `https://` (Submariner's clients
 * prepend it, and a missing port means 443) and without a trailing slash. A path (an API proxy) is kept.
 */
export function brokerServer(endpoint: string): string {
  const trimmed = endpoint.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(trimmed)?.[1];
  const host = trimmed.replace(/^https:\/\//i, "").replace(/\/+$/, "");
  if ((scheme !== undefined && scheme.toLowerCase() !== "https") || host === "" || host.startsWith("/")) {
    throw new Error(`not an https API server endpoint: ${JSON.stringify(endpoint)}`);
  }
  return host;
}

/** The address `offset` places after a block's first address: `hostAt("10.4.0.0/20", 12)` → `10.4.0.12`. */
export function hostAt(cidr: string, offset: number): string {
  const range = IPv4CidrRange.fromCidr(cidr);
  if (!Number.isInteger(offset) || offset < 0 || BigInt(offset) >= range.getSize()) {
    throw new Error(`offset ${offset} is outside ${cidr}`);
  }
  return IPv4.fromNumber(range.getFirst().getValue() + BigInt(offset)).toString();
}

/** Every problem with building a topology from these clusters; empty when `planSubmarinerTopology` succeeds. */
export function checkSubmarinerTopology(spec: SubmarinerSpec, clusters: readonly ClusterAddresses[]): Issue[] {
  const issues: Issue[] = [];
  const names = clusters.map((c) => c.cluster);
  if (clusters.length === 0) {
    issues.push({ path: "clusters", message: "no clusters to join", fix: "list at least one cluster", value: [] });
  }
  if (spec.brokerCluster !== undefined && !names.includes(spec.brokerCluster)) {
    issues.push({
      path: "submariner.brokerCluster",
      message: "names no cluster of this stack",
      fix: `use one of: ${names.join(", ")}`,
      value: spec.brokerCluster,
    });
  } else if (spec.dedicatedBrokerCluster && clusters.length === 1) {
    issues.push({
      path: "submariner.dedicatedBrokerCluster",
      message: "the dedicated broker cluster is the only cluster, so nothing would join",
      fix: "add the clusters that should join, or set dedicatedBrokerCluster: false",
      value: true,
    });
  }
  const globalnetSlots = blockCount(GLOBALNET_RANGE, GLOBALNET_CLUSTER_PREFIX);
  clusters.forEach((c, i) => {
    if (spec.globalnet && c.slot >= globalnetSlots) {
      issues.push({
        path: `clusters[${i}].slot`,
        message: `Globalnet numbers each cluster's /${GLOBALNET_CLUSTER_PREFIX} of ${GLOBALNET_RANGE} by slot, which holds ${globalnetSlots}`,
        fix: `use a slot below ${globalnetSlots}, or turn submariner.globalnet off`,
        value: c.slot,
      });
    }
    if (c.cloud === "gcp" && sizeOf(c.services) <= BigInt(LIGHTHOUSE_DNS_HOST_OFFSET + 1)) {
      issues.push({
        path: `clusters[${i}].cidrs.services`,
        message: `too small for the fixed Lighthouse DNS address (offset ${LIGHTHOUSE_DNS_HOST_OFFSET})`,
        fix: "give the cluster a service range of /28 or larger",
        value: c.services,
      });
    }
  });
  return issues;
}

/**
 * Places the broker and describes every joined cluster. Throws a SpecError listing every problem
 * (`checkSubmarinerTopology`).
 */
export function planSubmarinerTopology(
  spec: SubmarinerSpec,
  clusters: readonly ClusterAddresses[],
): SubmarinerTopology {
  throwIfAny(checkSubmarinerTopology(spec, clusters));
  const brokerCluster = spec.brokerCluster ?? (lowestSlotCluster(clusters) as string);
  const members = clusters
    .filter((c) => !(spec.dedicatedBrokerCluster && c.cluster === brokerCluster))
    .map((c): SubmarinerMember => {
      const globalCidr = spec.globalnet ? subBlock(GLOBALNET_RANGE, GLOBALNET_CLUSTER_PREFIX, c.slot) : undefined;
      return {
        cluster: c.cluster,
        clusterId: c.cluster,
        cloud: c.cloud,
        slot: c.slot,
        clusterCidr: c.pods,
        serviceCidr: c.services,
        ...(globalCidr !== undefined ? { globalCidr } : {}),
        ...(c.cloud === "gcp"
          ? {
              kubeDnsStub: {
                domain: CLUSTERSET_DOMAIN,
                lighthouseDnsIp: hostAt(c.services, LIGHTHOUSE_DNS_HOST_OFFSET),
              },
            }
          : {}),
      };
    });
  return {
    brokerCluster,
    brokerNamespace: BROKER_NAMESPACE,
    brokerInWorkloadCluster: !spec.dedicatedBrokerCluster,
    globalnet: spec.globalnet,
    members,
  };
}
