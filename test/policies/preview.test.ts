/**
 * During `pulumi preview`, CrossGuard hands policies proxies that throw when a value unknown at preview is touched,
 * and silently downgrades a mandatory policy that touches one to advisory. The rules read only config-time values;
 * this runs them over such proxies, with every output-derived input unknown, and expects no throw and no finding.
 */
import type { PolicyResource, ReportViolation } from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import { describe, expect, it } from "vitest";
import { rules } from "../../policies/rules";
import { policyResources } from "../../tools/policy-runner";
import { istioFleet, submarinerFleet } from "./support";

interface ProxyApi {
  unknownCheckingProxy<T>(v: T): T;
  readonly unknownStringValue: unknown;
  readonly unknownObjectValue: unknown;
  readonly unknownArrayValue: unknown;
}
const { unknownCheckingProxy, unknownStringValue, unknownObjectValue, unknownArrayValue } =
  proxyModule as unknown as ProxyApi;

/** Inputs that come from other resources' outputs, hence unknown when a stack is previewed before creation. */
const UNKNOWN_AT_PREVIEW: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  "pulumi:providers:kubernetes": { kubeconfig: unknownStringValue },
  "aws:ec2/subnet:Subnet": { vpcId: unknownStringValue },
  "aws:eks/cluster:Cluster": { vpcConfig: unknownObjectValue, roleArn: unknownStringValue },
  "aws:eks/nodeGroup:NodeGroup": { subnetIds: unknownArrayValue, clusterName: unknownStringValue },
  "gcp:container/cluster:Cluster": { network: unknownStringValue, subnetwork: unknownStringValue },
  "gcp:container/nodePool:NodePool": { cluster: unknownStringValue },
  "kubernetes:core/v1:Secret": { stringData: unknownObjectValue },
  "tls:index/selfSignedCert:SelfSignedCert": { privateKeyPem: unknownStringValue },
  "tls:index/certRequest:CertRequest": { privateKeyPem: unknownStringValue },
  "tls:index/locallySignedCert:LocallySignedCert": {
    certRequestPem: unknownStringValue,
    caCertPem: unknownStringValue,
  },
};

function previewed(resources: PolicyResource[]): PolicyResource[] {
  for (const r of resources) {
    r.props = unknownCheckingProxy({ ...r.props, ...(UNKNOWN_AT_PREVIEW[r.type] ?? {}) });
    if (r.provider) {
      r.provider = {
        ...r.provider,
        props: unknownCheckingProxy({ ...r.provider.props, ...(UNKNOWN_AT_PREVIEW[r.provider.type] ?? {}) }),
      };
    }
  }
  return resources;
}

describe("rules at preview", () => {
  for (const [name, fleet] of [
    ["istio", istioFleet],
    ["submariner", submarinerFleet],
  ] as const) {
    it(`never touch a value unknown at preview (${name} fleet)`, () => {
      const resources = previewed(policyResources(fleet().run()));
      const provider = resources.find((r) => r.type === "pulumi:providers:kubernetes") as PolicyResource;
      expect(() => provider.props["kubeconfig"]).toThrow("can't be known during preview");
      const found: string[] = [];
      for (const rule of rules) {
        const report: ReportViolation = (message) => found.push(`${rule.name}: ${message}`);
        const getConfig = <T extends object>(): T => ({}) as T;
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
      expect(found.filter((f) => !f.startsWith("submariner-broker-dedicated"))).toEqual([]);
    });
  }

  it("still fail on config-time values", () => {
    const resources = previewed(
      policyResources(istioFleet().set("gke-usc1-subnet", "ipCidrRange", "10.0.16.0/20").run()),
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
