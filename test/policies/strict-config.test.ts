/**
 * Config keys a rule does not declare: CrossGuard passes them to the pack (its schema check allows extra keys), so
 * every rule refuses them itself; misspelt policy names never reach the pack and are caught in the config files.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { rules } from "../../policies/rules";
import { PolicyConfigError, resolvePolicyConfig } from "../../tools/policy-runner";

const CONFIG_DIR = join(__dirname, "..", "..", "policies", "config");

function rule(name: string): ResourceValidationPolicy | StackValidationPolicy {
  const found = rules.find((r) => r.name === name);
  if (found === undefined) {
    throw new Error(`no rule ${name}`);
  }
  return found;
}

/** Runs a stack rule over no resources with the config CrossGuard would pass; returns the thrown message. */
function stackRun(name: string, config: object): string {
  const args: StackValidationArgs = {
    resources: [],
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  };
  try {
    void (rule(name) as StackValidationPolicy).validateStack(args, () => undefined);
    return "validated";
  } catch (e) {
    return (e as Error).message;
  }
}

function problemsOf(config: Record<string, unknown>): readonly string[] {
  try {
    resolvePolicyConfig(rules, config);
    return [];
  } catch (e) {
    return e instanceof PolicyConfigError ? e.problems : [(e as Error).message];
  }
}

describe("a rule under CrossGuard", () => {
  it("validates with its declared keys", () => {
    expect(stackRun("nodes-span-zones", { minZones: 1 })).toBe("validated");
  });

  it("refuses a misspelt key, naming it and the keys it takes", () => {
    expect(stackRun("nodes-span-zones", { minZone: 1 })).toBe(
      "invalid policy config: nodes-span-zones.minZone: unknown config property — use minZones",
    );
  });

  it("refuses any key when it takes no config", () => {
    expect(stackRun("istiod-per-cluster", { strict: true })).toBe(
      "invalid policy config: istiod-per-cluster.strict: istiod-per-cluster takes no config — remove it",
    );
  });

  it("refuses a misspelt key in a resource rule before looking at the resource", () => {
    const policy = rule("eks-control-plane-logging") as ResourceValidationPolicy;
    const validate = [policy.validateResource].flat()[0];
    expect(() =>
      validate?.(
        {
          type: "aws:eks/cluster:Cluster",
          props: {},
          urn: "urn:pulumi:dev::multicluster-mesh::aws:eks/cluster:Cluster::a-cluster",
          name: "a-cluster",
          opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: {} },
          stackTags: new Map(),
          isType: () => false,
          asType: () => undefined,
          getConfig: <T extends object>() => ({ requiredLogType: ["api"] }) as T,
          notApplicable: () => undefined as never,
        } as unknown as Parameters<NonNullable<typeof validate>>[0],
        () => undefined,
      ),
    ).toThrow(
      "invalid policy config: eks-control-plane-logging.requiredLogType: unknown config property — use requiredLogTypes",
    );
  });
});

describe("the policy config files", () => {
  const files = readdirSync(CONFIG_DIR).filter((f) => f.endsWith(".json"));

  it("are all checked (one per shipped environment and more)", () => {
    expect(files.sort()).toEqual(["dev.json", "local.json", "prod.json", "staging.json", "submariner.json"]);
  });

  it.each(files)("%s names only the pack's policies and their declared keys, with valid values", (file) => {
    const config = JSON.parse(readFileSync(join(CONFIG_DIR, file), "utf8")) as Record<string, unknown>;
    expect(problemsOf(config)).toEqual([]);
  });

  it("refuse a misspelt policy name and a misspelt key, each with an exact message", () => {
    expect(problemsOf({ "node-span-zones": { minZones: 2 } })).toEqual([
      "node-span-zones: no such policy — use all or one of distinct-regions, distinct-metros, nodes-span-zones, egress-per-zone, gke-regional, eks-control-plane-logging, istiod-per-cluster, istiod-replicas, istio-mesh-identity, locality-failover, eastwest-gateway-per-cluster, vpc-per-cluster, intermediate-ca-per-cluster, root-key-off-cluster, address-ranges-disjoint, submariner-gateways-span-zones, submariner-broker-dedicated, protect-stateful-resources, gke-nat-ports, secrets-encryption, gateway-perimeter-closed, intermediate-within-root, certificate-renewal-window",
    ]);
    expect(problemsOf({ "eastwest-gateway-per-cluster": { minReplica: 1 } })).toEqual([
      "eastwest-gateway-per-cluster.minReplica: unknown config property — use minReplicas, requirePodDisruptionBudget, requireZoneSpread, requireCrossZoneLoadBalancing",
    ]);
  });
});
