/**
 * A healthy Istio fleet for the verify tests: the `dev` stack's two clusters (aws-use1, gcp-usc1) as their API
 * servers would answer, with objects shaped as the real ones: the istiod chart's Deployment and pods, the plug-in CA
 * `cacerts` Secret, remote secrets as `istioctl create-remote-secret` writes them, the east-west gateway's Service and
 * Deployment, and istiod's `/debug/clusterz` (istio pkg/cluster DebugInfo) and `/debug/networkz` (pilot/pkg/model
 * NetworkGateway) answers through the pod proxy. Tests change one thing and expect exactly that to be reported.
 */
import { type Authority, cacertsData, intermediateCa, rootCa } from "./certificates";
import { kubeconfigFor } from "./stand-in";

export const NOW = new Date("2026-11-29T12:00:00Z");
export const CLUSTERS = ["aws-use1", "gcp-usc1"] as const;
export type ClusterName = (typeof CLUSTERS)[number];

export const ENDPOINTS: Record<ClusterName, string> = {
  "aws-use1": "https://C489CB45C508E74DCD9B36B4AA2F2638.gr7.us-east-1.eks.amazonaws.com",
  "gcp-usc1": "https://203.0.113.161",
};
/** The NLB hostname of aws-use1's gateway and what it resolves to; gcp-usc1's load balancer has an IP. */
export const AWS_GATEWAY_HOST = "k8s-istiosys-istioeas-eb28c2962a-5506fffb68.elb.us-east-1.amazonaws.com";
export const AWS_GATEWAY_IPS = ["198.51.100.10", "198.51.100.11"];
export const GCP_GATEWAY_IP = "203.0.113.79";

export const ISTIOD_POD: Record<ClusterName, string> = {
  "aws-use1": "istiod-7d4b9c8f6-x2k4q",
  "gcp-usc1": "istiod-5f8c7b9d4-p9m2w",
};

const NS = "/api/v1/namespaces/istio-system";
const APPS = "/apis/apps/v1/namespaces/istio-system";

export const PATHS = {
  istiod: `${APPS}/deployments/istiod`,
  cacerts: `${NS}/secrets/cacerts`,
  gatewayService: `${NS}/services/istio-eastwestgateway`,
  gatewayDeployment: `${APPS}/deployments/istio-eastwestgateway`,
  pods: `${NS}/pods`,
  remoteSecret: (peer: string) => `${NS}/secrets/istio-remote-secret-${peer}`,
  clusterz: (pod: string) => `${NS}/pods/${pod}:15014/proxy/debug/clusterz`,
  networkz: (pod: string) => `${NS}/pods/${pod}:15014/proxy/debug/networkz`,
};

export interface Certificates {
  readonly root: Authority;
  readonly intermediates: Record<ClusterName, Authority>;
}

export async function certificates(): Promise<Certificates> {
  const root = await rootCa("Root CA", NOW);
  return {
    root,
    intermediates: {
      "aws-use1": await intermediateCa(root, "aws-use1", NOW, 3650),
      "gcp-usc1": await intermediateCa(root, "gcp-usc1", NOW, 3650),
    },
  };
}

function peerOf(cluster: ClusterName): ClusterName {
  return cluster === "aws-use1" ? "gcp-usc1" : "aws-use1";
}

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

function deployment(
  name: string,
  labels: Record<string, string>,
  image: string,
  ready: number,
): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "istio-system", labels, generation: 1 },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: name === "istiod" ? "discovery" : "istio-proxy", image }] },
      },
    },
    status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: ready, availableReplicas: ready },
  };
}

export function remoteSecret(source: ClusterName, server: string): Record<string, unknown> {
  const kubeconfig = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: " + source,
    "    cluster:",
    "      server: " + server,
    "      certificate-authority-data: " + b64("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n"),
    "contexts:",
    `  - name: ${source}`,
    `    context: { cluster: ${source}, user: ${source} }`,
    `current-context: ${source}`,
    "users:",
    `  - name: ${source}`,
    "    user:",
    "      token: eyJhbGciOiJSUzI1NiIsImtpZCI6InJlYWRlciJ9.reader.token",
    "",
  ].join("\n");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `istio-remote-secret-${source}`,
      namespace: "istio-system",
      labels: { "istio/multiCluster": "true" },
      annotations: { "networking.istio.io/cluster": source },
    },
    type: "Opaque",
    data: { [source]: b64(kubeconfig) },
  };
}

