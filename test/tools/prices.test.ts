import { describe, expect, it } from "vitest";
import { attributeResources } from "../../tools/attribution";
import type { RecordedResource } from "../../tools/mock-runtime";
import {
  countFixedParts,
  estimateMonthlyCost,
  type FixedPart,
  formatUnitPrice,
  formatUsd,
  HOURS_PER_MONTH,
  microUsdPerHour,
  type Placement,
  PRICES,
  PRICES_CHECKED_ON,
} from "../../tools/prices";
import { CLUSTERS, summaryDocument } from "./summary-fixture";

function resource(type: string, name: string, inputs: Record<string, unknown> = {}): RecordedResource {
  return {
    urn: `urn:pulumi:dev::p::${type}::${name}`,
    type,
    name,
    parent: null,
    provider: null,
    protect: false,
    dependsOn: [],
    inputs,
  };
}

describe("the price table", () => {
  it("is dated and documents every price with a source and what it excludes", () => {
    expect(PRICES_CHECKED_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(HOURS_PER_MONTH).toBe(730);
    for (const price of Object.values(PRICES)) {
      expect(price.source).toMatch(/^https:\/\//);
      expect(price.note.length).toBeGreaterThan(10);
      expect(Number.isInteger(price.microUsdPerHour)).toBe(true);
    }
    expect(PRICES["eks-control-plane"].microUsdPerHour).toBe(100_000);
    expect(PRICES["gke-cluster-fee"].microUsdPerHour).toBe(100_000);
    expect(PRICES["gke-cluster-fee"].note).toContain("$74.40");
    expect(PRICES["aws-nlb"].microUsdPerHour).toBe(22_500);
    expect(PRICES["aws-nlb"].note).toContain("NLCU");
    expect(PRICES["aws-nat-gateway"].microUsdPerHour).toBe(45_000);
    expect(PRICES["aws-nat-gateway"].note).toContain("per GB");
    expect(PRICES["gcp-cloud-nat"].microUsdPerHour).toBe(1_400);
  });
});

describe("countFixedParts", () => {
  const doc = summaryDocument([]);
  const owner = attributeResources(doc.resources, [...CLUSTERS]);
  const clouds: Record<string, Placement> = {
    "aws-use1": { cluster: "aws-use1", cloud: "aws", zones: ["us-east-1a", "us-east-1b"] },
    "gcp-usc1": { cluster: "gcp-usc1", cloud: "gcp", zones: ["us-central1-a", "us-central1-b", "us-central1-c"] },
    "aws-euw1": { cluster: "aws-euw1", cloud: "aws", zones: ["eu-west-1a", "eu-west-1b"] },
  };
  const place = (r: RecordedResource): Placement => clouds[owner.get(r.urn) ?? ""] ?? {};

  it("finds control planes, load balancers, NAT gateways and public addresses by type", () => {
    const parts = countFixedParts(doc.resources, place);
    const names = (kind: FixedPart["kind"]): string[] =>
      parts.filter((p) => p.kind === kind).map((p) => doc.resources.find((r) => r.urn === p.urn)?.name ?? "?");
    expect(names("eks-control-plane")).toEqual(["aws-use1-eks", "aws-euw1-eks"]);
    expect(names("gke-cluster-fee")).toEqual(["gcp-usc1-gke"]);
    expect(names("aws-nlb")).toEqual(["dev-eastwest-aws-use1", "dev-eastwest-aws-euw1"]);
    expect(names("gcp-forwarding-rule")).toEqual(["dev-eastwest-gcp-usc1"]);
    expect(names("aws-nat-gateway")).toEqual(["aws-use1-nat-us-east-1a", "aws-use1-nat-us-east-1b", "aws-euw1-nat"]);
    expect(names("public-ipv4")).toEqual(["aws-use1-nat-us-east-1a", "aws-use1-nat-us-east-1b", "aws-euw1-nat"]);
    // 1 per zone × 3 node locations + a total minimum of 2; the removed default pool does not count.
    expect(parts.filter((p) => p.kind === "gcp-cloud-nat")).toEqual([expect.objectContaining({ quantity: 5 })]);
  });

  it("counts only the VMs Cloud NAT serves: private node pools of the NAT's cluster", () => {
    const gke = (type: string, name: string, inputs: Record<string, unknown> = {}): RecordedResource =>
      resource(type, name, inputs);
    const parts = countFixedParts(
      [
        gke("gcp:compute/routerNat:RouterNat", "g1-nat"),
        gke("gcp:container/cluster:Cluster", "g1-cluster", { removeDefaultNodePool: true, initialNodeCount: 1 }),
        gke("gcp:container/nodePool:NodePool", "g1-nodes", {
          initialNodeCount: 2,
          nodeLocations: ["z-a", "z-b", "z-c"],
        }),
        gke("gcp:container/nodePool:NodePool", "g1-gateways", {
          nodeCount: 1,
          nodeLocations: ["z-a", "z-b"],
          networkConfig: { enablePrivateNodes: false },
        }),
        gke("gcp:container/nodePool:NodePool", "g2-nodes", { nodeCount: 4 }),
      ],
      (r) => ({ cluster: r.name.slice(0, 2), cloud: "gcp", zones: ["z-a", "z-b"] }),
    );
    expect(parts.filter((p) => p.kind === "gcp-cloud-nat")).toEqual([
      { kind: "gcp-cloud-nat", urn: "urn:pulumi:dev::p::gcp:compute/routerNat:RouterNat::g1-nat", quantity: 6 },
    ]);
  });

  it("ignores what is not a fixed-price part", () => {
    const parts = countFixedParts(
      [
        resource("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application" }),
        resource("gcp:compute/address:Address", "internal", { addressType: "INTERNAL" }),
        resource("kubernetes:core/v1:Service", "svc", { spec: { type: "ClusterIP" } }),
        resource("kubernetes:helm.sh/v3:Release", "istiod", { chart: "istiod" }),
        resource("kubernetes:helm.sh/v3:Release", "gw", {
          chart: "gateway",
          values: { service: { type: "ClusterIP" } },
        }),
        // A LoadBalancer in an existing cluster of unknown cloud is not priced.
        resource("kubernetes:core/v1:Service", "lb", { spec: { type: "LoadBalancer" } }),
      ],
      () => ({ cloud: "existing" }),
    );
    expect(parts).toEqual([]);
  });

  it("counts an NLB declared directly and a gateway chart by its annotations", () => {
    const parts = countFixedParts(
      [
        resource("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" }),
        resource("kubernetes:helm.sh/v3:Release", "gw", {
          chart: "istio/gateway",
          values: { service: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "external" } } },
        }),
      ],
      () => ({}),
    );
    expect(parts.map((p) => p.kind)).toEqual(["aws-nlb", "aws-nlb"]);
  });
});

