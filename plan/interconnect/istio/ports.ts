/** The ports the Istio mesh needs, written once. */
import type { PortRule } from "../requirements";

/** Opened on every cluster: istiod's webhook and xDS, reached from the cluster's own control plane. */
export const ISTIO_PORTS: readonly PortRule[] = [
  {
    key: "istiod-webhook",
    protocol: "tcp",
    port: 15017,
    from: "control-plane",
    // istiod's xDS port (15012) is only reached by a remote cluster's proxies, which multi-primary does not have.
    calledByControlPlane: true,
    description: "istiod admission webhooks",
  },
  { key: "istiod-xds", protocol: "tcp", port: 15012, from: "control-plane", description: "istiod xDS and CA" },
];

/** Istio east-west gateway ports exposed by its load balancer. */
export const EAST_WEST_PORTS = [
  { name: "status-port", port: 15021, description: "readiness (load balancer health check)" },
  { name: "tls", port: 15443, description: "cross-network mTLS passthrough" },
] as const;