function gatewayIngress(cluster: ClusterName): Record<string, string> {
  return cluster === "aws-use1" ? { hostname: AWS_GATEWAY_HOST } : { ip: GCP_GATEWAY_IP };
}

/** Routes (path → body) of one healthy cluster; a test edits the map before starting the stand-in. */
export function istioCluster(cluster: ClusterName, certs: Certificates): Map<string, unknown> {
  const peer = peerOf(cluster);
  const pod = ISTIOD_POD[cluster];
  const istiodLabels = {
    app: "istiod",
    istio: "pilot",
    "istio.io/rev": "default",
    "app.kubernetes.io/version": "1.28.0",
    "app.kubernetes.io/name": "istiod",
  };
  const routes = new Map<string, unknown>();
  routes.set(PATHS.istiod, deployment("istiod", istiodLabels, "docker.io/istio/pilot:1.28.0", 1));
  routes.set(PATHS.cacerts, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "cacerts", namespace: "istio-system" },
    type: "Opaque",
    data: cacertsData(certs.intermediates[cluster], certs.root),
  });
  routes.set(PATHS.gatewayService, {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "istio-eastwestgateway",
      namespace: "istio-system",
      labels: { app: "istio-eastwestgateway", istio: "eastwestgateway", "topology.istio.io/network": cluster },
    },
    spec: {
      type: "LoadBalancer",
      selector: { istio: "eastwestgateway" },
      ports: [
        { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
        { name: "tls", port: 15443, targetPort: 15443, protocol: "TCP" },
      ],
    },
    status: { loadBalancer: { ingress: [gatewayIngress(cluster)] } },
  });
  routes.set(
    PATHS.gatewayDeployment,
    deployment("istio-eastwestgateway", { app: "istio-eastwestgateway", istio: "eastwestgateway" }, "auto", 1),
  );
  routes.set(PATHS.remoteSecret(peer), remoteSecret(peer, ENDPOINTS[peer]));
  routes.set(PATHS.pods, {
    apiVersion: "v1",
    kind: "PodList",
    metadata: { resourceVersion: "4711" },
    items: [
      {
        metadata: {
          name: pod,
          namespace: "istio-system",
          labels: istiodLabels,
          annotations: { "prometheus.io/port": "15014", "prometheus.io/scrape": "true" },
        },
        status: { phase: "Running", podIP: "10.0.3.17" },
      },
    ],
  });
  routes.set(PATHS.clusterz(pod), [
    { id: cluster, secretName: "", syncStatus: "synced" },
    { id: peer, secretName: `istio-system/istio-remote-secret-${peer}`, syncStatus: "synced" },
  ]);
  const gateway = (network: ClusterName, addr: string): Record<string, unknown> => ({
    Network: network,
    Cluster: network,
    Addr: addr,
    Port: 15443,
    HBONEPort: 0,
    ServiceAccount: { Namespace: "istio-system", Name: "istio-eastwestgateway" },
  });
  routes.set(PATHS.networkz(pod), [
    gateway("aws-use1", AWS_GATEWAY_IPS[0] as string),
    gateway("aws-use1", AWS_GATEWAY_IPS[1] as string),
    gateway("gcp-usc1", GCP_GATEWAY_IP),
  ]);
  return routes;
}

/** The stack outputs (`pulumi stack output --json --show-secrets`) with each kubeconfig pointing at a stand-in. */
export function istioOutputs(servers: Record<ClusterName, string>, root: Authority): Record<string, unknown> {
  const clusters = Object.fromEntries(
    CLUSTERS.map((c) => [
      c,
      {
        cloud: c === "aws-use1" ? "aws" : "gcp",
        network: c,
        endpoint: ENDPOINTS[c],
        kubeconfig: kubeconfigFor(c, servers[c]),
        gatewayAddress: c === "aws-use1" ? AWS_GATEWAY_HOST : GCP_GATEWAY_IP,
      },
    ]),
  );
  return { environment: "dev", mesh: "istio", clusters, rootCertificate: root.pem };
}
