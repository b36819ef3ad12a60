/**
 * What the EKS control plane needs before it exists:
 * - `secrets-key`: the KMS key that envelope-encrypts the cluster's Kubernetes Secrets (cacerts, remote-secret tokens),
 *   symmetric, in the cluster's region, rotated yearly by KMS; protected with the cluster;
 * - `logs`: the control-plane log group `/aws/eks/<cluster>/cluster` with a retention period. EKS creates it itself,
 *   never expiring, when it is missing, so it must exist before the cluster (the cluster depends on it).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Days KMS waits before deleting a scheduled key (the maximum: a mistaken deletion can still be cancelled). */
export const KEY_DELETION_WINDOW_DAYS = 30;

/** The control-plane log group's name, fixed by EKS. */
export function controlPlaneLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}

export function createSecretsKey(
  name: string,
  args: { clusterName: string; protect: boolean; tags: Readonly<Record<string, string>> },
  parent: pulumi.Resource,
): aws.kms.Key {
  return new aws.kms.Key(
    `${name}-secrets-key`,
    {
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${args.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
      tags: { ...args.tags },
    },
    { parent, ...(args.protect ? { protect: true } : {}) },
  );
}

export function createControlPlaneLogGroup(
  name: string,
  args: { clusterName: string; retentionInDays: number; tags: Readonly<Record<string, string>> },
  parent: pulumi.Resource,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    {
      name: controlPlaneLogGroupName(args.clusterName),
      retentionInDays: args.retentionInDays,
      tags: { ...args.tags },
    },
    { parent },
  );
}
