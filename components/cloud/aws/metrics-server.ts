/**
 * metrics-server in one EKS cluster (EKS does not install it): the resource metrics API the east-west gateway's and
 * istiod's HorizontalPodAutoscalers read. A Helm release of the pinned chart with its defaults, after the node groups.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { METRICS_SERVER_CHART } from "../../../plan/cloud/aws-addons";

export function createMetricsServer(
  name: string,
  args: { k8sProvider: k8s.Provider; nodeGroups: readonly pulumi.Resource[] },
  parent: pulumi.Resource,
): k8s.helm.v3.Release {
  const c = METRICS_SERVER_CHART;
  return new k8s.helm.v3.Release(
    `${name}-metrics-server`,
    {
      name: c.chart,
      chart: c.chart,
      version: c.version,
      repositoryOpts: { repo: c.repository },
      namespace: c.namespace,
    },
    { parent, provider: args.k8sProvider, dependsOn: [...args.nodeGroups] },
  );
}
