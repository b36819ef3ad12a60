/**
 * FleetSpec → FleetPlan: everything computable from config, as plain JSON. Components only turn this into
 * resources. `planFleet` runs every planner's checks first and throws one SpecError carrying all their problems.
 */
import type { AddressPlan } from "./addresses-types";
import { checkAddresses, planAddresses } from "./addresses";
import { checkControlPlaneReach } from "./control-plane-reach";
import { type Issue, throwIfAny } from "./issues";
import {
  type ClusterRequirements,
  interconnectOf,
  type InterconnectPlan,
  type InterconnectTypes,
  planInterconnect,
  requirementsOf,
} from "./interconnect";
import type { IstioTopology } from "./interconnect/istio/topology";
import type { SubmarinerTopology } from "./interconnect/submariner/topology";
import type { Cloud, FleetSpec, MeshKind } from "./spec";
import { checkTrust, planTrust, type TrustPlan } from "./trust";
import { checkSecurityGroupQuotas } from "./cloud/aws-quotas";

/** Where a cluster lives, as the plan and its readers (text, markdown, policies) need it. */
export interface PlannedCluster {
  readonly name: string;
  readonly cloud: Cloud;
  readonly region: string;
  readonly zones: readonly string[];
  readonly slot: number;
  readonly network: string;
}

/** The interconnect's topology, as the stack output `topology` shows it: the kind, and under its name the topology. */
export type MeshTopology =
  | { readonly kind: "istio"; readonly istio: IstioTopology }
  | { readonly kind: "submariner"; readonly submariner: SubmarinerTopology };

/** The topology of `kind` when `topology` is of that kind, else undefined. */
export function topologyOf<K extends MeshKind>(
  topology: MeshTopology | undefined,
  kind: K,
): InterconnectTypes[K]["topology"] | undefined {
  return topology?.kind === kind
    ? (topology as unknown as Readonly<Record<K, InterconnectTypes[K]["topology"]>>)[kind]
    : undefined;
}

export interface FleetPlan {
  readonly environment: string;
  readonly mesh: MeshKind;
  readonly clusters: readonly PlannedCluster[];
  readonly addresses: AddressPlan;
  readonly trust: TrustPlan;
  readonly topology: MeshTopology;
  /** The interconnect's topology and settings: what its components build from. */
  readonly interconnect: InterconnectPlan;
  /** Per cluster name, what the interconnect requires of the cluster and its network. */
  readonly requirements: Readonly<Record<string, ClusterRequirements>>;
}

/**
 * Every problem any planner finds, together. Checks that need a valid address plan run only when it is valid, and
 * the cloud quota checks, which need what the interconnect requires of every cluster, only when all else is valid.
 */
export function checkFleet(spec: FleetSpec): Issue[] {
  const issues: Issue[] = [...checkAddresses(spec), ...checkTrust(spec)];
  const addresses = issues.length === 0 ? planAddresses(spec) : undefined;
  issues.push(...interconnectOf(spec.mesh).check(spec, addresses));
  if (issues.length === 0 && addresses !== undefined) {
    // What the interconnect requires needs its plan, so these checks run once everything else is valid.
    const requirements = requirementsByCluster(spec, planInterconnect(spec.mesh, spec, addresses) as InterconnectPlan);
    issues.push(...checkControlPlaneReach(spec, requirements), ...checkSecurityGroupQuotas(spec, requirements));
  }
  return issues;
}

function requirementsByCluster(spec: FleetSpec, interconnect: InterconnectPlan): Record<string, ClusterRequirements> {
  return Object.fromEntries(spec.clusters.map((c) => [c.name, requirementsOf(interconnect, c)]));
}

export function planFleet(spec: FleetSpec): FleetPlan {
  throwIfAny(checkFleet(spec));
  const addresses = planAddresses(spec);
  const interconnect = planInterconnect(spec.mesh, spec, addresses) as InterconnectPlan;
  return {
    environment: spec.environment,
    mesh: spec.mesh,
    clusters: spec.clusters.map((c) => ({
      name: c.name,
      cloud: c.cloud,
      region: c.region,
      zones: c.zones,
      slot: c.slot,
      network: c.network,
    })),
    addresses,
    trust: planTrust(spec),
    topology: { kind: interconnect.kind, [interconnect.kind]: interconnect.topology } as MeshTopology,
    interconnect,
    requirements: requirementsByCluster(spec, interconnect),
  };
}
