/**
 * EC2's security-group rule quota, checked before anything is built, and the count it checks against what the EKS
 * components actually register.
 */
import { describe, expect, it } from "vitest";
import { checkFleet } from "../../../plan";
import {
  gatewayAddressCount,
  SECURITY_GROUP_RULES_CEILING,
  SECURITY_GROUP_RULES_DEFAULT,
  securityGroupRules,
} from "../../../plan/cloud/aws-quotas";
import { renderIssue, SpecError } from "../../../plan/issues";
import { type ClusterSpec, type FleetSpec, parseFleetSpec } from "../../../plan/spec";
import { fleetProgram } from "../../../program";
import { runUnderMocks } from "../../../tools/mock-runtime";
import { syntheticFleetConfig } from "../../../tools/synthetic-fleet";
import { clusterInput, requirementsOf, specFrom } from "../../support/fixtures";

function clusterNamed(spec: FleetSpec, name: string): ClusterSpec {
  const found = spec.clusters.find((c) => c.name === name);
  if (found === undefined) {
    throw new Error(`no cluster ${name}`);
  }
  return found;
}

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

  it("counts EKS's own rule, the node ports and the peer ranges in the cluster group, ports × peer addresses in the gateway group", () => {
    const spec = submariner(4);
    const needs = requirementsOf(spec, "aws-00");
    // Three tunnel peers with pools of 3 (two gateway nodes and a spare).
    expect(needs.tunnelPeers).toEqual(["aws-02", "gcp-01", "gcp-03"]);
    expect(needs.tunnelPeers.map((p) => gatewayAddressCount(clusterNamed(spec, p), requirementsOf(spec, p)))).toEqual([
      3, 3, 3,
    ]);
    expect(securityGroupRules(needs, 9)).toEqual([
      {
        group: "cluster",
        total: 8,
        parts: ["1 of EKS's own", "1 for the mesh's ports", "6 for peers' ranges (a prefix list counts its entries)"],
      },
      {
        group: "gateway",
        total: 39,
        parts: [
          "4 tunnel ports × 9 peer gateway addresses (a prefix list counts its entries)",
          "3 for AH from private ranges",
        ],
      },
    ]);
  });

  it("counts an existing peer's declared gateway addresses, not a pool", () => {
    const spec = specFrom({
      mesh: "submariner",
      clusters: [
        clusterInput(0),
        {
          name: "dc-1",
          cloud: "existing",
          region: "eu-west-1",
          zones: ["eu-west-1a"],
          slot: 1,
          cidrs: { nodes: "10.1.0.0/20", pods: "10.1.128.0/17", services: "10.1.16.0/20" },
          existing: {
            kubeconfig: "/dev/null",
            endpoint: "https://dc-1.example.com",
            gatewayAddresses: ["203.0.113.7/32"],
          },
        },
      ],
    });
    expect(gatewayAddressCount(clusterNamed(spec, "dc-1"), requirementsOf(spec, "dc-1"))).toBe(1);
    expect(gatewayAddressCount(clusterNamed(spec, "aws-c0"), requirementsOf(spec, "aws-c0"))).toBe(3);
  });

  it("accepts a Submariner fleet up to what the default quota holds and refuses the next size, naming the key", () => {
    // Gateway group: 4 ports × 3 addresses × (n − 1) peers + 3 AH ≤ 60 → n ≤ 5.
    expect(checkFleet(submariner(5))).toEqual([]);
    const issues = checkFleet(submariner(6));
    expect(issues).toHaveLength(3); // every EKS cluster of the 6 (even slots)
    expect(renderIssue(issues[0] as (typeof issues)[number])).toBe(
      'multicluster-mesh:clusters[0].aws.securityGroupRulesQuota: the gateway security group of EKS cluster aws-00 needs 63 inbound rules (4 tunnel ports × 15 peer gateway addresses (a prefix list counts its entries), 3 for AH from private ranges), more than the quota (60) — raise "Inbound or outbound rules per security group" (Service Quotas L-0EA8095F) in us-east-1 to at least 63 and set this key to the new quota, or split the fleet into smaller environments',
    );
    expect(checkFleet(submariner(6, 63))).toEqual([]);
  });

  it("says no quota helps beyond EC2's ceiling: 84 clusters fit in 1000 rules, 85 do not", () => {
    expect(checkFleet(submariner(84, SECURITY_GROUP_RULES_CEILING))).toEqual([]);
    const issues = checkFleet(submariner(85, SECURITY_GROUP_RULES_CEILING));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.message).toContain("needs 1011 inbound rules");
    expect(issues[0]?.fix).toBe(
      "no quota holds 1011 rules (EC2's ceiling is 1000): split the fleet into smaller environments",
    );
  });

  it("counts exactly the rules the EKS components register, in every group of every EKS cluster", async () => {
    const spec = submariner(6, 100);
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
      const needs = requirementsOf(spec, c.name);
      const addresses = needs.tunnelPeers.reduce(
        (n, p) => n + gatewayAddressCount(clusterNamed(spec, p), requirementsOf(spec, p)),
        0,
      );
      const counted = Object.fromEntries(securityGroupRules(needs, addresses).map((g) => [g.group, g.total]));
      expect(counted, c.name).toEqual(registered);
    }
  }, 60_000);
});
