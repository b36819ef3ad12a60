import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { rules } from "../../policies/rules";
import { PolicyConfigError, resolvePolicyConfig, runPolicies, violationsFor } from "../../tools/policy-runner";
import { type MockRun, runUnderMocks } from "../../tools/mock-runtime";
import { edit, istioSpec, record, urnIn } from "./support";

class Network extends pulumi.ComponentResource {
  constructor(name: string) {
    super("multicluster-mesh:network:AwsNetwork", name, {}, {});
  }
}

/**
 * A tiny program, recorded under the mock runtime: an aws provider, and under a component a subnet and a protected
 * VPC using that provider, depending on the subnet (explicitly, and through its cidrBlock), with a secret tag.
 */
function tinyProgram(): Record<string, never> {
  const provider = new aws.Provider("c1-aws", { region: "eu-west-1" });
  const parent = new Network("c1");
  const subnet = new aws.ec2.Subnet("c1-subnet", { cidrBlock: "10.0.0.0/20", vpcId: "vpc-1" }, { provider, parent });
  new aws.ec2.Vpc(
    "c1-vpc",
    { cidrBlock: subnet.cidrBlock.apply(() => "10.0.0.0/16"), tags: { owner: pulumi.secret("team") } },
    { provider, parent, protect: true, dependsOn: [subnet] },
  );
  return {};
}

/** What @pulumi/aws registers for the provider: the region, and its own defaults. */
const AWS_PROVIDER_INPUTS = { region: "eu-west-1", skipCredentialsValidation: "false", skipRegionValidation: "true" };

let tiny: MockRun;
beforeAll(async () => {
  tiny = await runUnderMocks(tinyProgram, { project: "multicluster-mesh", stack: "test" });
});
const tinyRun = (): MockRun => tiny;
const urnOf = (name: string): string => urnIn(tiny, name);

const vpcClass = { __pulumiType: "aws:ec2/vpc:Vpc" };
const subnetClass = { __pulumiType: "aws:ec2/subnet:Subnet" };

function recordingPolicy(seen: ResourceValidationArgs[]): ResourceValidationPolicy {
  return {
    name: "records",
    description: "records its arguments",
    enforcementLevel: "mandatory",
    configSchema: { properties: { limit: { type: "integer", default: 3 }, label: { type: "string" } } },
    validateResource: (args, report) => {
      seen.push(args);
      if (args.type === "aws:ec2/subnet:Subnet") {
        args.notApplicable("subnets are out of scope");
      }
      if (args.isType(vpcClass as never)) {
        report(`vpc ${args.name}`);
      }
    },
  };
}

function stackPolicy(
  name: string,
  level: StackValidationPolicy["enforcementLevel"],
  calls: PolicyResource[][] = [],
): StackValidationPolicy {
  return {
    name,
    description: name,
    enforcementLevel: level,
    validateStack: (args, report) => {
      calls.push(args.resources);
      report(`${name} ran`);
      report(`${name} on vpc`, urnOf("c1-vpc"));
    },
  };
}

describe("resource policies", () => {
  it("see type, recorded inputs (secrets stay opaque), urn, name, options, provider and config", () => {
    const seen: ResourceValidationArgs[] = [];
    const violations = runPolicies(tinyRun(), [recordingPolicy(seen)], { records: { label: "x" } });
    const vpc = seen.find((a) => a.name === "c1-vpc") as ResourceValidationArgs;
    expect(vpc.type).toBe("aws:ec2/vpc:Vpc");
    expect(vpc.urn).toBe(urnOf("c1-vpc"));
    expect(vpc.props).toEqual({ cidrBlock: "10.0.0.0/16", tags: { owner: "[secret]" } });
    expect(vpc.opts.protect).toBe(true);
    expect(vpc.opts.parent).toBe(urnOf("c1"));
    expect(vpc.provider).toEqual({
      type: "pulumi:providers:aws",
      name: "c1-aws",
      urn: urnOf("c1-aws"),
      props: AWS_PROVIDER_INPUTS,
    });
    expect(vpc.getConfig()).toEqual({ limit: 3, label: "x" });
    expect(vpc.asType(vpcClass as never)).toEqual({ cidrBlock: "10.0.0.0/16", tags: { owner: "[secret]" } });
    expect(vpc.asType(subnetClass as never)).toBeUndefined();
    // every resource is validated, including the stack and the provider; notApplicable reports nothing
    expect(seen.map((a) => a.name).sort()).toEqual(["c1", "c1-aws", "c1-subnet", "c1-vpc", "multicluster-mesh-test"]);
    expect(violations).toEqual([
      { policy: "records", enforcement: "mandatory", urn: urnOf("c1-vpc"), message: "vpc c1-vpc" },
    ]);
  });

  it("cannot change the run through the props they see", () => {
    const run = tinyRun();
    const mutating: ResourceValidationPolicy = {
      name: "mutates",
      description: "mutates props",
      validateResource: (args) => {
        args.props["cidrBlock"] = "0.0.0.0/0";
      },
    };
    runPolicies(run, [mutating]);
    expect(run.resources.find((r) => r.name === "c1-vpc")?.inputs["cidrBlock"]).toBe("10.0.0.0/16");
  });
});

