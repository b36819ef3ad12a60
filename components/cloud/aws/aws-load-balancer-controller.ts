/**
 * The AWS Load Balancer Controller in one EKS cluster: it turns `type: LoadBalancer` Services (the east-west
 * gateways) into Network Load Balancers.
 *
 * Children, by role:
 * - `role`: the IAM role its service account assumes through IRSA (trust: this cluster's OIDC provider, subject
 *   `system:serviceaccount:kube-system:aws-load-balancer-controller`, audience `sts.amazonaws.com`);
 * - `policy` + `policy-attachment`: what the controller may do (./aws-load-balancer-controller-policy.ts);
 * - `release`: the `aws-load-balancer-controller` chart (Helm release, values visible in previews), created after
 *   the node groups it runs on and after its permissions exist.
 *
 * The aws provider reaches the IAM children through the parent chain; the release uses the cluster's k8s provider.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { renderLoadBalancerControllerPolicy } from "./aws-load-balancer-controller-policy";

export const LB_CONTROLLER_CHART = "aws-load-balancer-controller";
export const LB_CONTROLLER_CHART_REPOSITORY = "https://aws.github.io/eks-charts";
/** Pinned chart version (chart 3.5.0 ships controller v3.5.0). */
export const LB_CONTROLLER_CHART_VERSION = "3.5.0";
export const LB_CONTROLLER_NAMESPACE = "kube-system";
export const LB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

export interface AwsLoadBalancerControllerArgs {
  /**
   * The EKS cluster's cloud-side name (its physical name): the chart's `clusterName`, with which the controller finds
   * the `kubernetes.io/cluster/<name>` subnets, and the ownership tag value the IAM policy is scoped to.
   */
  readonly clusterName: string;
  /** The cluster's region (chart value `region`, so the controller never asks the instance metadata service). */
  readonly region: string;
  /** The cluster's VPC (chart value `vpcId`; security group rule changes are limited to it). */
  readonly vpcId: pulumi.Input<string>;
  /** `aws`, `aws-cn` or `aws-us-gov`, for ARNs. */
  readonly partition: pulumi.Input<string>;
  /** The account the cluster lives in, for ARNs. */
  readonly accountId: pulumi.Input<string>;
  /** ARN of the cluster's IAM OIDC provider (the IRSA trust's federated principal). */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>). */
  readonly oidcIssuerUrl: pulumi.Input<string>;
  /** The Kubernetes provider of the cluster; the release uses it. */
  readonly k8sProvider: k8s.Provider;
  /** Resources the controller's pods need first (the node groups); the release depends on them. */
  readonly nodeGroups: readonly pulumi.Resource[];
  /** Tags on the IAM role and policy. */
  readonly tags: Readonly<Record<string, string>>;
}

export class AwsLoadBalancerController extends pulumi.ComponentResource {
  /** The Helm release; in-cluster components that create NLB Services wait for it. */
  public readonly release: k8s.helm.v3.Release;
  /** The IAM role the controller's service account assumes. */
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: AwsLoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicluster-mesh:cluster:AwsLoadBalancerController", name, {}, opts);

    const subject = `system:serviceaccount:${LB_CONTROLLER_NAMESPACE}:${LB_CONTROLLER_SERVICE_ACCOUNT}`;
    const trust = pulumi
      .all([args.oidcProviderArn, args.oidcIssuerUrl])
      .apply(([providerArn, issuerUrl]) => renderIrsaTrustPolicy(providerArn, issuerUrl, subject));
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `AWS Load Balancer Controller of EKS cluster ${args.clusterName}`,
        assumeRolePolicy: trust,
        tags: { ...args.tags },
      },
      { parent: this },
    );

    const document = pulumi.all([args.partition, args.accountId, args.vpcId]).apply(([partition, accountId, vpcId]) =>
      renderLoadBalancerControllerPolicy({
        partition,
        accountId,
        vpcId,
        region: args.region,
        clusterName: args.clusterName,
      }),
    );
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      { description: `NLB management for EKS cluster ${args.clusterName}`, policy: document, tags: { ...args.tags } },
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
        name: LB_CONTROLLER_CHART,
        chart: LB_CONTROLLER_CHART,
        version: LB_CONTROLLER_CHART_VERSION,
        repositoryOpts: { repo: LB_CONTROLLER_CHART_REPOSITORY },
        namespace: LB_CONTROLLER_NAMESPACE,
        values: {
          clusterName: args.clusterName,
          region: args.region,
          vpcId: args.vpcId,
          serviceAccount: {
            create: true,
            name: LB_CONTROLLER_SERVICE_ACCOUNT,
            annotations: { "eks.amazonaws.com/role-arn": role.arn },
          },
        },
      },
      { parent: this, provider: args.k8sProvider, dependsOn: [...args.nodeGroups, attachment] },
    );
    this.roleArn = role.arn;

    this.registerOutputs({ roleArn: this.roleArn, release: this.release });
  }
}

/** The trust policy of an IAM role for one Kubernetes service account (IRSA). */
export function renderIrsaTrustPolicy(oidcProviderArn: string, issuerUrl: string, subject: string): string {
  const issuer = issuerUrl.replace(/^https:\/\//, "");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuer}:sub`]: subject, [`${issuer}:aud`]: "sts.amazonaws.com" } },
      },
    ],
  });
}
