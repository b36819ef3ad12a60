import { describe, expect, it } from "vitest";
import type { RecordedResource } from "../../tools/mock-runtime";
import { diffPlans, isAllowListUpdate } from "../../tools/plan-diff";

const P = "urn:pulumi:prod::multicluster-mesh::";

function res(name: string, type: string, extra: Partial<RecordedResource> = {}): RecordedResource {
  return {
    urn: `${P}${type}::${name}`,
    type,
    name,
    parent: null,
    provider: null,
    protect: false,
    dependsOn: [],
    inputs: {},
    ...extra,
  };
}

const meta = { project: "multicluster-mesh", stack: "prod", against: "base", violations: [] };

describe("diffPlans", () => {
  it("reports protect, provider and dependency changes, but not a reordered dependsOn", () => {
    const a = res("a-vpc", "aws:ec2/vpc:Vpc", { dependsOn: [`${P}x::1`, `${P}x::2`] });
    const b = res("a-nat", "aws:ec2/natGateway:NatGateway");
    const c = res("a-role", "aws:iam/role:Role", { provider: `${P}pulumi:providers:aws::a-aws` });
    const doc = diffPlans(
      { resources: [a, b, c], clusters: ["a"] },
      {
        resources: [
          { ...a, dependsOn: [`${P}x::2`, `${P}x::1`] },
          { ...b, protect: true, dependsOn: [`${P}x::3`] },
          { ...c, provider: `${P}pulumi:providers:aws::b-aws` },
        ],
        clusters: ["a"],
      },
      meta,
    );
    expect(doc.summary).toEqual({ added: 0, removed: 0, changed: 2, unchanged: 1 });
    expect(doc.resources.map((r) => [r.name, r.paths])).toEqual([
      ["a-nat", ["protect", "dependsOn"]],
      ["a-role", ["provider"]],
    ]);
    expect(doc.clusters).toEqual([
      { cluster: "a", status: "changed", added: 0, removed: 0, changed: 2 },
      { cluster: "shared", status: "unchanged", added: 0, removed: 0, changed: 0 },
    ]);
  });

  it("counts only a gateway Service's source ranges as an allow-list update", () => {
    const svc = res("prod-a-eastwest-service", "kubernetes:core/v1:Service", {
      inputs: { spec: { loadBalancerSourceRanges: ["1.1.1.1/32"], type: "LoadBalancer" } },
    });
    const grown = {
      ...svc,
      inputs: { spec: { loadBalancerSourceRanges: ["1.1.1.1/32", "2.2.2.2/32"], type: "LoadBalancer" } },
    };
    const retyped = { ...svc, inputs: { spec: { loadBalancerSourceRanges: ["1.1.1.1/32"], type: "NodePort" } } };
    const diff = (after: RecordedResource) =>
      diffPlans({ resources: [svc], clusters: ["a"] }, { resources: [after], clusters: ["a"] }, meta);
    expect(diff(grown).clusters[0]?.status).toBe("allow-list-only");
    expect(diff(retyped).clusters[0]?.status).toBe("changed");
    expect(isAllowListUpdate({ ...diff(grown).resources[0]!, type: "kubernetes:core/v1:ConfigMap" })).toBe(false);
  });

  it("a cluster gaining a resource that does not pair it with a new cluster has changed", () => {
    const doc = diffPlans(
      { resources: [res("a-vpc", "aws:ec2/vpc:Vpc")], clusters: ["a"] },
      { resources: [res("a-vpc", "aws:ec2/vpc:Vpc"), res("a-extra", "aws:ec2/eip:Eip")], clusters: ["a"] },
      meta,
    );
    expect(doc.clusters[0]).toEqual({ cluster: "a", status: "changed", added: 1, removed: 0, changed: 0 });
    expect(doc.resources[0]?.pairsWith).toBeNull();
  });
});
