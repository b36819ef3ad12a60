/**
 * Small fleets and clusters for tests. Everything here goes through the real schema, so fixtures stay valid.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../../components/cluster/contract";
import { planFleet } from "../../plan";
import type { ClusterAddresses } from "../../plan/addresses-types";
import type { ClusterRequirements } from "../../plan/interconnect";
import { type ClusterInput, type FleetSpec, parseFleetSpec } from "../../plan/spec";

type Region = { cloud: "aws" | "gcp"; region: string; zones: string[] };

/** A handful of real regions per cloud, used round-robin by `cluster(i)`. */
const REGIONS: readonly Region[] = [
  { cloud: "aws", region: "us-east-1", zones: ["us-east-1a", "us-east-1b", "us-east-1c"] },
  { cloud: "gcp", region: "us-central1", zones: ["us-central1-a", "us-central1-b", "us-central1-c"] },
  { cloud: "aws", region: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
  { cloud: "gcp", region: "europe-west4", zones: ["europe-west4-a", "europe-west4-b", "europe-west4-c"] },
  { cloud: "aws", region: "ap-southeast-2", zones: ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"] },
];

/** The i-th test cluster: alternating AWS and GCP, slot i, a distinct region while they last. */
export function clusterInput(i: number, overrides: Partial<ClusterInput> = {}): ClusterInput {
  const r = REGIONS[i % REGIONS.length] as Region;
  const base: ClusterInput = {
    name: `${r.cloud}-c${i}`,
    cloud: r.cloud,
    region: r.region,
    zones: r.zones,
    slot: i,
    ...(r.cloud === "gcp" ? { gcp: { project: "acme-platform-dev" } } : {}),
  };
  return { ...base, ...overrides };
}

/** A valid FleetSpec with `n` clusters (see `clusterInput`), plus any top-level overrides. */
export function fleetSpec(n: number, overrides: Record<string, unknown> = {}, environment = "test"): FleetSpec {
  const clusters = Array.from({ length: n }, (_, i) => clusterInput(i));
  return parseFleetSpec({ mesh: "istio", clusters, ...overrides }, environment);
}

/** A spec from raw config values (as a stack file would hold them). */
/** What the fleet's interconnect requires of one of its clusters (default: the first), as `planFleet` plans it. */
export function requirementsOf(fleet: FleetSpec, cluster = fleet.clusters[0]?.name ?? ""): ClusterRequirements {
  const found = planFleet(fleet).requirements[cluster];
  if (found === undefined) {
    throw new Error(`the plan has no requirements for cluster ${cluster}`);
  }
  return found;
}

export function specFrom(raw: Record<string, unknown>, environment = "test"): FleetSpec {
  return parseFleetSpec(raw, environment);
}

/**
 * A MeshCluster for component tests that do not need a real cluster component: a Kubernetes provider and
 * fixed endpoint and CA. Must be called inside a mock run.
 */
export function meshClusterFixture(
  name: string,
  cloud: "aws" | "gcp" | "existing",
  addresses: ClusterAddresses,
  region = cloud === "gcp" ? "us-central1" : "us-east-1",
): MeshCluster {
  const endpoint =
    cloud === "gcp"
      ? `https://198.51.100.${addresses.slot + 1}`
      : `https://${name.toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
  const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: pulumi.secret(`server: ${endpoint}`) });
  return {
    name,
    cloud,
    region,
    zones: cloud === "gcp" ? [`${region}-a`, `${region}-b`] : [`${region}a`, `${region}b`],
    network: name,
    addresses,
    endpoint: pulumi.output(endpoint),
    caData: pulumi.output(Buffer.from(`CA of ${name}`).toString("base64")),
    provider,
    ready: [],
  };
}

/** Every field of the cluster contract, as stack outputs of a test program (resolved by the mock runtime). */
export function contractOutputs(m: MeshCluster): Record<string, unknown> {
  return {
    name: m.name,
    cloud: m.cloud,
    region: m.region,
    zones: m.zones,
    network: m.network,
    addresses: m.addresses,
    endpoint: m.endpoint,
    caData: m.caData,
    provider: m.provider,
    ready: m.ready,
  };
}

/**
 * Hand-made, non-overlapping ranges by slot (a simpler layout than the planner's, for mesh tests that must not
 * depend on it): AWS and existing pods are the node range (VPC CNI); GKE pods and services are secondary ranges.
 */
export function slotAddresses(cluster: string, cloud: "aws" | "gcp" | "existing", slot: number): ClusterAddresses {
  const base = slot * 4;
  return cloud === "gcp"
    ? {
        cluster,
        cloud,
        slot,
        nodes: `10.${base}.0.0/20`,
        pods: `10.${base + 2}.0.0/16`,
        services: `10.${base + 1}.0.0/20`,
        controlPlane: `10.${base + 1}.16.0/28`,
        subnets: [],
      }
    : {
        cluster,
        cloud,
        slot,
        nodes: `10.${base}.0.0/16`,
        pods: `10.${base}.0.0/16`,
        services: `10.${base + 1}.0.0/20`,
        subnets: [],
      };
}
