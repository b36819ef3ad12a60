/**
 * EC2's security-group rule quota, checked before anything is built, and the count it checks against what the EKS
 * components actually register.
 */
import { describe, expect, it } from "vitest";
import { checkFleet } from "../../../plan";
import {
  SECURITY_GROUP_RULES_CEILING,
  SECURITY_GROUP_RULES_DEFAULT,
  securityGroupRules,
} from "../../../plan/cloud/aws-quotas";
import { renderIssue, SpecError } from "../../../plan/issues";
import { parseFleetSpec } from "../../../plan/spec";
import { fleetProgram } from "../../../program";
import { runUnderMocks } from "../../../tools/mock-runtime";
import { syntheticFleetConfig } from "../../../tools/synthetic-fleet";
import { requirementsOf } from "../../support/fixtures";

/** A Submariner fleet of `n` synthetic clusters whose AWS clusters declare `quota` (undefined: the default). */
function submariner(n: number, quota?: number): ReturnType<typeof parseFleetSpec> {
  const raw = syntheticFleetConfig(n, "submariner");
  const clusters = (raw["clusters"] as Record<string, unknown>[]).map((c) =>
    c["cloud"] === "aws" ? { ...c, aws: quota === undefined ? {} : { securityGroupRulesQuota: quota } } : c,
  );
  return parseFleetSpec({ ...raw, clusters }, "quota");
}

describe("the security-group rule quota", () => {
  it("defaults to EC2's 60 and refuses more than EC2's ceiling of 1000", () => {
    expect(SECURITY_GROUP_RULES_DEFAULT).toBe(60);
    expect(submariner(2).clusters[0]?.aws?.securityGroupRulesQuota).toBe(60);
    expect(() => submariner(2, 1001)).toThrow(
      "multicluster-mesh:clusters[0].aws.securityGroupRulesQuota: aws.securityGroupRulesQuota is above 1000 (1001) — EC2 caps rules per security group × security groups per network interface at 1000; write the quota your account has",
    );
    expect(() => submariner(2, 0)).toThrow(SpecError);
  });

  it("counts EKS's own rule, the mesh's node ports and one entry per peer range in the cluster group", () => {
    const spec = submariner(4);
    const counts = securityGroupRules(requirementsOf(spec, "aws-00"));
    // 3 peers × (pods, services) = 6 list entries; VXLAN among nodes; EKS's self rule.
    expect(counts[0]).toEqual({
      group: "cluster",
      total: 8,
      parts: ["1 of EKS's own", "1 for the mesh's ports", "6 for peers' ranges (a prefix list counts its entries)"],
    });
    expect(counts.map((c) => c.group)).toEqual(["cluster", "gateway"]);
  });

  it("accepts a Submariner fleet up to what the default quota holds and refuses the next size, naming the key", () => {
    // Cluster group: 1 + 1 + 2·(n − 1) ≤ 60 → n ≤ 30.
    expect(checkFleet(submariner(30))).toEqual([]);
    const issues = checkFleet(submariner(31));
    expect(issues).toHaveLength(16); // every EKS cluster of the 31 (even slots)
    expect(renderIssue(issues[0] as (typeof issues)[number])).toBe(
      "multicluster-mesh:clusters[0].aws.securityGroupRulesQuota: the cluster security group of EKS cluster aws-00 needs 62 inbound rules (1 of EKS's own, 1 for the mesh's ports, 60 for peers' ranges (a prefix list counts its entries)), more than the quota (60) — raise \"Inbound or outbound rules per security group\" (Service Quotas L-0EA8095F) in us-east-1 to at least 62 and set this key to the new quota, or split the fleet into smaller environments",
    );
    expect(checkFleet(submariner(31, 62))).toEqual([]);
  });

  it("says no quota helps when a group would need more than EC2's ceiling", () => {
    const spec = submariner(2, SECURITY_GROUP_RULES_CEILING);
    const many = { ...requirementsOf(spec, "aws-00") };
    const peerRanges = Array.from({ length: 999 }, (_, i) => ({
      cluster: `p${i}`,
      role: "pods" as const,
      cidr: "10.0.0.0/16",
    }));
    expect(securityGroupRules({ ...many, peerRanges })[0]?.total).toBe(1001);
  });

  it("counts exactly the rules the EKS components register, in every group of every EKS cluster", async () => {
    const spec = submariner(6);
    const run = await runUnderMocks(() => fleetProgram(spec), { project: "multicluster-mesh", stack: "quota" });
    const rules = run.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    const lists = new Map(
      run.resources
        .filter((r) => r.type === "aws:ec2/managedPrefixList:ManagedPrefixList")
        .map((r) => [r.urn, r.inputs["maxEntries"] as number]),
    );
    const weight = (r: (typeof rules)[number]): number => {
      const list = r.propertyDependencies?.["prefixListId"]?.[0];
      return list === undefined ? 1 : (lists.get(list) ?? Number.NaN);
    };
    const eks = spec.clusters.filter((c) => c.cloud === "aws");
    expect(eks).toHaveLength(3);
    for (const c of eks) {
      const registered = {
        cluster: 1 + rules.filter((r) => r.name.startsWith(`${c.name}-sg-`)).reduce((n, r) => n + weight(r), 0),
        gateway: rules.filter((r) => r.name.startsWith(`${c.name}-gateway-sg-`)).reduce((n, r) => n + weight(r), 0),
      };
      const counted = Object.fromEntries(
        securityGroupRules(requirementsOf(spec, c.name)).map((g) => [g.group, g.total]),
      );
      expect(counted, c.name).toEqual(registered);
    }
  }, 60_000);
});
