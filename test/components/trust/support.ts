/**
 * Shared by the trust component tests: a whole environment's trust (RootCa + one ClusterTrust per cluster) built
 * from a spec, with the values the tests compare revealed (unsecret) in the run's outputs, and each resource's
 * options captured (the recorded plan has `protect` but not `retainOnDelete`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { ClusterTrust } from "../../../components/trust/cluster-trust";
import { externalTrustMaterial } from "../../../components/trust/material";
import { RootCa } from "../../../components/trust/root-ca";
import type { ClusterAddresses } from "../../../plan/addresses-types";
import type { FleetSpec } from "../../../plan/spec";
import { CA_ALLOWED_USES, planTrust, ROOT_SUBJECT } from "../../../plan/trust";
import { MOCK_NOW } from "../../../tools/mock-answers";
import { mockKeyPem, mockSelfSignedCert } from "../../../tools/mock-certificates";
import { type MockRun, runUnderMocks } from "../../../tools/mock-runtime";
import { meshClusterFixture } from "../../support/fixtures";

export const RUN = { project: "multicluster-mesh", stack: "test" } as const;
export const STACK_URN = "urn:pulumi:test::multicluster-mesh::pulumi:pulumi:Stack::multicluster-mesh-test";

/** Resource options by resource name, as the stack transformation saw them. */
export type CapturedOptions = Map<string, pulumi.ResourceOptions>;

/** Records every resource's options and object from here on (call inside the program). */
export function capture(): { options: CapturedOptions; resources: Map<string, pulumi.Resource> } {
  const options: CapturedOptions = new Map();
  const resources = new Map<string, pulumi.Resource>();
  pulumi.runtime.registerStackTransformation((args) => {
    options.set(args.name, args.opts);
    resources.set(args.name, args.resource);
    return undefined;
  });
  return { options, resources };
}

export function addresses(cluster: string, slot: number): ClusterAddresses {
  return {
    cluster,
    cloud: "aws",
    slot,
    nodes: `10.${slot}.0.0/17`,
    pods: `10.${slot}.0.0/17`,
    services: `10.${slot}.128.0/20`,
    subnets: [],
  };
}

/** What a trust environment run exposes, secrets revealed so tests can compare them. */
export interface TrustOutputs {
  readonly bundle: string;
  readonly issuer: string;
  readonly rootCertPems: Record<string, string>;
  /** The issuing root's key as RootCa exposes it. */
  readonly issuerKeyPem: string | undefined;
  /** Per cluster: the cacerts Secret's stringData. */
  readonly cacerts: Record<string, Record<string, string> | null>;
  /** Per cluster: the cacerts Secret's namespace and name. */
  readonly cacertsMeta: Record<string, { namespace: string; name: string } | null>;
  /** Per cluster holding an intermediate: its path length as ClusterTrust reads it (null for a brought one). */
  readonly pathLengths: Record<string, number | null>;
  /** Per cluster: the root bundle ConfigMap's data. */
  readonly configMaps: Record<string, Record<string, string>>;
  /** Per LocallySignedCert name: the record certificate, what signed it, and when it expires (mock clock). */
  readonly signed: Record<
    string,
    { certPem: string; caCertPem: string; caPrivateKeyPem: string; validityEndTime: string }
  >;
  /** Per SelfSignedCert name: when it expires (mock clock). */
  readonly rootsEnd: Record<string, string>;
}

export interface TrustRun {
  readonly run: MockRun;
  readonly out: TrustOutputs;
  readonly options: CapturedOptions;
}

/** Builds the environment's trust from `spec` under mocks. */
export async function runTrust(spec: FleetSpec): Promise<TrustRun> {
  let options: CapturedOptions = new Map();
  const run = await runUnderMocks(() => {
    const seen = capture();
    options = seen.options;
    const plan = planTrust(spec);
    const material = externalTrustMaterial(spec.trust);
    const rootCa = new RootCa(spec.environment, { plan, externalRoots: material.roots });
    const trusts = plan.clusters.map((c, slot) => {
      const cluster = meshClusterFixture(c.cluster, "aws", addresses(c.cluster, slot));
      const externalIntermediate = material.intermediates[c.cluster];
      return new ClusterTrust(c.cluster, {
        plan: c,
        cluster,
        roots: rootCa,
        ...(externalIntermediate ? { externalIntermediate } : {}),
      });
    });
    const byCluster = <T>(f: (t: ClusterTrust) => T): Record<string, T> =>
      Object.fromEntries(plan.clusters.map((c, i) => [c.cluster, f(trusts[i] as ClusterTrust)]));
    const signed: Record<string, unknown> = {};
    const rootsEnd: Record<string, unknown> = {};
    for (const [name, resource] of seen.resources) {
      if (resource instanceof tls.LocallySignedCert) {
        signed[name] = {
          certPem: resource.certPem,
          caCertPem: pulumi.unsecret(resource.caCertPem),
          caPrivateKeyPem: pulumi.unsecret(resource.caPrivateKeyPem),
          validityEndTime: resource.validityEndTime,
        };
      }
      if (resource instanceof tls.SelfSignedCert) {
        rootsEnd[name] = resource.validityEndTime;
      }
    }
    return {
      bundle: pulumi.unsecret(rootCa.trustBundlePem),
      issuer: rootCa.issuer,
      rootCertPems: pulumi.unsecret(pulumi.output(rootCa.rootCertPems)),
      issuerKeyPem: rootCa.issuerKeyPem ? pulumi.unsecret(rootCa.issuerKeyPem) : undefined,
      cacerts: byCluster((t) => (t.cacerts === undefined ? null : pulumi.unsecret(t.cacerts.stringData))),
      cacertsMeta: byCluster((t) =>
        t.cacerts === undefined ? null : { namespace: t.cacerts.metadata.namespace, name: t.cacerts.metadata.name },
      ),
      configMaps: byCluster((t) => pulumi.unsecret(t.rootBundle.data)),
      pathLengths: byCluster((t) => t.intermediatePathLength),
      signed,
      rootsEnd,
    };
  }, RUN);
  return { run, out: run.outputs as unknown as TrustOutputs, options };
}

/** The key the mocks give the generated root `root` of the test environment. */
export function mockRootKey(root: string): string {
  return mockKeyPem(`test-root-key-${root}`);
}

/** The certificate the mocks give the generated root `root` of the test environment (default validity). */
export function mockRootCert(root: string): string {
  const inputs = { isCaCertificate: true, allowedUses: [...CA_ALLOWED_USES], validityPeriodHours: 87600 };
  return mockSelfSignedCert(`test-root-cert-${root}`, mockRootKey(root), ROOT_SUBJECT, inputs, MOCK_NOW);
}
