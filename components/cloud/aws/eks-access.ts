/**
 * Who administers an EKS cluster: EKS access entries (authentication mode API) with the AmazonEKSClusterAdminPolicy
 * access policy, cluster-wide, for
 * - the deploy role, `clusters[i].aws.assumeRoleArn`, when set: the aws provider and the kubeconfig both assume it, so
 *   it is the identity Pulumi's Kubernetes provider authenticates as. Its entry is named `deployer`, and its ARN comes
 *   from config, so it is known at preview and the same whoever runs the program;
 * - every principal in `clusters[i].aws.adminPrincipalArns` (e.g. a CI preview role, or operators).
 *
 * Without `assumeRoleArn` there is no deployer entry: the cluster is created with
 * `bootstrapClusterCreatorAdminPermissions` and EKS itself grants the creating identity cluster-admin, once, at
 * creation (./eks-cluster.ts). Nothing here asks who runs the program: an entry derived from the caller would follow
 * every identity that previews or deploys (a CI preview role would plan to replace it on each run).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ClusterAdminsArgs {
  /** The EKS cluster's name output (so the entries wait for the cluster). */
  readonly clusterName: pulumi.Input<string>;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: pulumi.Input<string>;
  /** The role the aws provider assumes for this cluster (`aws.assumeRoleArn`), if any: it gets the deployer entry. */
  readonly assumeRoleArn?: string;
  /** Further IAM principals granted cluster-admin (a repeat of `assumeRoleArn` is granted once, as the deployer). */
  readonly adminPrincipalArns: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface ClusterAdmins {
  /**
   * The deploy role's admin policy association, when `assumeRoleArn` is set: the cluster's Kubernetes provider waits
   * for it. Unset otherwise (the creating identity's bootstrap access exists as soon as the cluster does).
   */
  readonly deployer?: aws.eks.AccessPolicyAssociation;
}

/** Creates the access entries and policy associations, as children of `parent`, named `${name}-access-<key>`. */
export function createClusterAdmins(name: string, args: ClusterAdminsArgs, parent: pulumi.Resource): ClusterAdmins {
  const deployer =
    args.assumeRoleArn !== undefined
      ? grantClusterAdmin(`${name}-access-deployer`, args.assumeRoleArn, args, parent)
      : undefined;

  const others = [...new Set(args.adminPrincipalArns)].filter((arn) => arn !== args.assumeRoleArn);
  for (const arn of others) {
    grantClusterAdmin(`${name}-access-${principalKey(arn)}`, arn, args, parent);
  }
  return deployer !== undefined ? { deployer } : {};
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
  principalArn: string,
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

/** The account id in an ARN (`arn:<partition>:<service>:<region>:<account>:<resource>`). */
export function accountOf(arn: string): string {
  const account = arn.split(":")[4];
  if (account === undefined || !/^\d{12}$/.test(account)) {
    throw new Error(`no account id in ARN ${arn}`);
  }
  return account;
}
