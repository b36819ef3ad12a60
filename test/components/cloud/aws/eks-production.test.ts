/**
 * EksCluster's production settings under mocks: Secrets envelope encryption, control-plane log retention,
 * metrics-server, the Cluster Autoscaler and the node group's ignored desired size; and each switched off.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { EksCluster } from "../../../../components/cloud/aws/eks-cluster";
import { checkFleetConfig } from "../../../../plan/spec";
import { renderIssue } from "../../../../plan/issues";
import { byName, byType, type MockRun, runUnderMocks } from "../../../../tools/mock-runtime";
import { clusterInput } from "../../../support/fixtures";
import { eksArgs, fleet, PHYSICAL, policyOf } from "./eks-support";

/** Builds one EKS cluster and records every node group's ignoreChanges. */
async function build(
  settings: Record<string, unknown> = {},
): Promise<{ run: MockRun; ignored: Map<string, string[]> }> {
  const ignored = new Map<string, string[]>();
  const run = await runUnderMocks(
    () => {
      pulumi.runtime.registerStackTransformation((a) => {
        if (a.type === "aws:eks/nodeGroup:NodeGroup") {
          ignored.set(a.name, [...(a.opts.ignoreChanges ?? [])]);
        }
        return undefined;
      });
      const args = eksArgs(fleet("istio", { aws: settings }));
      const provider = new aws.Provider(`${args.cluster.name}-aws`, { region: args.cluster.region });
      new EksCluster(args.cluster.name, args, { provider });
      return {};
    },
    { project: "multicluster-mesh", stack: "test" },
  );
  return { run, ignored };
}

describe("EksCluster production settings (defaults)", () => {
  let run: MockRun;
  let ignored: Map<string, string[]>;
  beforeAll(async () => {
    ({ run, ignored } = await build());
  });

  it("envelope-encrypts Secrets with a rotated KMS key of its own", () => {
    const key = byName(run, "aws-c0-secrets-key");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(byName(run, "aws-c0-cluster").inputs["encryptionConfig"]).toEqual({
      provider: { keyArn: expect.stringContaining("aws-c0-secrets-key") },
      resources: ["secrets"],
    });
  });

  it("creates the control-plane log group with 90 days' retention before the cluster", () => {
    expect(byName(run, "aws-c0-logs").inputs).toMatchObject({
      name: `/aws/eks/${PHYSICAL}/cluster`,
      retentionInDays: 90,
    });
    expect(byName(run, "aws-c0-cluster").dependsOn).toContain(byName(run, "aws-c0-logs").urn);
  });

  it("installs metrics-server 3.13.1 after the node groups", () => {
    const ms = byName(run, "aws-c0-metrics-server");
    expect(ms.inputs).toMatchObject({
      name: "metrics-server",
      chart: "metrics-server",
      version: "3.13.1",
      namespace: "kube-system",
      repositoryOpts: { repo: "https://kubernetes-sigs.github.io/metrics-server/" },
    });
    expect(ms.dependsOn).toEqual([byName(run, "aws-c0-nodes").urn]);
    expect(ms.provider).toBe(byName(run, "aws-c0-k8s").urn);
  });

  it("installs the Cluster Autoscaler: auto-discovery by cluster name, region, the image of the cluster's minor, IRSA", () => {
    const release = byName(run, "aws-c0-cluster-autoscaler-release");
    expect(release.inputs).toMatchObject({
      chart: "cluster-autoscaler",
      version: "9.59.0",
      namespace: "kube-system",
      repositoryOpts: { repo: "https://kubernetes.github.io/autoscaler" },
      values: {
        cloudProvider: "aws",
        awsRegion: "us-east-1",
        autoDiscovery: { clusterName: PHYSICAL },
        image: { repository: "registry.k8s.io/autoscaling/cluster-autoscaler", tag: "v1.35.2" },
        rbac: { serviceAccount: { create: true, name: "cluster-autoscaler" } },
      },
    });
    expect(release.dependsOn).toEqual([
      byName(run, "aws-c0-nodes").urn,
      byName(run, "aws-c0-cluster-autoscaler-policy-attachment").urn,
    ]);
    const trust = policyOf(byName(run, "aws-c0-cluster-autoscaler-role"), "assumeRolePolicy").Statement as {
      Condition: { StringEquals: Record<string, string> };
    }[];
    expect(Object.values(trust[0]?.Condition.StringEquals ?? {})).toContain(
      "system:serviceaccount:kube-system:cluster-autoscaler",
    );
  });

  it("lets the autoscaler scale only this cluster's Auto Scaling groups", () => {
    const statements = policyOf(byName(run, "aws-c0-cluster-autoscaler-policy"), "policy").Statement as {
      Action: string[];
      Condition?: unknown;
    }[];
    expect(statements[1]).toEqual({
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${PHYSICAL}`]: "owned" } },
    });
    expect(statements[0]?.Condition).toBeUndefined();
    expect(statements[0]?.Action).toContain("eks:DescribeNodegroup");
  });

  it("keeps the node group's desired size out of later updates (the autoscaler owns it)", () => {
    expect(ignored.get("aws-c0-nodes")).toEqual(["scalingConfig.desiredSize"]);
  });
});

describe("EksCluster production settings switched off", () => {
  it("no key, no autoscaler, desired size managed again, the retention as set", async () => {
    const { run, ignored } = await build({ secretsEncryption: false, clusterAutoscaler: false, logRetentionDays: 30 });
    expect(byType(run, "aws:kms/key:Key")).toEqual([]);
    expect(byName(run, "aws-c0-cluster").inputs).not.toHaveProperty("encryptionConfig");
    expect(run.resources.filter((r) => r.name.startsWith("aws-c0-cluster-autoscaler"))).toEqual([]);
    expect(ignored.get("aws-c0-nodes")).toEqual([]);
    expect(byName(run, "aws-c0-logs").inputs["retentionInDays"]).toBe(30);
    expect(byName(run, "aws-c0-metrics-server").type).toBe("kubernetes:helm.sh/v3:Release");
  });
});

describe("aws section of the stack config", () => {
  const problems = (aws: Record<string, unknown>, kubernetesVersion = "1.33"): string[] =>
    checkFleetConfig({ mesh: "istio", clusters: [clusterInput(0, { aws, kubernetesVersion })] }, "dev").map(
      renderIssue,
    );

  it("refuses a retention CloudWatch does not offer", () => {
    expect(problems({ logRetentionDays: 100 })).toEqual([
      "multicluster-mesh:clusters[0].aws.logRetentionDays: not a CloudWatch retention period (100) — use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ]);
  });

  it("refuses a Kubernetes version without a pinned autoscaler, unless the autoscaler is off", () => {
    // 1.29 is also out of EKS standard support; only the autoscaler's own problem goes when the autoscaler is off.
    const unsupported =
      'multicluster-mesh:clusters[0].kubernetesVersion: EKS standard support does not offer this version (table of 2026-11-29) ("1.29") — use one of: 1.34, 1.35';
    expect(problems({}, "1.29")).toEqual([
      unsupported,
      'multicluster-mesh:clusters[0].kubernetesVersion: no Cluster Autoscaler release is pinned for this Kubernetes version ("1.29") — use one of 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, or set clusters[0].aws.clusterAutoscaler: false',
    ]);
    expect(problems({ clusterAutoscaler: false }, "1.29")).toEqual([unsupported]);
  });
});
