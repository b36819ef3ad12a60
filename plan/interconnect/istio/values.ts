/**
 * What each cluster of the Istio mesh gets, as plain data: the values of the base, istiod and gateway charts, the
 * east-west gateway's LoadBalancer Service per cloud, and the mesh-wide Istio objects (cross-network Gateway,
 * PeerAuthentication, locality-failover DestinationRule). Facts follow the charts of Istio 1.24 and later (the oldest version the stack schema accepts); see DOMAIN.md §3.
 */
import type { IstioClusterPlan } from "./topology";
import { ISTIO_NAMESPACE, NETWORK_LABEL } from "./topology";
import { EAST_WEST_PORTS } from "./ports";
import { CLOUD_TRAITS } from "../../cloud";
import { type Cloud, CLOUDS, type IstioSpec } from "../../spec";
import { istioTrustSettings } from "../../trust";

/** Helm release names. The east-west gateway's name also yields its pod labels (`app`, `istio`). */
export const BASE_RELEASE = "istio-base";
export const EAST_WEST_RELEASE = "istio-eastwestgateway";
/** The gateway chart labels its pods `app: <release>` and `istio: <release without "istio-">`. */
export const EAST_WEST_POD_LABELS: Readonly<Record<string, string>> = {
  app: EAST_WEST_RELEASE,
  istio: "eastwestgateway",
};
/** What the cross-network Gateway selects. */
export const EAST_WEST_SELECTOR: Readonly<Record<string, string>> = { istio: "eastwestgateway" };
export const CROSS_NETWORK_GATEWAY = "cross-network-gateway";
export const LOCALITY_FAILOVER_RULE = "default-locality-failover";

/** The first Istio minor version whose DNS auto-allocation v2 (istiod's IP allocator) is on by default. */
const AUTO_ALLOCATE_V2_MINOR = 25;

/** istiod's release name: `istiod`, or `istiod-<revision>` for a canary revision. */
export function istiodReleaseName(istio: IstioSpec): string {
  return istio.revision === "" ? "istiod" : `istiod-${istio.revision}`;
}

/** base chart: the default validating webhook points at the configured revision. */
export function baseValues(istio: IstioSpec): Record<string, unknown> {
  return { defaultRevision: istio.revision === "" ? "default" : istio.revision };
}

/**
 * Proxy metadata every sidecar and gateway gets:
 * - DNS proxying (`ISTIO_META_DNS_CAPTURE`), so a service that exists only in a remote cluster resolves locally;
 *   before 1.25 also `ISTIO_META_DNS_AUTO_ALLOCATE` (from 1.25 istiod allocates addresses itself, and the proxy flag is
 *   deprecated);
 * - `PROXY_CONFIG_XDS_AGENT` while more than one root is trusted (from the trust plan).
 */
export function proxyMetadata(istio: IstioSpec, multiRoot: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (istio.dnsProxy) {
    out["ISTIO_META_DNS_CAPTURE"] = "true";
    if (minorVersion(istio.version) < AUTO_ALLOCATE_V2_MINOR) {
      out["ISTIO_META_DNS_AUTO_ALLOCATE"] = "true";
    }
  }
  return { ...out, ...istioTrustSettings(multiRoot).proxyMetadata };
}

/**
 * istiod chart (flat values, as the chart reads them since 1.24): one mesh id everywhere, this cluster's clusterName
 * and network, DNS proxying, locality-aware load balancing, and multi-root trust while two roots are trusted.
 */
