/**
 * Which ports each mesh needs opened, and from where. Network and cluster components turn these into security
 * group rules and firewall rules; keeping them here writes each port once.
 */
import type { MeshKind } from "./spec";

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
   * - `peers`: other clusters' gateways (over the internet or a private link).
   */
  readonly from: "control-plane" | "nodes" | "peers";
  readonly description: string;
}

const ISTIO: readonly PortRule[] = [
  {
    key: "istiod-webhook",
    protocol: "tcp",
    port: 15017,
    from: "control-plane",
    description: "istiod admission webhooks",
  },
  { key: "istiod-xds", protocol: "tcp", port: 15012, from: "control-plane", description: "istiod xDS and CA" },
];

const SUBMARINER: readonly PortRule[] = [
  { key: "ipsec-nat-t", protocol: "udp", port: 4500, from: "peers", description: "Submariner IPsec NAT-T" },
  { key: "nat-discovery", protocol: "udp", port: 4490, from: "peers", description: "Submariner NAT discovery" },
  { key: "ike", protocol: "udp", port: 500, from: "peers", description: "Submariner IKE" },
  { key: "esp", protocol: "esp", from: "peers", description: "Submariner IPsec ESP" },
  { key: "ah", protocol: "ah", from: "peers", description: "Submariner IPsec AH" },
  {
    key: "vxlan",
    protocol: "udp",
    port: 4800,
    from: "nodes",
    description: "Submariner VXLAN between nodes and gateways",
  },
  { key: "metrics", protocol: "tcp", port: 8080, from: "nodes", description: "Submariner metrics" },
];

/** The ports a mesh needs beyond what the cloud opens by default. */
export function meshPorts(mesh: MeshKind): readonly PortRule[] {
  return mesh === "istio" ? ISTIO : SUBMARINER;
}

/** Istio east-west gateway ports exposed by its load balancer. */
export const EAST_WEST_PORTS = [
  { name: "status-port", port: 15021, description: "readiness (load balancer health check)" },
  { name: "tls", port: 15443, description: "cross-network mTLS passthrough" },
] as const;
