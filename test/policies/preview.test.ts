/**
 * During `pulumi preview`, CrossGuard hands policies proxies that throw when a value unknown at preview is touched,
 * and silently downgrades a mandatory policy that touches one to advisory. The rules read only config-time values;
 * this runs them over such proxies, with every output-derived input of a recorded fleet unknown (the inputs the
 * mock runtime recorded property dependencies for), and expects no throw and no finding.
 */
import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import { describe, expect, it } from "vitest";
import { rules } from "../../policies/rules";
import type { MockRun } from "../../tools/mock-runtime";
import { policyResources } from "../../tools/policy-runner";
import { edit, istioSpec, record, submarinerSpec } from "./support";

interface ProxyApi {
  unknownCheckingProxy<T>(v: T): T;
  readonly unknownStringValue: unknown;
  readonly unknownArrayValue: unknown;
}
const { unknownCheckingProxy, unknownStringValue, unknownArrayValue } = proxyModule as unknown as ProxyApi;

/**
 * An input computed from outputs, as a first preview sees it: a scalar or a list of scalars is unknown as a whole;
 * an object keeps its config-time fields (Pulumi marks only the nested output unknown, and the recorded property
 * dependencies do not say which), so it stays as recorded.
 */
function unknownLike(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.every((x) => typeof x !== "object") ? unknownArrayValue : v;
  }
  return typeof v === "object" && v !== null ? v : unknownStringValue;
}

/**
 * The resources of a recorded run as a first preview shows them: every input computed from another resource's
 * output (a recorded property dependency) is unknown as `unknownLike` says, in CrossGuard's unknown-checking proxy.
 */
function previewed(run: MockRun): PolicyResource[] {
  const derived = new Map(
    run.resources.map((r) => [
      r.urn,
      Object.fromEntries(
        Object.entries(r.propertyDependencies ?? {})
          .filter(([, deps]) => deps.length > 0)
          .map(([key]) => [key, unknownLike(r.inputs[key])]),
      ),
    ]),
  );
  const resources = policyResources(run);
  for (const r of resources) {
    r.props = unknownCheckingProxy({ ...r.props, ...derived.get(r.urn) });
    if (r.provider) {
      r.provider = {
        ...r.provider,
        props: unknownCheckingProxy({ ...r.provider.props, ...derived.get(r.provider.urn) }),
      };
    }
  }
  return resources;
}

describe("rules at preview", () => {
  for (const [name, spec] of [
    ["istio", istioSpec],
    ["submariner", submarinerSpec],
  ] as const) {
    it(`never touch a value unknown at preview (${name} fleet)`, async () => {
      const resources = previewed(await record(spec()));
      const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes") as PolicyResource;
      expect(() => provider.props["kubeconfig"]).toThrow("can't be known during preview");
      const cluster = resources.find((r) => r.type === "gcp:container/cluster:Cluster") as PolicyResource;
      expect(() => cluster.props["network"]).toThrow("can't be known during preview");
      const found: string[] = [];
      for (const rule of rules) {
        const report: ReportViolation = (message) => found.push(`${rule.name}: ${message}`);
        // As the shipped configs: secrets encryption is required of GKE until EKS clusters carry encryptionConfig.
        const getConfig = <T extends object>(): T =>
          (rule.name === "secrets-encryption" ? { clusters: ["gke"] } : {}) as T;
        const notApplicable = (): never => {
          throw new Error("not applicable");
        };
        if ("validateStack" in rule) {
          expect(
            rule.validateStack({ resources, stackTags: new Map(), getConfig, notApplicable }, report),
          ).toBeUndefined();
        } else {
          for (const r of resources) {
            const validate = [rule.validateResource ?? []].flat();
            for (const v of validate) {
              const args = {
                ...r,
                stackTags: new Map(),
                getConfig,
                notApplicable,
                asType: () => undefined,
                isType: () => false,
              };
              expect(v(args, report)).toBeUndefined();
            }
          }
        }
      }
      expect(
        found.filter((f) => !f.startsWith("submariner-broker-dedicated")),
        found.join("\n"),
      ).toEqual([]);
    });
  }

  it("still fail on config-time values", async () => {
    const resources = previewed(
      edit(await record(istioSpec()))
        .set("gcp-usc1-subnet", "ipCidrRange", "10.0.16.0/20")
        .run(),
    );
    const rule = rules.find((r) => r.name === "address-ranges-disjoint");
    const found: string[] = [];
    if (rule && "validateStack" in rule) {
      const args = {
        resources,
        stackTags: new Map(),
        getConfig: () => ({}) as never,
        notApplicable: () => undefined as never,
      };
      expect(rule.validateStack(args, (m) => found.push(m))).toBeUndefined();
    }
    expect(found).toHaveLength(1);
  });
});
