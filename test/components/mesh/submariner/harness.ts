/**
 * Runs SubmarinerMesh under the mock runtime over clusters built from hand-written address plans, and captures what
 * each Helm release was given as `values`.
 *
 * Why the capture: the SDK's mock monitor lifts a nested secret to the property that holds it, so a release whose
 * `values` carry a secret token is recorded as `values: "[secret]"` as a whole. A real engine keeps nested secrets
 * where they are; the capture (a stack transformation seeing the registered props) shows which fields are secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { SubmarinerMesh } from "../../../../components/mesh/submariner/submariner-mesh";
import type { ClusterAddresses } from "../../../../plan/addresses-types";
import { submarinerSchema } from "../../../../plan/spec";
import { planSubmarinerTopology, type SubmarinerTopology } from "../../../../plan/interconnect/submariner/topology";
import { type MockRun, runUnderMocks, SECRET } from "../../../../tools/mock-runtime";
import { meshClusterFixture, slotAddresses as addresses } from "../../../support/fixtures";

export { addresses };

export const STACK = { project: "multicluster-mesh", stack: "test" };

export const AWS0 = addresses("aws-use1", "aws", 0);
export const GCP1 = addresses("gcp-usc1", "gcp", 1);
export const AWS2 = addresses("aws-euw1", "aws", 2);
export const GCP3 = addresses("gcp-euw4", "gcp", 3);

const REGION: Record<string, string> = {
  "aws-use1": "us-east-1",
  "gcp-usc1": "us-central1",
  "aws-euw1": "eu-west-1",
  "gcp-euw4": "europe-west4",
};

/** Stands in for a cluster's node groups: what `MeshCluster.ready` lists. */
class Ready extends pulumi.ComponentResource {
  constructor(name: string) {
    super("multicluster-mesh:test:Ready", name, {});
    this.registerOutputs({});
  }
}

export interface MeshRun {
  readonly run: MockRun;
  readonly topology: SubmarinerTopology;
  /** Each Helm release's values by resource name, secret fields as "[secret]". */
  readonly values: Readonly<Record<string, unknown>>;
  /** The same, secrets revealed. */
  readonly revealed: Readonly<Record<string, unknown>>;
}

/** Builds the clusters (each with a `<cluster>-nodes` ready resource), plans the topology and registers the mesh. */
export async function runMesh(
  clusters: readonly ClusterAddresses[],
  submariner: Record<string, unknown> = {},
): Promise<MeshRun> {
  const spec = submarinerSchema.parse(submariner);
  const topology = planSubmarinerTopology(spec, clusters);
  const captured: { name: string; values: unknown }[] = [];
  const run = await runUnderMocks(() => {
    pulumi.runtime.registerStackTransformation((args) => {
      if (args.type === "kubernetes:helm.sh/v3:Release") {
        captured.push({ name: args.name, values: (args.props as { values?: unknown }).values });
      }
      return undefined;
    });
    const meshClusters = clusters.map((a) => ({
      ...meshClusterFixture(a.cluster, a.cloud, a, REGION[a.cluster]),
      ready: [new Ready(`${a.cluster}-nodes`)],
    }));
    const mesh = new SubmarinerMesh("test", { clusters: meshClusters, spec, topology });
    return { brokerCluster: mesh.brokerCluster, clusterIds: mesh.clusterIds };
  }, STACK);
  const values: Record<string, unknown> = {};
  const revealed: Record<string, unknown> = {};
  for (const c of captured) {
    values[c.name] = await resolve(c.values, true);
    revealed[c.name] = await resolve(c.values, false);
  }
  return { run, topology, values, revealed };
}

/** Resolves inputs to plain data; a secret Output becomes "[secret]" (redact) or its value. */
async function resolve(v: unknown, redact: boolean): Promise<unknown> {
  if (pulumi.Output.isInstance(v)) {
    const out = v as unknown as { isSecret: Promise<boolean>; promise(): Promise<unknown> };
    if (redact && (await out.isSecret)) {
      return SECRET;
    }
    return resolve(await out.promise(), redact);
  }
  if (Array.isArray(v)) {
    return Promise.all(v.map((x) => resolve(x, redact)));
  }
  if (typeof v === "object" && v !== null) {
    const entries = await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await resolve(x, redact)] as const));
    return Object.fromEntries(entries);
  }
  return v;
}
