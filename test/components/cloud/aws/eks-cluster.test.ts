/**
 * EksCluster with mesh: istio, under mocks: the exact children, their key inputs, parents, providers and ordering,
 * and the MeshCluster contract it hands to the mesh.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import type * as MockAnswers from "../../../../tools/mock-answers";
import { MOCK_ACCOUNT_ID } from "../../../../tools/mock-answers";
import { byName, byType, SECRET, type MockRun, type RecordedResource } from "../../../../tools/mock-runtime";
import {
  AWS_PROVIDER,
  buildEks,
  CLUSTER,
  clusterSecurityGroupId,
  fleet,
  mockState,
  PHYSICAL,
  policyOf,
  SERVICES_CIDR,
  ZONES,
} from "./eks-support";

// Records every invoke the program makes, to show none depends on who runs it.
const invoked = vi.hoisted(() => [] as string[]);
vi.mock("../../../../tools/mock-answers", async (importOriginal) => {
  const original = await importOriginal<typeof MockAnswers>();
  return {
    ...original,
    answerInvoke: (...args: Parameters<typeof original.answerInvoke>) => {
      invoked.push(args[0]);
      return original.answerInvoke(...args);
    },
  };
});

const ADMIN = "arn:aws:iam::123456789012:role/platform/admins";
let run: MockRun;

beforeAll(async () => {
  run = await buildEks(fleet("istio", { aws: { adminPrincipalArns: [ADMIN] } }));
});

const urnOf = (name: string): string => byName(run, name).urn;

describe("EksCluster (istio)", () => {
  it("creates exactly these resources", () => {
    const got = run.resources.map((r) => `${r.type} ${r.name}`).sort();
    expect(got).toEqual(
      [
        "pulumi:pulumi:Stack multicluster-mesh-test",
        "pulumi:providers:aws aws-c0-aws",
        "multicluster-mesh:cluster:EksCluster aws-c0",
        "aws:iam/role:Role aws-c0-cluster-role",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-c0-cluster-role-eks",
        "aws:eks/cluster:Cluster aws-c0-cluster",
        "aws:eks/accessEntry:AccessEntry aws-c0-access-123456789012-role-platform-admins",
        "aws:eks/accessPolicyAssociation:AccessPolicyAssociation aws-c0-access-123456789012-role-platform-admins-admin",
        "aws:iam/openIdConnectProvider:OpenIdConnectProvider aws-c0-oidc",
        "aws:iam/role:Role aws-c0-node-role",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-c0-node-role-worker",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-c0-node-role-cni",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-c0-node-role-ecr",
        "aws:eks/nodeGroup:NodeGroup aws-c0-nodes",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule aws-c0-sg-istiod-webhook",
        "pulumi:providers:kubernetes aws-c0-k8s",
        "multicluster-mesh:cluster:AwsLoadBalancerController aws-c0-lb-controller",
        "aws:iam/role:Role aws-c0-lb-controller-role",
        "aws:iam/policy:Policy aws-c0-lb-controller-policy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-c0-lb-controller-policy-attachment",
        "kubernetes:helm.sh/v3:Release aws-c0-lb-controller-release",
        "aws:kms/key:Key aws-c0-secrets-key",
        "aws:cloudwatch/logGroup:LogGroup aws-c0-logs",
        "kubernetes:helm.sh/v3:Release aws-c0-metrics-server",
        "multicluster-mesh:cluster:ClusterAutoscaler aws-c0-cluster-autoscaler",
        "aws:iam/role:Role aws-c0-cluster-autoscaler-role",
        "aws:iam/policy:Policy aws-c0-cluster-autoscaler-policy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment aws-c0-cluster-autoscaler-policy-attachment",
        "kubernetes:helm.sh/v3:Release aws-c0-cluster-autoscaler-release",
      ].sort(),
    );
  });

  it("parents every child on the component, and the controller's and autoscaler's children on them", () => {
    const top = urnOf(CLUSTER);
    const controller = urnOf("aws-c0-lb-controller");
    const autoscaler = urnOf("aws-c0-cluster-autoscaler");
    expect(byName(run, CLUSTER).type).toBe("multicluster-mesh:cluster:EksCluster");
    for (const r of run.resources) {
      if (r.name.startsWith("aws-c0-lb-controller-")) {
        expect(r.parent, r.name).toBe(controller);
      } else if (r.name.startsWith("aws-c0-cluster-autoscaler-")) {
        expect(r.parent, r.name).toBe(autoscaler);
      } else if (r.name.startsWith("aws-c0-") && r.name !== "aws-c0-aws") {
        expect(r.parent, r.name).toBe(top);
      }
    }
  });

  it("resolves every AWS child, nested ones included, to the aws provider from opts.provider", () => {
    const awsChildren = run.resources.filter((r) => r.type.startsWith("aws:"));
    const provider = byName(run, AWS_PROVIDER);
    expect(provider.type).toBe("pulumi:providers:aws");
    expect(awsChildren).toHaveLength(20);
    for (const r of awsChildren) {
      expect(r.provider, r.name).toBe(provider.urn);
    }
    expect(byName(run, "aws-c0-lb-controller-release").provider).toBe(urnOf("aws-c0-k8s"));
  });

  it("builds the control plane, named <environment>-<cluster>, in the private subnets with the planned service range and every log type", () => {
    const eks = byName(run, "aws-c0-cluster");
    expect(eks.inputs).toMatchObject({
      name: PHYSICAL,
      version: "1.35",
      roleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-c0-cluster-role`,
      kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: SERVICES_CIDR },
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
      vpcConfig: {
        subnetIds: ZONES.map((z) => `subnet-private-${z}`),
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
      },
      tags: { team: "platform", "multicluster-mesh/environment": "test", "multicluster-mesh/cluster": CLUSTER },
    });
    expect(eks.dependsOn).toEqual([urnOf("aws-c0-cluster-role-eks"), urnOf("aws-c0-logs")]);
    expect(policyOf(byName(run, "aws-c0-cluster-role"), "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(byName(run, "aws-c0-cluster-role-eks").inputs).toEqual({
      role: "aws-c0-cluster-role",
      policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    });
  });

  it("scales one node group over every zone's private subnet, with the zones tag", () => {
    const nodes = byName(run, "aws-c0-nodes");
    expect(nodes.inputs).toMatchObject({
      clusterName: PHYSICAL,
      version: "1.35",
      nodeRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-c0-node-role`,
      subnetIds: ZONES.map((z) => `subnet-private-${z}`),
      instanceTypes: ["m6i.large"],
      diskSize: 50,
      scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 9 },
      tags: { "multicluster-mesh/zones": ZONES.join(","), "multicluster-mesh/cluster": CLUSTER, team: "platform" },
    });
    expect(nodes.inputs).not.toHaveProperty("labels");
    expect(nodes.inputs).not.toHaveProperty("taints");
    expect(nodes.dependsOn).toEqual(["worker", "cni", "ecr"].map((k) => urnOf(`aws-c0-node-role-${k}`)));
    const policies = ["worker", "cni", "ecr"].map((k) => byName(run, `aws-c0-node-role-${k}`).inputs["policyArn"]);
    expect(policies).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    ]);
    expect(policyOf(byName(run, "aws-c0-node-role"), "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
  });

  it("opens 15017 (not 15012, which only primary-remote needs) on the cluster security group from itself, and nothing for Submariner", () => {
    const sg = clusterSecurityGroupId();
    const rules = byType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((r) => [r.name, r.inputs])).toEqual([
      [
        "aws-c0-sg-istiod-webhook",
        expect.objectContaining({
          securityGroupId: sg,
          referencedSecurityGroupId: sg,
          ipProtocol: "tcp",
          fromPort: 15017,
          toPort: 15017,
        }),
      ],
    ]);
    expect(byType(run, "aws:ec2/launchTemplate:LaunchTemplate")).toEqual([]);
    expect(byType(run, "aws:ec2/securityGroup:SecurityGroup")).toEqual([]);
  });

  it("without a deploy role, lets EKS bootstrap the creator and grants cluster-admin to each admin principal only", () => {
    const entries = byType(run, "aws:eks/accessEntry:AccessEntry");
    expect(entries.map((e) => [e.name, e.inputs["principalArn"], e.inputs["clusterName"], e.inputs["type"]])).toEqual([
      ["aws-c0-access-123456789012-role-platform-admins", ADMIN, PHYSICAL, "STANDARD"],
    ]);
    expect(
      byType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => [a.name, a.inputs]),
    ).toEqual([
      [
        "aws-c0-access-123456789012-role-platform-admins-admin",
        {
          clusterName: PHYSICAL,
          principalArn: ADMIN,
          policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
          accessScope: { type: "cluster" },
        },
      ],
    ]);
    expect(byName(run, "aws-c0-cluster").inputs["accessConfig"]).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: true,
    });
  });

  it("asks nothing about who runs the program: the only invoke is getPartition", () => {
    expect([...new Set(invoked)]).toEqual(["aws:index/getPartition:getPartition"]);
  });

  it("protects nothing when protect is false", () => {
    expect(run.resources.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
    expect(byName(run, "aws-c0-cluster").inputs["deletionProtection"]).toBe(false);
  });

  it("registers the OIDC provider of the cluster's issuer, and the controller's IRSA role trusts only its service account", () => {
    const issuer = String(
      (
        mockState("aws:eks/cluster:Cluster", "aws-c0-cluster").state["identities"] as { oidcs: { issuer: string }[] }[]
      )[0]?.oidcs[0]?.issuer,
    );
    expect(issuer).toMatch(/^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    expect(byName(run, "aws-c0-oidc").inputs).toMatchObject({ url: issuer, clientIdLists: ["sts.amazonaws.com"] });
    const host = issuer.replace("https://", "");
    expect(policyOf(byName(run, "aws-c0-lb-controller-role"), "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${host}` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${host}:sub`]: "system:serviceaccount:kube-system:aws-load-balancer-controller",
            [`${host}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ]);
    expect(byName(run, "aws-c0-lb-controller-policy-attachment").inputs).toEqual({
      role: "aws-c0-lb-controller-role",
      policyArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/aws-c0-lb-controller-policy`,
    });
    const vpcScoped = policyOf(byName(run, "aws-c0-lb-controller-policy")).Statement.find(
      (s) => s["Sid"] === "ManageSecurityGroupRulesInVpc",
    );
    expect(vpcScoped?.["Condition"]).toEqual({
      ArnEquals: { "ec2:Vpc": `arn:aws:ec2:us-east-1:${MOCK_ACCOUNT_ID}:vpc/vpc-0fake` },
    });
  });

  it("installs the pinned controller chart with the cluster's values, after the nodes and its permissions", () => {
    const release = byName(run, "aws-c0-lb-controller-release");
    expect(release.inputs).toMatchObject({
      name: "aws-load-balancer-controller",
      chart: "aws-load-balancer-controller",
      version: "3.5.0",
      repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
      namespace: "kube-system",
      values: {
        clusterName: PHYSICAL,
        region: "us-east-1",
        vpcId: "vpc-0fake",
        serviceAccount: {
          create: true,
          name: "aws-load-balancer-controller",
          annotations: {
            "eks.amazonaws.com/role-arn": `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-c0-lb-controller-role`,
          },
        },
      },
    });
    expect(release.dependsOn).toEqual([urnOf("aws-c0-nodes"), urnOf("aws-c0-lb-controller-policy-attachment")]);
  });

  it("scopes the controller's IAM policy to the EKS cluster's name, in the account of the cluster's ARN", () => {
    const conditions = JSON.stringify(
      policyOf(byName(run, "aws-c0-lb-controller-policy")).Statement.map((s) => s["Condition"] ?? {}),
    );
    expect(conditions).toContain(`"aws:ResourceTag/elbv2.k8s.aws/cluster":"${PHYSICAL}"`);
    expect(conditions).toContain(`"aws:RequestTag/elbv2.k8s.aws/cluster":"${PHYSICAL}"`);
    expect(conditions).not.toContain(`":"${CLUSTER}"`);
    const resources = policyOf(byName(run, "aws-c0-lb-controller-policy")).Statement.flatMap((s) => [s["Resource"]]);
    expect(resources.flat()).toContain(`arn:aws:elasticloadbalancing:us-east-1:${MOCK_ACCOUNT_ID}:targetgroup/*/*`);
  });

  it("names the Kubernetes provider <cluster>-k8s and keeps its kubeconfig secret; with bootstrap access it waits for no entry", () => {
    const provider: RecordedResource = byName(run, "aws-c0-k8s");
    expect(provider.type).toBe("pulumi:providers:kubernetes");
    expect(provider.inputs["kubeconfig"]).toBe(SECRET);
    expect(provider.dependsOn).toEqual([]);
    expect(run.outputs["kubeconfig"]).toBe(SECRET);
  });

  it("fills every MeshCluster field from the spec, the plan and the cluster's outputs", () => {
    const eks = mockState("aws:eks/cluster:Cluster", "aws-c0-cluster").state;
    const ca = (eks["certificateAuthority"] as { data: string }).data;
    const o = run.outputs;
    expect(Object.keys(o).sort()).toEqual(
      [
        "name",
        "cloud",
        "region",
        "zones",
        "network",
        "addresses",
        "endpoint",
        "caData",
        "provider",
        "ready",
        "kubeconfig",
        "kubeconfigPlain",
      ].sort(),
    );
    expect(o).toMatchObject({
      name: CLUSTER,
      cloud: "aws",
      region: "us-east-1",
      zones: [...ZONES],
      network: CLUSTER,
      addresses: { cluster: CLUSTER, services: SERVICES_CIDR },
      endpoint: eks["endpoint"],
      caData: ca,
      provider: urnOf("aws-c0-k8s"),
      ready: [urnOf("aws-c0-nodes"), urnOf("aws-c0-lb-controller-release")],
    });
    expect(String(o["endpoint"])).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/);
    expect(Buffer.from(ca, "base64").toString()).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const kubeconfig = JSON.parse(String(o["kubeconfigPlain"])) as Record<string, unknown>;
    expect(kubeconfig).toMatchObject({
      clusters: [{ name: PHYSICAL, cluster: { server: eks["endpoint"], "certificate-authority-data": ca } }],
      users: [
        {
          name: PHYSICAL,
          user: {
            exec: {
              command: "aws",
              args: ["eks", "get-token", "--cluster-name", PHYSICAL, "--region", "us-east-1", "--output", "json"],
            },
          },
        },
      ],
      "current-context": PHYSICAL,
    });
  });
});

describe("EksCluster (protect: true)", () => {
  it("protects the EKS cluster and its secrets key, nothing else", async () => {
    const deployRole = "arn:aws:iam::210987654321:role/fleet-deployer";
    const spec = fleet("submariner", { aws: { assumeRoleArn: deployRole, adminPrincipalArns: [ADMIN] } });
    const protectedRun = await buildEks(spec, undefined, true);
    expect(protectedRun.resources.filter((r) => r.protect).map((r) => `${r.type} ${r.name}`)).toEqual([
      "aws:eks/cluster:Cluster aws-c0-cluster",
      "aws:kms/key:Key aws-c0-secrets-key",
    ]);
    expect(byName(protectedRun, "aws-c0-cluster").inputs["deletionProtection"]).toBe(true);
    // Node groups, access entries and the controller release stay replaceable by config changes.
    for (const name of [
      "aws-c0-nodes",
      "aws-c0-gateway-us-east-1a",
      "aws-c0-access-deployer",
      "aws-c0-access-123456789012-role-platform-admins",
      "aws-c0-lb-controller-release",
      "aws-c0-logs",
      "aws-c0-metrics-server",
      "aws-c0-cluster-autoscaler-release",
    ]) {
      expect(byName(protectedRun, name).protect, name).toBe(false);
    }
  });
});