export function istiodValues(
  meshId: string,
  cluster: IstioClusterPlan,
  istio: IstioSpec,
  multiRoot: boolean,
): Record<string, unknown> {
  const metadata = proxyMetadata(istio, multiRoot);
  const meshConfig: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    meshConfig["defaultConfig"] = { proxyMetadata: metadata };
  }
  if (istio.localityFailover) {
    // Prefer endpoints in the caller's region/zone; fail over to the next locality once outlier detection ejects
    // the local ones (see localityFailoverRule).
    meshConfig["localityLbSetting"] = { enabled: true };
  }
  // Every proxy keeps its upstream connections (a cross-network one runs through the peer's load balancer) alive
  // below the load balancers' and NAT gateways' idle timeouts.
  const k = istio.tcpKeepalive;
  meshConfig["tcpKeepalive"] = { time: `${k.timeSeconds}s`, interval: `${k.intervalSeconds}s`, probes: k.probes };
  const env = istioTrustSettings(multiRoot).istiodEnv;
  const d = istio.istiod;
  return {
    revision: istio.revision,
    global: {
      meshID: meshId,
      multiCluster: { clusterName: cluster.clusterName },
      network: cluster.network,
    },
    // The chart's HPA floor and ceiling (replicaCount applies only without autoscaling).
    autoscaleEnabled: true,
    autoscaleMin: d.replicas,
    autoscaleMax: d.maxReplicas,
    // The chart's PodDisruptionBudget (minAvailable 1) is rendered only when autoscaleMin > 1 (1.28: values `pdb`).
    topologySpreadConstraints: spreadConstraints(cluster, {
      app: ISTIOD_POD_LABEL,
      "istio.io/rev": istio.revision === "" ? "default" : istio.revision,
    }),
    meshConfig,
    ...(Object.keys(env).length > 0 ? { env: { ...env } } : {}),
  };
}

/** istiod's pods carry `app: istiod` and `istio.io/rev: <revision or "default">`. */
const ISTIOD_POD_LABEL = "istiod";

/**
 * Spread over zones (hard on EKS and GKE, soft on existing clusters) and nodes (soft). Existing clusters' nodes may
 * carry no zone label (kind's have none); the scheduler filters out nodes without the key, so a hard constraint would
 * leave every pod Pending there.
 */
function spreadConstraints(
  cluster: IstioClusterPlan,
  matchLabels: Readonly<Record<string, string>>,
): Record<string, unknown>[] {
  const spread = (topologyKey: string, whenUnsatisfiable: string): Record<string, unknown> => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: { ...matchLabels } },
  });
  return [
    spread(
      "topology.kubernetes.io/zone",
      CLOUD_TRAITS[cluster.cloud].zonesLabelled ? "DoNotSchedule" : "ScheduleAnyway",
    ),
    spread("kubernetes.io/hostname", "ScheduleAnyway"),
  ];
}

/**
 * gateway chart for the east-west gateway. `networkGateway` is NOT set: before 1.31 it hard-codes four ports on the
 * chart's Service. Instead the chart renders no Service (`service.type: None`; the component renders its own), and
 * the network label and `ISTIO_META_REQUESTED_NETWORK_VIEW` are set by hand. At least `replicas` pods, spread across
 * zones (hard on EKS and GKE, soft on existing clusters) and nodes (soft), with a PodDisruptionBudget when there is more than one.
 */
export function eastWestGatewayValues(cluster: IstioClusterPlan, istio: IstioSpec): Record<string, unknown> {
  const g = istio.gateway;
  return {
    revision: istio.revision,
    labels: { istio: EAST_WEST_SELECTOR["istio"], [NETWORK_LABEL]: cluster.network },
    env: { ISTIO_META_REQUESTED_NETWORK_VIEW: cluster.network },
    service: { type: "None" },
    replicaCount: g.replicas,
    autoscaling: { enabled: true, minReplicas: g.replicas, maxReplicas: g.maxReplicas },
    // The chart itself only renders the budget when minReplicas > 1; with one replica it would block every drain.
    podDisruptionBudget: g.replicas > 1 ? { minAvailable: g.minAvailable } : {},
    topologySpreadConstraints: spreadConstraints(cluster, EAST_WEST_POD_LABELS),
    // A terminating gateway keeps serving for drainSeconds, longer than the load balancer's deregistration delay, and
    // Kubernetes waits 10 s more before killing it.
    podAnnotations: { [PROXY_CONFIG_ANNOTATION]: JSON.stringify({ terminationDrainDuration: `${g.drainSeconds}s` }) },
    terminationGracePeriodSeconds: g.drainSeconds + GRACE_AFTER_DRAIN_SECONDS,
  };
}

const PROXY_CONFIG_ANNOTATION = "proxy.istio.io/config";
/** Seconds Kubernetes waits after the drain before it kills a gateway pod. */
export const GRACE_AFTER_DRAIN_SECONDS = 10;

