/**
 * A healthy Submariner fleet for the verify tests: the `submariner` stack's three clusters (broker in aws-usw2) as
 * their API servers would answer, with submariner.io/v1 objects shaped as in submariner pkg/apis/submariner.io/v1:
 * each member's active `Gateway` in submariner-operator with a `connected` connection to every other member, and in
 * the broker namespace a `Cluster` (cluster_cidr, service_cidr from the address plan) and an `Endpoint` per member.
 */
import { kubeconfigFor } from "./stand-in";

export const MEMBERS = [
  {
    cluster: "aws-usw2",
    clusterCidr: "100.64.0.0/18",
    serviceCidr: "10.0.128.0/20",
    privateIp: "10.0.112.10",
    publicIp: "198.51.100.20",
  },
  {
    cluster: "gcp-usw1",
    clusterCidr: "10.1.128.0/17",
    serviceCidr: "10.1.16.0/20",
    privateIp: "10.1.0.10",
    publicIp: "198.51.100.21",
  },
  {
    cluster: "aws-cac1",
    clusterCidr: "100.64.128.0/18",
    serviceCidr: "10.2.128.0/20",
    privateIp: "10.2.112.10",
    publicIp: "198.51.100.22",
  },
] as const;
export type MemberName = (typeof MEMBERS)[number]["cluster"];
export const BROKER = "aws-usw2";

const SUBMARINER = "/apis/submariner.io/v1/namespaces";
export const PATHS = {
  gateways: `${SUBMARINER}/submariner-operator/gateways`,
  clusters: `${SUBMARINER}/submariner-k8s-broker/clusters`,
  endpoints: `${SUBMARINER}/submariner-k8s-broker/endpoints`,
};

type Member = (typeof MEMBERS)[number];

function hostname(m: Member): string {
  return `ip-${m.privateIp.replace(/\./g, "-")}.gateway.internal`;
}

export function endpointSpec(m: Member): Record<string, unknown> {
  return {
    cluster_id: m.cluster,
    cable_name: `submariner-cable-${m.cluster}-${m.privateIp.replace(/\./g, "-")}`,
    healthCheckIP: m.clusterCidr.replace(/0\/\d+$/, "1"),
    hostname: hostname(m),
    subnets: [m.serviceCidr, m.clusterCidr],
    private_ip: m.privateIp,
    public_ip: m.publicIp,
    nat_enabled: true,
    backend: "libreswan",
    backend_config: { natt_discovery_port: "4490", preferred_server: "false", udp_port: "4500" },
  };
}

export function connection(to: Member, status = "connected", statusMessage = ""): Record<string, unknown> {
  return {
    status,
    statusMessage,
    endpoint: endpointSpec(to),
    usingIP: to.publicIp,
    usingNAT: true,
    latencyRTT: { last: "21.4ms", min: "20.9ms", average: "21.6ms", max: "24.1ms", stdDev: "0.7ms" },
  };
}

export function gateway(m: Member, connections: Record<string, unknown>[]): Record<string, unknown> {
  return {
    apiVersion: "submariner.io/v1",
    kind: "Gateway",
    metadata: { name: hostname(m), namespace: "submariner-operator" },
    status: { version: "v0.19.0", haStatus: "active", localEndpoint: endpointSpec(m), statusFailure: "", connections },
  };
}

export function listOf(kind: string, items: unknown[]): Record<string, unknown> {
  return { apiVersion: "submariner.io/v1", kind: `${kind}List`, metadata: { resourceVersion: "1234" }, items };
}

export function clusterObject(m: Member, clusterCidr: string = m.clusterCidr): Record<string, unknown> {
  return {
    apiVersion: "submariner.io/v1",
    kind: "Cluster",
    metadata: { name: m.cluster, namespace: "submariner-k8s-broker" },
    spec: {
      cluster_id: m.cluster,
      color_codes: ["blue"],
      service_cidr: [m.serviceCidr],
      cluster_cidr: [clusterCidr],
      global_cidr: [],
    },
  };
}

/** Routes of every member; the broker cluster also answers the broker namespace. */
export function submarinerFleet(): Record<MemberName, Map<string, unknown>> {
  const routes = {} as Record<MemberName, Map<string, unknown>>;
  for (const m of MEMBERS) {
    const map = new Map<string, unknown>();
    map.set(
      PATHS.gateways,
      listOf("Gateway", [
        gateway(
          m,
          MEMBERS.filter((o) => o !== m).map((o) => connection(o)),
        ),
      ]),
    );
    routes[m.cluster] = map;
  }
  routes[BROKER].set(
    PATHS.clusters,
    listOf(
      "Cluster",
      MEMBERS.map((m) => clusterObject(m)),
    ),
  );
  routes[BROKER].set(
    PATHS.endpoints,
    listOf(
      "Endpoint",
      MEMBERS.map((m) => ({
        apiVersion: "submariner.io/v1",
        kind: "Endpoint",
        metadata: { name: `${m.cluster}-${String(endpointSpec(m)["cable_name"])}`, namespace: "submariner-k8s-broker" },
        spec: endpointSpec(m),
      })),
    ),
  );
  return routes;
}

export function submarinerOutputs(servers: Record<MemberName, string>): Record<string, unknown> {
  const clusters = Object.fromEntries(
    MEMBERS.map((m) => [
      m.cluster,
      {
        endpoint: `https://${m.cluster}.example`,
        kubeconfig: kubeconfigFor(m.cluster, servers[m.cluster]),
        gatewayAddress: null,
      },
    ]),
  );
  return { environment: "submariner", mesh: "submariner", clusters };
}
