/** The ports the Istio mesh needs, written once. */
import type { PortRule } from "../requirements";

/**
 * Opened on every cluster: istiod's admission webhooks, called by the cluster's own control plane. istiod's xDS and CA
 * port (15012) is not opened: only a remote cluster's proxies reach it (primary-remote), which multi-primary does not
 * have; the cluster's own proxies reach it inside the cluster.
 */
export const ISTIO_PORTS: readonly PortRule[] = [
  {
    key: "istiod-webhook",
    protocol: "tcp",
    port: 15017,
    from: "control-plane",
    calledByControlPlane: true,
    description: "istiod admission webhooks",
  },
];

/** Istio east-west gateway ports exposed by its load balancer. */
export const EAST_WEST_PORTS = [
  { name: "status-port", port: 15021, description: "readiness (load balancer health check)" },
  { name: "tls", port: 15443, description: "cross-network mTLS passthrough" },
] as const;
