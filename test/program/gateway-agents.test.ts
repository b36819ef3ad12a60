/**
 * The gateway-node agents across the shipped stacks: kubeip (static addresses) on every EKS and GKE cluster with
 * gateway nodes, the source/destination check agent on every such EKS cluster, each with its identity, and nothing of
 * either in the Istio stacks; the pool filters, IAM policies and the taints they tolerate, as planned.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GATEWAY_ADDRESS_POOL_TAG } from "../../plan/names";
import { SUBMARINER_GATEWAY_LABEL, SUBMARINER_GATEWAY_TAINT } from "../../plan/interconnect/submariner";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";
import type { PlanDocument } from "../../tools/plan-document";

type Resource = PlanDocument["resources"][number];

const STACKS = readdirSync(join(PROJECT_ROOT, "stacks"))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();
const AGENT = /kubeip|source-dest-check/;
const GATEWAY_TOLERATION = [{ key: SUBMARINER_GATEWAY_TAINT, operator: "Exists", effect: "NoSchedule" }];

async function planOf(stack: string): Promise<PlanDocument> {
  const result = await runPlanCommand(["--stack", stack, "--format", "json"]);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as PlanDocument;
}

/** The one resource named `name` (names of the agents' resources are unique across types). */
function named(plan: PlanDocument, name: string): Resource {
  const found = plan.resources.filter((x) => x.name === name);
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(`${found.length} resources named ${name}`);
  }
  return found[0];
}

interface PodSpec {
  nodeSelector: Record<string, string>;
  tolerations: unknown[];
  hostNetwork?: boolean;
  serviceAccountName: string;
  containers: { image: string; env: { name: string; value?: string }[] }[];
}

function podSpecOf(r: Resource): PodSpec {
  return (r.inputs["spec"] as { template: { spec: PodSpec } }).template.spec;
}

function envOf(r: Resource): Record<string, string | undefined> {
  return Object.fromEntries(podSpecOf(r).containers[0]?.env.map((e) => [e.name, e.value]) ?? []);
}

const plans = new Map<string, PlanDocument>();
beforeAll(async () => {
  for (const stack of STACKS) plans.set(stack, await planOf(stack));
}, 120_000);
const submariner = (): PlanDocument => plans.get("submariner") as PlanDocument;