describe("stack policies", () => {
  it("see every resource once with parent, provider and dependencies (dependsOn and per property) resolved", () => {
    const calls: PolicyResource[][] = [];
    const violations = runPolicies(tinyRun(), [stackPolicy("whole", "mandatory", calls)]);
    expect(calls).toHaveLength(1);
    const resources = calls[0] as PolicyResource[];
    const vpc = resources.find((r) => r.name === "c1-vpc") as PolicyResource;
    expect(vpc.parent?.name).toBe("c1");
    expect(vpc.parent?.parent?.urn).toBe(urnOf("multicluster-mesh-test"));
    expect(vpc.provider?.props).toEqual(AWS_PROVIDER_INPUTS);
    expect(vpc.dependencies.map((d) => d.name)).toEqual(["c1-subnet"]);
    expect(vpc.propertyDependencies["cidrBlock"]?.map((d) => d.name)).toEqual(["c1-subnet"]);
    expect(resources.find((r) => r.name === "c1-subnet")?.dependencies).toEqual([]);
    expect(vpc.opts.protect).toBe(true);
    expect(violations).toEqual([
      { policy: "whole", enforcement: "mandatory", urn: null, message: "whole ran" },
      { policy: "whole", enforcement: "mandatory", urn: urnOf("c1-vpc"), message: "whole on vpc" },
    ]);
  });
});

describe("enforcement levels", () => {
  const policies = (): StackValidationPolicy[] => [
    stackPolicy("a", "mandatory"),
    stackPolicy("b", "advisory"),
    stackPolicy("c", undefined),
  ];
  const levels = (config: Record<string, unknown>): Record<string, string> =>
    Object.fromEntries(runPolicies(tinyRun(), policies(), config).map((v) => [v.policy, v.enforcement]));

  it("default to each policy's own level (advisory when it names none)", () => {
    expect(levels({})).toEqual({ a: "mandatory", b: "advisory", c: "advisory" });
  });

  it('"all" sets every policy; per-policy entries win whatever their order', () => {
    expect(levels({ all: "mandatory" })).toEqual({ a: "mandatory", b: "mandatory", c: "mandatory" });
    expect(levels({ b: "advisory", all: "mandatory" })).toEqual({ a: "mandatory", b: "advisory", c: "mandatory" });
    expect(levels({ all: { enforcementLevel: "advisory" }, a: { enforcementLevel: "mandatory" } })).toEqual({
      a: "mandatory",
      b: "advisory",
      c: "advisory",
    });
  });

  it("disabled skips a policy entirely; remediate counts as mandatory", () => {
    const calls: PolicyResource[][] = [];
    const violations = runPolicies(
      tinyRun(),
      [stackPolicy("off", "mandatory", calls), stackPolicy("fix", "advisory")],
      {
        off: "disabled",
        fix: "remediate",
      },
    );
    expect(calls).toHaveLength(0);
    expect(violations.map((v) => `${v.policy}:${v.enforcement}`)).toEqual(["fix:mandatory", "fix:mandatory"]);
    expect(runPolicies(tinyRun(), [stackPolicy("off", "mandatory", calls)], { all: "disabled" })).toEqual([]);
  });
});