const STATUS_PORT = EAST_WEST_PORTS.find((p) => p.name === "status-port")?.port ?? 15021;
const TLS_PORT = EAST_WEST_PORTS.find((p) => p.name === "tls")?.port ?? 15443;

/**
 * Annotations that choose which kind of load balancer backs the Service, on every cloud (plan/cloud). Changing one in
 * place makes the controller leak or half-convert the old load balancer, so a change replaces the Service (delete,
 * then create) instead.
 */
export const LOAD_BALANCER_KIND_ANNOTATIONS: readonly string[] = CLOUDS.flatMap(
  (c) => CLOUD_TRAITS[c].loadBalancerKindAnnotations,
);

/**
 * The gateway Service's load balancer: its cloud's L4 passthrough load balancer (plan/cloud), checked on 15021, with
 * the 15443 listener's idle timeout and the targets' deregistration delay where the cloud takes them.
 */
export function eastWestServiceAnnotations(cloud: Cloud, gateway: IstioSpec["gateway"]): Record<string, string> {
  return CLOUD_TRAITS[cloud].passthroughLoadBalancer(gateway.exposure, STATUS_PORT, {
    listenerPort: TLS_PORT,
    idleTimeoutSeconds: gateway.idleTimeoutSeconds,
    deregistrationDelaySeconds: gateway.deregistrationDelaySeconds,
  });
}

/** The east-west gateway's LoadBalancer Service (metadata without namespace, and spec). */
export function eastWestService(
  cluster: IstioClusterPlan,
  istio: IstioSpec,
): {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: Record<string, unknown>;
} {
  const ranges = istio.gateway.sourceRanges;
  return {
    metadata: {
      name: EAST_WEST_RELEASE,
      // istiod takes a Service with the network label as that network's gateway and uses its load balancer address.
      labels: { ...EAST_WEST_POD_LABELS, [NETWORK_LABEL]: cluster.network },
      annotations: eastWestServiceAnnotations(cluster.cloud, istio.gateway),
    },
    spec: {
      type: "LoadBalancer",
      selector: { ...EAST_WEST_POD_LABELS },
      ports: EAST_WEST_PORTS.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: "TCP" })),
      ...(ranges.length > 0 ? { loadBalancerSourceRanges: [...ranges] } : {}),
    },
  };
}

/** An Istio object as plain data. */
export interface IstioObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: Record<string, unknown>;
}

/** Exposes every `*.local` service of this cluster to the other networks through the east-west gateway's port 15443. */
export function crossNetworkGateway(): IstioObject {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "Gateway",
    metadata: { name: CROSS_NETWORK_GATEWAY, namespace: ISTIO_NAMESPACE },
    spec: {
      selector: { ...EAST_WEST_SELECTOR },
      servers: [
        {
          port: { number: 15443, name: "tls", protocol: "TLS" },
          tls: { mode: "AUTO_PASSTHROUGH" },
          hosts: ["*.local"],
        },
      ],
    },
  };
}

/** Mesh-wide mTLS mode; in every cluster, since each primary reads only its own API server. */
export function meshPeerAuthentication(istio: IstioSpec): IstioObject {
  return {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata: { name: "default", namespace: ISTIO_NAMESPACE },
    spec: { mtls: { mode: istio.mtls } },
  };
}

/**
 * Locality failover only happens where outlier detection can eject failing endpoints. This mesh-wide default (root
 * namespace, host `*.local`) gives every service that, without touching TLS settings (auto mTLS stays on). A service's
 * own DestinationRule takes precedence and must then set outlierDetection itself.
 */
export function localityFailoverRule(): IstioObject {
  return {
    apiVersion: "networking.istio.io/v1",
    kind: "DestinationRule",
    metadata: { name: LOCALITY_FAILOVER_RULE, namespace: ISTIO_NAMESPACE },
    spec: {
      host: "*.local",
      trafficPolicy: {
        outlierDetection: {
          consecutive5xxErrors: 5,
          interval: "10s",
          baseEjectionTime: "30s",
          maxEjectionPercent: 100,
        },
      },
    },
  };
}

function minorVersion(version: string): number {
  return Number(version.split(".")[1] ?? "0");
}