describe("the gateway agents in the shipped stacks", () => {
  it("exist exactly on the clusters with gateway nodes: kubeip on EKS and GKE, the check agent on EKS only", () => {
    const agents = submariner()
      .resources.filter((r) => AGENT.test(r.name))
      .map((r) => `${r.type}::${r.name}`)
      .sort();
    const kubeip = (cluster: string): string[] => [
      `kubernetes:apps/v1:DaemonSet::${cluster}-kubeip-daemonset`,
      `kubernetes:core/v1:ServiceAccount::${cluster}-kubeip-sa`,
      `kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::${cluster}-kubeip-node-reader`,
      `kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::${cluster}-kubeip-node-reader-binding`,
      `kubernetes:rbac.authorization.k8s.io/v1:Role::${cluster}-kubeip-lock`,
      `kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::${cluster}-kubeip-lock-binding`,
      `multicluster-mesh:cluster:KubeipAgent::${cluster}-kubeip`,
    ];
    const aws = (cluster: string): string[] => [
      ...kubeip(cluster),
      ...["kubeip", "source-dest-check"].flatMap((agent) => [
        `aws:iam/policy:Policy::${cluster}-${agent}-policy`,
        `aws:iam/role:Role::${cluster}-${agent}-role`,
        `aws:iam/rolePolicyAttachment:RolePolicyAttachment::${cluster}-${agent}-policy-attachment`,
      ]),
      `kubernetes:apps/v1:DaemonSet::${cluster}-source-dest-check`,
      `kubernetes:core/v1:ServiceAccount::${cluster}-source-dest-check-sa`,
    ];
    const gcp = [
      ...kubeip("gcp-usw1"),
      "gcp:projects/iAMCustomRole:IAMCustomRole::gcp-usw1-kubeip-role",
      "gcp:projects/iAMMember:IAMMember::gcp-usw1-kubeip-role-member",
      "gcp:serviceaccount/account:Account::gcp-usw1-kubeip-gsa",
      "gcp:serviceaccount/iAMMember:IAMMember::gcp-usw1-kubeip-workload-identity",
    ];
    expect(agents).toEqual([...aws("aws-usw2"), ...aws("aws-cac1"), ...gcp].sort());
  });

  it.each(STACKS.filter((s) => s !== "submariner"))("are absent from the Istio stack %s", (stack) => {
    const plan = plans.get(stack) as PlanDocument;
    expect(plan.resources.filter((r) => AGENT.test(r.name) || r.type.endsWith("KubeipAgent"))).toEqual([]);
  });

  it("point kubeip at the cluster's own pool, in its own region (and project)", () => {
    expect(envOf(named(submariner(), "aws-usw2-kubeip-daemonset"))).toMatchObject({
      FILTER: `Name=tag:${GATEWAY_ADDRESS_POOL_TAG},Values=submariner-aws-usw2`,
      REGION: "us-west-2",
      RELEASE_ON_EXIT: "false",
      LEASE_NAMESPACE: "kube-system",
    });
    expect(envOf(named(submariner(), "aws-cac1-kubeip-daemonset"))["FILTER"]).toBe(
      `Name=tag:${GATEWAY_ADDRESS_POOL_TAG},Values=submariner-aws-cac1`,
    );
    expect(envOf(named(submariner(), "gcp-usw1-kubeip-daemonset"))).toMatchObject({
      FILTER: "labels.multicluster-mesh-gateway-pool=submariner-gcp-usw1",
      PROJECT: "acme-platform-data",
      REGION: "us-west1",
    });
  });

  it("scope each AWS policy to its cluster's pool and gateway instances", () => {
    const policy = (name: string): string => String(named(submariner(), name).inputs["policy"]);
    expect(policy("aws-cac1-kubeip-policy")).toContain(
      '"Condition":{"StringEquals":{"aws:ResourceTag/multicluster-mesh/gateway-pool":"submariner-aws-cac1"}}',
    );
    expect(policy("aws-cac1-kubeip-policy")).toContain('"aws:ResourceTag/Name":"submariner-aws-cac1-gateway"');
    expect(policy("aws-cac1-source-dest-check-policy")).toContain(
      '"Resource":"arn:aws:ec2:ca-central-1:123456789012:network-interface/*","Condition":{"StringEquals":{"aws:ResourceTag/Name":"submariner-aws-cac1-gateway"}}',
    );
    const template = named(submariner(), "aws-cac1-gateway-lt").inputs["tagSpecifications"] as {
      resourceType: string;
      tags: Record<string, string>;
    }[];
    expect(template.map((t) => [t.resourceType, t.tags["Name"]])).toEqual([
      ["instance", "submariner-aws-cac1-gateway"],
      ["volume", "submariner-aws-cac1-gateway"],
      ["network-interface", "submariner-aws-cac1-gateway"],
    ]);
  });

  it("bind each agent's ServiceAccount to its own cloud identity", () => {
    const role = (name: string): string => String(named(submariner(), name).inputs["assumeRolePolicy"]);
    expect(role("aws-usw2-kubeip-role")).toContain('"system:serviceaccount:kube-system:kubeip"');
    expect(role("aws-usw2-source-dest-check-role")).toContain(
      '"system:serviceaccount:kube-system:gateway-source-dest-check"',
    );
    const annotations = (name: string): unknown =>
      (named(submariner(), name).inputs["metadata"] as { annotations: unknown }).annotations;
    expect(annotations("aws-usw2-kubeip-sa")).toEqual({
      "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/aws-usw2-kubeip-role",
    });
    expect(annotations("gcp-usw1-kubeip-sa")).toEqual({
      "iam.gke.io/gcp-service-account": expect.stringMatching(
        /^kubeip-[0-9a-f]{6}@acme-platform-data\.iam\.gserviceaccount\.com$/,
      ),
    });
    expect(named(submariner(), "gcp-usw1-kubeip-workload-identity").inputs).toMatchObject({
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:acme-platform-data.svc.id.goog[kube-system/kubeip]",
    });
  });
});

