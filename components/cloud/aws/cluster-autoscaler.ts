/**
 * The Cluster Autoscaler in one EKS cluster: it grows and shrinks the managed node groups between their min and max
 * sizes (EKS tags their Auto Scaling groups for its auto-discovery: `k8s.io/cluster-autoscaler/enabled` and
 * `k8s.io/cluster-autoscaler/<cluster>`).
 *
 * Children, by role:
 * - `role`: the IAM role its service account assumes through IRSA;
 * - `policy` + `policy-attachment`: upstream's recommended policy (cluster-autoscaler/cloudprovider/aws/README.md):
 *   describe calls on any resource, and scaling only Auto Scaling groups tagged as owned by this cluster;
 * - `release`: the `cluster-autoscaler` chart with auto-discovery by cluster name, the region, and the image of the
 *   cluster's Kubernetes minor, after the node groups and its permissions.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CLUSTER_AUTOSCALER_CHART, CLUSTER_AUTOSCALER_TAGS } from "../../../plan/cloud/aws-addons";
import { renderIrsaTrustPolicy } from "./aws-load-balancer-controller";

export interface ClusterAutoscalerArgs {
  /** The EKS cluster's cloud-side name: auto-discovery and the ownership tag the policy is scoped to. */
  readonly clusterName: string;
  readonly region: string;
  /** The cluster's Kubernetes minor, e.g. "1.33": picks the autoscaler image. */
  readonly kubernetesVersion: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerUrl: pulumi.Input<string>;
  readonly k8sProvider: k8s.Provider;
  /** The node groups it scales and runs on; the release waits for them. */
  readonly nodeGroups: readonly pulumi.Resource[];
  readonly tags: Readonly<Record<string, string>>;
}

/** Upstream's "full features" policy, with scaling limited to this cluster's Auto Scaling groups. */
export function renderClusterAutoscalerPolicy(clusterName: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: [
          "autoscaling:DescribeAutoScalingGroups",
          "autoscaling:DescribeAutoScalingInstances",
          "autoscaling:DescribeLaunchConfigurations",
          "autoscaling:DescribeScalingActivities",
          "ec2:DescribeImages",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplateVersions",
          "ec2:GetInstanceTypesFromInstanceRequirements",
          "eks:DescribeNodegroup",
        ],
        Resource: "*",
      },
      {
        Effect: "Allow",
        Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: "*",
        Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
      },
    ],
  });
}

export class ClusterAutoscaler extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    const tag = CLUSTER_AUTOSCALER_TAGS[args.kubernetesVersion];
    if (tag === undefined) {
      // The stack schema refuses such a version first; this guards direct use.
      throw new Error(
        `ClusterAutoscaler ${name}: no Cluster Autoscaler release for Kubernetes ${args.kubernetesVersion}`,
      );
    }
    super("multicluster-mesh:cluster:ClusterAutoscaler", name, {}, opts);
    const c = CLUSTER_AUTOSCALER_CHART;
    const subject = `system:serviceaccount:${c.namespace}:${c.serviceAccount}`;
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Cluster Autoscaler of EKS cluster ${args.clusterName}`,
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.oidcIssuerUrl])
          .apply(([providerArn, issuerUrl]) => renderIrsaTrustPolicy(providerArn, issuerUrl, subject)),
        tags: { ...args.tags },
      },
      { parent: this },
    );
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        description: `Node group scaling for EKS cluster ${args.clusterName}`,
        policy: renderClusterAutoscalerPolicy(args.clusterName),
        tags: { ...args.tags },
      },
      { parent: this },
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-policy-attachment`,
      { role: role.name, policyArn: policy.arn },
      { parent: this },
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: c.chart,
        chart: c.chart,
        version: c.version,
        repositoryOpts: { repo: c.repository },
        namespace: c.namespace,
        values: {
          cloudProvider: "aws",
          awsRegion: args.region,
          autoDiscovery: { clusterName: args.clusterName },
          image: { repository: c.image, tag },
          rbac: {
            serviceAccount: {
              create: true,
              name: c.serviceAccount,
              annotations: { "eks.amazonaws.com/role-arn": role.arn },
            },
          },
        },
      },
      { parent: this, provider: args.k8sProvider, dependsOn: [...args.nodeGroups, attachment] },
    );
    this.registerOutputs({ release: this.release });
  }
}
