/**
 * FleetSpec → FleetPlan: everything computable from config, as plain JSON. Components only turn this into
 * resources. `planFleet` runs every planner's checks first and throws one SpecError carrying all their problems.
 */
import type { AddressPlan } from "./addresses-types";
import { checkAddresses, planAddresses } from "./addresses";
import { type Issue, throwIfAny } from "./issues";
import { checkIstioTopology, type IstioMember, type IstioTopology, planIstioTopology } from "./istio-topology";
import type { Cloud, FleetSpec, MeshKind } from "./spec";
import { checkSubmarinerTopology, planSubmarinerTopology, type SubmarinerTopology } from "./submariner-topology";
import { checkTrust, planTrust, type TrustPlan } from "./trust";

/** Where a cluster lives, as the plan and its readers (text, markdown, policies) need it. */
export interface PlannedCluster {
  readonly name: string;
  readonly cloud: Cloud;
  readonly region: string;
  readonly zones: readonly string[];
  readonly slot: number;
  readonly network: string;
}

export type MeshTopology =
  | { readonly kind: "istio"; readonly istio: IstioTopology }
  | { readonly kind: "submariner"; readonly submariner: SubmarinerTopology };

export interface FleetPlan {
  readonly environment: string;
  readonly mesh: MeshKind;
  readonly clusters: readonly PlannedCluster[];
  readonly addresses: AddressPlan;
  readonly trust: TrustPlan;
  readonly topology: MeshTopology;
}

function istioMembers(spec: FleetSpec): IstioMember[] {
  return spec.clusters.map((c) => ({ name: c.name, cloud: c.cloud, network: c.network }));
}

/** Every problem any planner finds, together. Topology checks need a valid address plan, so they follow it. */
export function checkFleet(spec: FleetSpec): Issue[] {
  const issues: Issue[] = [...checkAddresses(spec), ...checkTrust(spec)];
  if (spec.mesh === "istio") {
    issues.push(...checkIstioTopology(spec.istio.meshId, istioMembers(spec)));
  } else if (issues.length === 0) {
    issues.push(...checkSubmarinerTopology(spec.submariner, planAddresses(spec).clusters));
  }
  return issues;
}

export function planFleet(spec: FleetSpec): FleetPlan {
  throwIfAny(checkFleet(spec));
  const addresses = planAddresses(spec);
  const topology: MeshTopology =
    spec.mesh === "istio"
      ? { kind: "istio", istio: planIstioTopology(spec.istio.meshId, istioMembers(spec)) }
      : { kind: "submariner", submariner: planSubmarinerTopology(spec.submariner, addresses.clusters) };
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
    topology,
  };
}