describe("estimateMonthlyCost", () => {
  it("multiplies by 730 hours exactly and rounds to the cent only when formatting", () => {
    const one = estimateMonthlyCost([{ kind: "aws-nlb", urn: "u", quantity: 1 }]);
    expect(one.lines).toEqual([
      {
        kind: "aws-nlb",
        label: "AWS Network Load Balancer",
        count: 1,
        quantity: 1,
        microUsdPerHour: 22_500,
        microUsdPerMonth: 16_425_000,
      },
    ]);
    expect(formatUsd(one.microUsdPerMonth)).toBe("$16.43");
    expect(one.checkedOn).toBe(PRICES_CHECKED_ON);
  });

  it("caps Cloud NAT at the flat rate above 32 VMs", () => {
    expect(microUsdPerHour({ kind: "gcp-cloud-nat", urn: "u", quantity: 32 })).toBe(44_800);
    expect(microUsdPerHour({ kind: "gcp-cloud-nat", urn: "u", quantity: 33 })).toBe(44_000);
    expect(microUsdPerHour({ kind: "gcp-cloud-nat", urn: "u", quantity: 0 })).toBe(0);
  });

  it("totals the synthetic fleet to the cent", () => {
    const doc = summaryDocument([]);
    const owner = attributeResources(doc.resources, [...CLUSTERS]);
    const cloudOf: Record<string, Placement> = {
      "aws-use1": { cluster: "aws-use1", cloud: "aws" },
      "gcp-usc1": { cluster: "gcp-usc1", cloud: "gcp" },
      "aws-euw1": { cluster: "aws-euw1", cloud: "aws" },
    };
    const estimate = estimateMonthlyCost(countFixedParts(doc.resources, (r) => cloudOf[owner.get(r.urn) ?? ""] ?? {}));
    // 146 + 73 + 32.85 + 18.25 + 98.55 + 5.11 + 10.95
    expect(formatUsd(estimate.microUsdPerMonth)).toBe("$384.71");
    expect(estimate.lines.map((l) => [l.kind, formatUsd(l.microUsdPerMonth)])).toEqual([
      ["eks-control-plane", "$146.00"],
      ["gke-cluster-fee", "$73.00"],
      ["aws-nlb", "$32.85"],
      ["gcp-forwarding-rule", "$18.25"],
      ["aws-nat-gateway", "$98.55"],
      ["gcp-cloud-nat", "$5.11"],
      ["public-ipv4", "$10.95"],
    ]);
  });
});

describe("formatting", () => {
  it("formats dollars with thousands separators and unit prices with their decimals", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(4_999)).toBe("$0.00");
    expect(formatUsd(5_000)).toBe("$0.01");
    expect(formatUsd(1_234_567_890)).toBe("$1,234.57");
    expect(formatUnitPrice(100_000)).toBe("$0.10");
    expect(formatUnitPrice(22_500)).toBe("$0.0225");
    expect(formatUnitPrice(1_400)).toBe("$0.0014");
    expect(formatUnitPrice(2_000_000)).toBe("$2.00");
  });
});
