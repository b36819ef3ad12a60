/**
 * What `npm run verify` reads and judges for each interconnect, and their registry: one entry per mesh kind, so a new
 * interconnect does not compile until its checks are listed here. The checks themselves live in ./<kind>.ts.
 */
import type { InterconnectPlanOf } from "../../plan/interconnect";
import type { FleetSpec, MeshKind } from "../../plan/spec";
import type { StackOutputs } from "./access";
import type { ClusterReader } from "./client";
import { checkIstio, collectIstio, type IstioExpectations, type IstioFacts } from "./istio";
import type { CheckResult } from "./report";
import { type BrokerFacts, checkSubmariner, collectBroker, collectMember, type MemberFacts } from "./submariner";

/** What a run of the checks is given besides the interconnect's plan. */
export interface MeshVerifyInputs {
  readonly spec: FleetSpec;
  readonly outputs: StackOutputs | undefined;
  readonly now: Date;
  /** Fail an intermediate CA that expires within this many days. */
  readonly expiryDays: number;
  readonly resolveHost: (host: string) => Promise<string[]>;
}

/** One run of an interconnect's checks over a fleet. */
export interface MeshVerifyRun {
  /** The clusters of the link matrix, in the stack's order. */
  readonly matrix: readonly string[];
  /** Reads one cluster (I/O, bounded by the cluster's timeout); called once per cluster, concurrently. */
  collect(cluster: string, reader: ClusterReader): Promise<void>;
  /** Judges the fleet from what was read (pure). */
  check(): CheckResult[];
}

export interface MeshVerifier<K extends MeshKind> {
  /**
   * The checks read the stack outputs (API server endpoints, the root certificate) even when `--context` reaches
   * every cluster.
   */
  readonly needsOutputs: boolean;
  start(plan: InterconnectPlanOf<K>, inputs: MeshVerifyInputs): MeshVerifyRun;
}

/** Per cluster istiod, cacerts and the east-west gateway; per pair remote secrets, istiod's sync and gateways. */
const istio: MeshVerifier<"istio"> = {
  needsOutputs: true,
  start: (plan, { spec, outputs, now, expiryDays, resolveHost }) => {
    const clusterOutputs = outputs?.clusters ?? {};
    const expect: IstioExpectations = {
      clusters: plan.topology.clusters.map((c) => ({ name: c.clusterName, network: c.network })),
      version: plan.settings.version,
      revision: plan.settings.revision,
      endpoints: Object.fromEntries(spec.clusters.map((c) => [c.name, clusterOutputs[c.name]?.endpoint])),
      roots: outputs?.rootCertificate,
      now,
      expiryWindowDays: expiryDays,
    };
    const facts: Record<string, IstioFacts> = {};
    return {
      matrix: spec.clusters.map((c) => c.name),
      collect: async (cluster, reader) => {
        facts[cluster] = await collectIstio(reader, cluster, expect, resolveHost);
      },
      check: () => checkIstio(facts, expect),
    };
  },
};

/**
 * The broker answers; every joined cluster is registered with it, advertises its planned ranges and runs an active
 * gateway with a connected tunnel to every other joined cluster.
 */
const submariner: MeshVerifier<"submariner"> = {
  needsOutputs: false,
  start: ({ topology }) => {
    const members: Record<string, MemberFacts> = {};
    let broker: BrokerFacts | undefined;
    return {
      matrix: topology.members.map((m) => m.cluster),
      collect: async (cluster, reader) => {
        const member = topology.members.some((m) => m.cluster === cluster);
        const [facts, brokerFacts] = await Promise.all([
          member ? collectMember(reader) : undefined,
          cluster === topology.brokerCluster ? collectBroker(reader) : undefined,
        ]);
        if (facts !== undefined) members[cluster] = facts;
        if (brokerFacts !== undefined) broker = brokerFacts;
      },
      check: () => checkSubmariner(members, broker, topology),
    };
  },
};

/**
 * The registry: the health checks of each interconnect that has them. An interconnect without an entry still plans
 * and deploys; `npm run verify` then refuses its stacks (exit 2) saying it has no checks for it.
 */
export const MESH_VERIFIERS: { readonly [K in MeshKind]?: MeshVerifier<K> } = { istio, submariner };

/** The checks of interconnect `kind`, or undefined when it has none. */
export function meshVerifier<K extends MeshKind>(kind: K): MeshVerifier<K> | undefined {
  return MESH_VERIFIERS[kind] as MeshVerifier<K> | undefined;
}

/** Starts the checks of the planned interconnect (which has a verifier: `meshVerifier` said so). */
export function startMeshVerify<K extends MeshKind>(
  verifier: MeshVerifier<K>,
  plan: InterconnectPlanOf<K>,
  inputs: MeshVerifyInputs,
): MeshVerifyRun {
  return verifier.start(plan, inputs);
}
