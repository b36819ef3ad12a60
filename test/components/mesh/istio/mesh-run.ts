/**
 * Runs an IstioMesh over a fleet of test clusters under mocks, and the helpers its tests share.
 */
import * as pulumi from "@pulumi/pulumi";
import { IstioMesh } from "../../../../components/mesh/istio/istio-mesh";
import type { IstioSpec } from "../../../../plan/spec";
import { byName, type MockRun, type RecordedResource, runUnderMocks } from "../../../../tools/mock-runtime";
import { fleetSpec } from "../../../support/fixtures";
import { type ClusterShape, members, short, topologyOf } from "./members";

export const STACK = "prod";
/** A direct child of the stack: the engine's URN carries no parent type for it. */
export const MESH = `urn:pulumi:${STACK}::multicluster-mesh::multicluster-mesh:mesh/istio:IstioMesh::prod`;

export const AWS_USE1: ClusterShape = { name: "aws-use1", cloud: "aws", region: "us-east-1" };
export const GCP_USC1: ClusterShape = { name: "gcp-usc1", cloud: "gcp", region: "us-central1" };
export const AWS_EUW1: ClusterShape = { name: "aws-euw1", cloud: "aws", region: "eu-west-1" };
export const GCP_EUW4: ClusterShape = { name: "gcp-euw4", cloud: "gcp", region: "europe-west4" };
export const ONPREM: ClusterShape = { name: "onprem-dc1", cloud: "existing" };

export const FLEETS: Record<number, readonly ClusterShape[]> = {
  2: [AWS_USE1, GCP_USC1],
  3: [AWS_USE1, GCP_USC1, AWS_EUW1],
  5: [AWS_USE1, GCP_USC1, AWS_EUW1, GCP_EUW4, ONPREM],
};

export const defaultIstio = (overrides: Record<string, unknown> = {}): IstioSpec =>
  fleetSpec(1, { istio: overrides }, STACK).istio;

export interface MeshOutputs {
  gatewayAddresses: Record<string, string>;
  /** `<target><-<source>` → the Secret's stringData, revealed by the test program. */
  remoteSecretData: Record<string, Record<string, string>>;
  /** cluster → its reader token Secret's data, revealed. */
  tokens: Record<string, Record<string, string>>;
}

export async function meshRun(
  shapes: readonly ClusterShape[],
  istio = defaultIstio(),
  multiRoot = false,
): Promise<MockRun & { out: MeshOutputs }> {
  const run = await runUnderMocks(
    () => {
      const clusters = members(shapes);
      const mesh = new IstioMesh("prod", { clusters, topology: topologyOf(istio.meshId, clusters), istio, multiRoot });
      const remoteSecretData: Record<string, pulumi.Output<unknown>> = {};
      for (const [target, held] of Object.entries(mesh.remoteSecrets)) {
        for (const [source, secret] of Object.entries(held.secrets)) {
          remoteSecretData[`${target}<-${source}`] = pulumi.unsecret(secret.stringData);
        }
      }
      const tokens = Object.fromEntries(
        Object.entries(mesh.clusters).map(([n, c]) => [n, pulumi.unsecret(c.readerToken.data)]),
      );
      return { gatewayAddresses: mesh.gatewayAddresses, remoteSecretData, tokens };
    },
    { project: "multicluster-mesh", stack: STACK },
  );
  return { ...run, out: run.outputs as unknown as MeshOutputs };
}

export const values = (r: RecordedResource): Record<string, unknown> => r.inputs["values"] as Record<string, unknown>;
export const k8sProvider = (run: MockRun, cluster: string): string => byName(run, `${cluster}-k8s`).urn;
export const deps = (run: MockRun, name: string): string[] => byName(run, name).dependsOn.map(short).sort();

/** Every resource the mesh creates for `c` (its IstioCluster subtree and the remote secrets it holds), by type::name. */
export function expectedFor(c: string, others: readonly string[]): string[] {
  const p = `prod-${c}`;
  return [
    `multicluster-mesh:mesh/istio:IstioCluster::${p}`,
    `kubernetes:helm.sh/v3:Release::${p}-base`,
    `kubernetes:helm.sh/v3:Release::${p}-istiod`,
    `kubernetes:security.istio.io/v1:PeerAuthentication::${p}-mtls`,
    `kubernetes:networking.istio.io/v1:DestinationRule::${p}-locality-failover`,
    `kubernetes:core/v1:Secret::${p}-reader-token`,
    `multicluster-mesh:mesh/istio:EastWestGateway::${p}-eastwest`,
    `kubernetes:helm.sh/v3:Release::${p}-eastwest-release`,
    `kubernetes:core/v1:Service::${p}-eastwest-service`,
    `kubernetes:networking.istio.io/v1:Gateway::${p}-eastwest-cross-network`,
    ...(others.length > 0 ? [`multicluster-mesh:mesh/istio:RemoteSecrets::${p}-remote-secrets`] : []),
    ...others.map((a) => `kubernetes:core/v1:Secret::${p}-remote-secrets-${a}`),
  ];
}

/** The IstioMesh and everything below it in the parent tree. */
export function meshResources(run: MockRun): RecordedResource[] {
  const inTree = new Set([MESH]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of run.resources) {
      if (r.parent !== null && inTree.has(r.parent) && !inTree.has(r.urn)) {
        inTree.add(r.urn);
        grew = true;
      }
    }
  }
  return run.resources.filter((r) => inTree.has(r.urn));
}
