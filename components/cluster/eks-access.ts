/**
 * Who administers an EKS cluster: EKS access entries (authentication mode API) with the AmazonEKSClusterAdminPolicy
 * access policy, cluster-wide, for
 * - the deploying identity (the one Pulumi's Kubernetes provider authenticates as), and
 * - every principal in `clusters[i].aws.adminPrincipalArns`.
 *
 * The deploying identity is `clusters[i].aws.assumeRoleArn` when set (the aws provider assumes it, and so does the
 * kubeconfig). Otherwise it is the caller's IAM identity: `aws.getCallerIdentity` answers with the STS session ARN
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), which EKS does not accept, so
 * `aws.iam.getSessionContext` resolves it to the role's IAM ARN, path included (SSO roles live under a path that
 * the session ARN drops). We manage this entry ourselves rather than use `bootstrapClusterCreatorAdminPermissions`:
 * the bootstrap entry is invisible to Pulumi, fixed at creation and cannot follow a change of deployer.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ClusterAdminsArgs {
  /** The EKS cluster's name output (so the entries wait for the cluster). */
  readonly clusterName: pulumi.Input<string>;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: pulumi.Input<string>;
  /** The caller's ARN (`aws.getCallerIdentity`): an STS session ARN for roles. */
  readonly callerArn: pulumi.Input<string>;
  /** The role the aws provider assumes for this cluster, if any: it is the deploying identity. */
  readonly assumeRoleArn?: string;
  /** Further IAM principals granted cluster-admin. */
  readonly adminPrincipalArns: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface ClusterAdmins {
  /** The deploying identity's admin policy association: the cluster's Kubernetes provider waits for it. */
  readonly deployer: aws.eks.AccessPolicyAssociation;
  /** The IAM ARN the deploying identity's entry was made for. */
  readonly deployerArn: pulumi.Output<string>;
}

/** Creates the access entries and policy associations, as children of `parent`, named `${name}-access-<key>`. */
export function createClusterAdmins(name: string, args: ClusterAdminsArgs, parent: pulumi.Resource): ClusterAdmins {
  const deployerArn =
    args.assumeRoleArn !== undefined
      ? pulumi.output(args.assumeRoleArn)
      : aws.iam.getSessionContextOutput({ arn: args.callerArn }, { parent }).issuerArn;
  const deployer = grantClusterAdmin(`${name}-access-deployer`, deployerArn, args, parent);

  const others = [...new Set(args.adminPrincipalArns)].filter((arn) => arn !== args.assumeRoleArn);
  for (const arn of others) {
    grantClusterAdmin(`${name}-access-${principalKey(arn)}`, arn, args, parent);
  }
  return { deployer, deployerArn };
}

/**
 * A stable, readable resource-name key for an IAM principal ARN: `<account>-<type>-<path and name>`,
 * e.g. `arn:aws:iam::123456789012:role/ops/admins` → `123456789012-role-ops-admins`.
 */
export function principalKey(arn: string): string {
  const [, , , , account = "", resource = ""] = arn.split(":");
  return `${account}-${resource}`.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-+$/, "");
}

function grantClusterAdmin(
  resourceName: string,
  principalArn: pulumi.Input<string>,
  args: ClusterAdminsArgs,
  parent: pulumi.Resource,
): aws.eks.AccessPolicyAssociation {
  const entry = new aws.eks.AccessEntry(
    resourceName,
    { clusterName: args.clusterName, principalArn, type: "STANDARD", tags: { ...args.tags } },
    { parent },
  );
  return new aws.eks.AccessPolicyAssociation(
    `${resourceName}-admin`,
    {
      clusterName: entry.clusterName,
      principalArn: entry.principalArn,
      policyArn: pulumi.interpolate`arn:${args.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: "cluster" },
    },
    { parent },
  );
}
