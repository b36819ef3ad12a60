/**
 * The Istio multi-primary, multi-network interconnect: its schema section (./spec.ts), its topology (./topology.ts),
 * its chart values (./values.ts) and what it requires of every cluster: istiod's ports, reached from the cluster's
 * own control plane, and a private control plane attached by VPC peering. No extra nodes, any datapath.
 */
import { CLOUD_TRAITS } from "../../cloud";
import type { IstioSpec } from "../../spec";
import type { Interconnect } from "../index";
import type { ApiClient, ClusterRequirements } from "../requirements";
import { ISTIO_PORTS } from "./ports";
import { checkIstioTopology, type IstioMember, type IstioTopology, NETWORK_LABEL, planIstioTopology } from "./topology";
import type { FleetSpec } from "../../spec";

export interface IstioTypes {
  readonly topology: IstioTopology;
  /** The `istio` section of the stack config, defaults applied. */
  readonly settings: IstioSpec;
}

const REQUIREMENTS: Omit<ClusterRequirements, "apiClients"> = {
  ports: ISTIO_PORTS,
  peerRanges: [],
  tunnelPeers: [],
  podsApartFromNodes: false,
  controlPlaneAttachment: "peering",
};

/** The clusters whose istiod reads `cluster`'s API server: those holding a remote secret for it. */
export function istioApiClients(topology: IstioTopology, cluster: string): ApiClient[] {
  return topology.remoteSecrets
    .filter((s) => s.source === cluster)
    .map((s) => s.target)
    .sort()
    .map((c) => ({ cluster: c, fromGateways: false, caller: "istiod (remote secret)" }));
}

function members(spec: FleetSpec): IstioMember[] {
  return spec.clusters.map((c) => ({ name: c.name, cloud: c.cloud, network: c.network }));
}

export const istio: Interconnect<"istio"> = {
  kind: "istio",
  check: (spec) => checkIstioTopology(spec.istio.meshId, members(spec)),
  plan: (spec) => ({ topology: planIstioTopology(spec.istio.meshId, members(spec)), settings: spec.istio }),
  summary: {
    gateway: (cloud) => `east-west gateway (${CLOUD_TRAITS[cloud].loadBalancer})`,
    links: "all-pairs",
    hubLabel: (n) => `multi-primary: each of ${n} clusters reads the other ${n - 1}`,
    legend: ({ clusters: n, throughHub, maxPairwise }) =>
      throughHub
        ? `Every cluster holds a remote secret for every other (${n * (n - 1)} in all); with more than ${maxPairwise} clusters they are drawn through one node.`
        : `\`A <--> B\`: A and B each hold a remote secret for the other, so each istiod reads the other's API: ${plural((n * (n - 1)) / 2, "link")}, ${plural(n * (n - 1), "remote secret")}.`,
  },
  virtualRangesMayOverlap: () => false,
  podsApartFromNodes: false,
  trust: "workload-ca",
  // istiod reads every namespace's network from this label, istio-system's included. The east-west gateway runs in
  // istio-system too, so it also carries what the cloud's load balancer wants on the gateway's namespace.
  trustNamespaceLabels: (cluster) => ({
    ...CLOUD_TRAITS[cluster.cloud].gatewayNamespaceLabels,
    [NETWORK_LABEL]: cluster.network,
  }),
  requirements: (plan, cluster) => ({ ...REQUIREMENTS, apiClients: istioApiClients(plan.topology, cluster.name) }),
  // The east-west gateway is a Deployment on the cluster's own nodes.
  gatewayZones: () => undefined,
  // Every cluster runs its own istiod: none hosts anything the others share.
  sharedHost: () => undefined,
};

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