describe("config", () => {
  it("fills schema defaults under given values and validates them against the schema", () => {
    const resolved = resolvePolicyConfig(rules, { "nodes-span-zones": { minZones: 2 } });
    expect(resolved.get("nodes-span-zones")).toEqual({ enforcementLevel: "mandatory", properties: { minZones: 2 } });
    expect(resolved.get("eastwest-gateway-per-cluster")?.properties).toEqual({
      minReplicas: 2,
      requirePodDisruptionBudget: true,
      requireZoneSpread: true,
      requireCrossZoneLoadBalancing: true,
    });
    expect(resolved.get("gke-regional")).toEqual({ enforcementLevel: "mandatory", properties: {} });
  });

  it("reports every problem at once: bad levels, unknown policies and properties, schema violations", () => {
    const bad = {
      all: { enforcementLevel: "strict", minZones: 1 },
      "nodes-span-zones": { minZones: 0, minZone: 2 },
      "gke-regional": { allowZonal: true },
      "eks-control-plane-logging": { requiredLogTypes: ["api", "audits"] },
      "no-such-rule": "advisory",
      "distinct-regions": 3,
    };
    let error: unknown;
    try {
      resolvePolicyConfig(rules, bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyConfigError);
    expect((error as PolicyConfigError).problems).toEqual([
      'all: "strict" is not an enforcement level — use advisory, mandatory, remediate, disabled',
      "all: takes only an enforcement level — move minZones under a policy",
      "no-such-rule: no such policy — use all or one of distinct-regions, distinct-metros, nodes-span-zones, egress-per-zone, gke-regional, eks-control-plane-logging, istiod-per-cluster, istiod-replicas, istio-mesh-identity, locality-failover, eastwest-gateway-per-cluster, vpc-per-cluster, intermediate-ca-per-cluster, root-key-off-cluster, address-ranges-disjoint, submariner-gateways-span-zones, submariner-broker-dedicated, protect-stateful-resources, gke-nat-ports, secrets-encryption, gateway-perimeter-closed, intermediate-within-root, certificate-renewal-window",
      "distinct-regions: 3 is neither an enforcement level nor an object",
      "nodes-span-zones.minZone: unknown config property — use minZones",
      "nodes-span-zones.minZones: Too small: expected number to be >=1 (0)",
      "gke-regional.allowZonal: gke-regional takes no config — remove it",
      'eks-control-plane-logging.requiredLogTypes.1: Invalid option: expected one of "api"|"audit"|"authenticator"|"controllerManager"|"scheduler" ("audits")',
    ]);
    expect((error as Error).message.split("\n")[0]).toBe("invalid policy config: 8 problem(s)");
  });

  it("rejects a config that is not an object", () => {
    expect(() => resolvePolicyConfig(rules, [] as never)).toThrow(
      'invalid policy config: 1 problem(s)\n  the policy config must be a JSON object keyed by policy name (or "all")',
    );
  });
});

describe("failures inside rules", () => {
  it("surface as errors naming the policy and resource", () => {
    const throwing: ResourceValidationPolicy = {
      name: "throws",
      description: "throws",
      validateResource: (args) => {
        if (args.name === "c1-vpc") {
          throw new Error("boom");
        }
      },
    };
    expect(() => runPolicies(tinyRun(), [throwing])).toThrow(
      `Error validating resource ${urnOf("c1-vpc")} with policy 'throws': boom`,
    );
  });

  it("reject asynchronous rules (the runner is synchronous)", () => {
    const asynchronous: StackValidationPolicy = {
      name: "later",
      description: "async",
      validateStack: async () => undefined,
    };
    expect(() => runPolicies(tinyRun(), [asynchronous])).toThrow(
      "Error validating the stack with policy 'later': policy later returned a promise; the offline runner runs rules synchronously",
    );
  });
});

describe("violationsFor", () => {
  it("runs the project's rules with a pack config", async () => {
    const run = edit(await record(istioSpec()))
      .set("gcp-usc1-cluster", "location", "us-central1-b")
      // Secrets encryption on the EKS side too, so the pack's defaults (every cluster kind) find only the zonal cluster.
      .set("aws-use1-cluster", "encryptionConfig", {
        provider: { keyArn: "arn:aws:kms:::key/k" },
        resources: ["secrets"],
      })
      .run();
    expect(violationsFor(run).map((v) => `${v.policy}:${v.enforcement}`)).toEqual(["gke-regional:mandatory"]);
    expect(violationsFor(run, { all: "advisory" }).map((v) => `${v.policy}:${v.enforcement}`)).toEqual([
      "gke-regional:advisory",
    ]);
    expect(violationsFor(run, { "gke-regional": "disabled" })).toEqual([]);
  });
});