describe("the taints on gateway nodes and who tolerates them", () => {
  const DAEMONSETS = [
    "aws-usw2-kubeip-daemonset",
    "aws-cac1-kubeip-daemonset",
    "gcp-usw1-kubeip-daemonset",
    "aws-usw2-source-dest-check",
    "aws-cac1-source-dest-check",
  ];

  it("gateway nodes carry the gateway taint alone (the Submariner gateway tolerates every taint, so none can hold it back)", () => {
    const eks = submariner().resources.filter(
      (r) => /^aws-(usw2|cac1)-gateway-/.test(r.name) && r.type === "aws:eks/nodeGroup:NodeGroup",
    );
    expect(eks).toHaveLength(4);
    for (const group of eks) {
      expect(group.inputs["taints"], group.name).toEqual([{ key: SUBMARINER_GATEWAY_TAINT, effect: "NO_SCHEDULE" }]);
    }
    const gke = named(submariner(), "gcp-usw1-gateways").inputs["nodeConfig"] as { taints: unknown };
    expect(gke.taints).toEqual([{ key: SUBMARINER_GATEWAY_TAINT, value: "true", effect: "NO_SCHEDULE" }]);
  });

  it.each(DAEMONSETS)("%s runs on gateway nodes only and tolerates exactly the gateway taint", (name) => {
    const spec = podSpecOf(named(submariner(), name));
    expect(spec.nodeSelector).toEqual({ [SUBMARINER_GATEWAY_LABEL]: "true" });
    expect(spec.tolerations).toEqual(GATEWAY_TOLERATION);
  });

  it("kubeip removes no taint and may not patch nodes", () => {
    for (const name of DAEMONSETS.filter((n) => n.includes("kubeip"))) {
      expect(envOf(named(submariner(), name)), name).not.toHaveProperty("TAINT_KEY");
    }
    expect(named(submariner(), "aws-usw2-kubeip-node-reader").inputs["rules"]).toEqual([
      { apiGroups: [""], resources: ["nodes"], verbs: ["get"] },
    ]);
    expect(named(submariner(), "aws-usw2-kubeip-lock").inputs["rules"]).toEqual([
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
      {
        apiGroups: ["coordination.k8s.io"],
        resources: ["leases"],
        resourceNames: ["kubeip-lock"],
        verbs: ["get", "update", "delete"],
      },
    ]);
  });

  it("the check agent uses the node's network and the node's address", () => {
    const ds = named(submariner(), "aws-usw2-source-dest-check");
    expect(podSpecOf(ds).hostNetwork).toBe(true);
    expect(podSpecOf(ds).containers[0]?.image).toBe("amazon/aws-cli:2.36.7");
    expect(envOf(ds)).toMatchObject({ GATEWAY_NAME: "submariner-aws-usw2-gateway", AWS_REGION: "us-west-2" });
    expect(podSpecOf(ds).containers[0]?.env[0]).toEqual({
      name: "HOST_IP",
      valueFrom: { fieldRef: { fieldPath: "status.hostIP" } },
    });
  });

  it("the agents start after the gateway nodes and their permissions, and the Submariner operator after the agents", () => {
    const urn = (name: string): string => named(submariner(), name).urn;
    const kubeip = named(submariner(), "aws-usw2-kubeip-daemonset");
    expect(kubeip.dependsOn).toEqual(
      expect.arrayContaining([
        urn("aws-usw2-gateway-us-west-2a"),
        urn("aws-usw2-gateway-us-west-2b"),
        urn("aws-usw2-kubeip-policy-attachment"),
      ]),
    );
    expect(named(submariner(), "gcp-usw1-kubeip-daemonset").dependsOn).toEqual(
      expect.arrayContaining([urn("gcp-usw1-gateways"), urn("gcp-usw1-kubeip-role-member")]),
    );
    for (const cluster of ["aws-usw2", "aws-cac1", "gcp-usw1"]) {
      const r = named(submariner(), `submariner-join-${cluster}-operator`);
      const agents = submariner().resources.filter(
        (x) => x.type === "kubernetes:apps/v1:DaemonSet" && x.name.startsWith(`${cluster}-`),
      );
      expect(agents.length, r.name).toBeGreaterThan(0);
      expect(r.dependsOn, r.name).toEqual(expect.arrayContaining(agents.map((a) => a.urn)));
    }
  });
});
