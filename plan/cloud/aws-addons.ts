/**
 * What every EKS cluster gets besides the control plane and nodes, pinned: metrics-server (the gateway and istiod
 * autoscalers read it; EKS does not install it) and the Cluster Autoscaler (it scales the node groups between their
 * min and max sizes), with the autoscaler's image per Kubernetes minor version.
 */

/** kubernetes-sigs/metrics-server chart `metrics-server-helm-chart-3.13.1` (appVersion 0.8.1). */
export const METRICS_SERVER_CHART = {
  chart: "metrics-server",
  version: "3.13.1",
  repository: "https://kubernetes-sigs.github.io/metrics-server/",
  namespace: "kube-system",
} as const;

/** kubernetes/autoscaler chart `cluster-autoscaler-chart-9.59.0` (appVersion 1.35.0; the image is set per minor). */
export const CLUSTER_AUTOSCALER_CHART = {
  chart: "cluster-autoscaler",
  version: "9.59.0",
  repository: "https://kubernetes.github.io/autoscaler",
  namespace: "kube-system",
  serviceAccount: "cluster-autoscaler",
  image: "registry.k8s.io/autoscaling/cluster-autoscaler",
} as const;

/**
 * The newest Cluster Autoscaler release of each Kubernetes minor (tags `cluster-autoscaler-1.<minor>.<patch>` of
 * kubernetes/autoscaler): the autoscaler supports the Kubernetes minor it was released for.
 */
export const CLUSTER_AUTOSCALER_TAGS: Readonly<Record<string, string>> = {
  "1.30": "v1.30.7",
  "1.31": "v1.31.5",
  "1.32": "v1.32.7",
  "1.33": "v1.33.6",
  "1.34": "v1.34.5",
  "1.35": "v1.35.2",
};

/** CloudWatch Logs' allowed retention periods in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
