/**
 * Synthetic fleets for the benchmark: valid stack configs of any size, alternating AWS and GCP over real regions
 * with real zones, each cluster in its own region while the lists last, unique names and slots, Istio mesh.
 * Every spec goes through `parseFleetSpec`, so a synthetic fleet is exactly as valid as a stack file.
 */
import { SECURITY_GROUP_RULES_CEILING } from "../plan/cloud/aws-quotas";
import { type ClusterInput, type FleetSpec, parseFleetSpec } from "../plan/spec";

export interface RegionZones {
  readonly region: string;
  /** Three zones that exist in the region (not always a, b, c: us-east1 has no a, ap-northeast-1 no b). */
  readonly zones: readonly [string, string, string];
}

function zones(region: string, letters: string, separator: "" | "-"): RegionZones {
  const [a, b, c] = [...letters].map((l) => `${region}${separator}${l}`);
  return { region, zones: [a as string, b as string, c as string] };
}

/** AWS commercial regions (opt-in ones included), with three of their zones. */
export const AWS_REGIONS: readonly RegionZones[] = [
  zones("us-east-1", "abc", ""),
  zones("us-east-2", "abc", ""),
  zones("us-west-2", "abc", ""),
  zones("ca-central-1", "abd", ""),
  zones("ca-west-1", "abc", ""),
  zones("eu-west-1", "abc", ""),
  zones("eu-west-2", "abc", ""),
  zones("eu-west-3", "abc", ""),
  zones("eu-central-1", "abc", ""),
  zones("eu-central-2", "abc", ""),
  zones("eu-north-1", "abc", ""),
  zones("eu-south-1", "abc", ""),
  zones("eu-south-2", "abc", ""),
  zones("ap-northeast-1", "acd", ""),
  zones("ap-northeast-2", "abc", ""),
  zones("ap-northeast-3", "abc", ""),
  zones("ap-southeast-1", "abc", ""),
  zones("ap-southeast-2", "abc", ""),
  zones("ap-southeast-3", "abc", ""),
  zones("ap-southeast-4", "abc", ""),
  zones("ap-south-1", "abc", ""),
  zones("ap-south-2", "abc", ""),
  zones("ap-east-1", "abc", ""),
  zones("sa-east-1", "abc", ""),
  zones("me-south-1", "abc", ""),
  zones("me-central-1", "abc", ""),
  zones("af-south-1", "abc", ""),
  zones("il-central-1", "abc", ""),
];

/** GCP regions with three of their zones. */
export const GCP_REGIONS: readonly RegionZones[] = [
  zones("us-central1", "abc", "-"),
  zones("us-east1", "bcd", "-"),
  zones("us-east4", "abc", "-"),
  zones("us-east5", "abc", "-"),
  zones("us-south1", "abc", "-"),
  zones("us-west1", "abc", "-"),
  zones("us-west2", "abc", "-"),
  zones("us-west3", "abc", "-"),
  zones("us-west4", "abc", "-"),
  zones("northamerica-northeast1", "abc", "-"),
  zones("northamerica-northeast2", "abc", "-"),
  zones("southamerica-east1", "abc", "-"),
  zones("southamerica-west1", "abc", "-"),
  zones("europe-west1", "bcd", "-"),
  zones("europe-west2", "abc", "-"),
  zones("europe-west3", "abc", "-"),
  zones("europe-west4", "abc", "-"),
  zones("europe-west6", "abc", "-"),
  zones("europe-west8", "abc", "-"),
  zones("europe-west9", "abc", "-"),
  zones("europe-north1", "abc", "-"),
  zones("europe-central2", "abc", "-"),
  zones("europe-southwest1", "abc", "-"),
  zones("asia-east1", "abc", "-"),
  zones("asia-east2", "abc", "-"),
  zones("asia-northeast1", "abc", "-"),
  zones("asia-northeast2", "abc", "-"),
  zones("asia-northeast3", "abc", "-"),
  zones("asia-south1", "abc", "-"),
  zones("asia-southeast1", "abc", "-"),
  zones("asia-southeast2", "abc", "-"),
  zones("australia-southeast1", "abc", "-"),
  zones("australia-southeast2", "abc", "-"),
  zones("me-west1", "abc", "-"),
];

/** The GCP project every synthetic GKE cluster lives in. */
export const SYNTHETIC_GCP_PROJECT = "acme-fleet-bench";

/**
 * The i-th synthetic cluster: even i on AWS, odd on GCP; the k-th cluster of a cloud takes its k-th region. In a
 * Submariner fleet, AWS clusters declare the highest security-group rule quota EC2 grants (every EKS cluster admits
 * each peer's ranges), as a team running a fleet that large would have requested.
 */
export function syntheticCluster(
  i: number,
  mesh: SyntheticMesh = "istio",
  clouds: readonly SyntheticCloud[] = SYNTHETIC_CLOUDS,
): ClusterInput {
  const cloud = clouds[i % clouds.length] as SyntheticCloud;
  const { regions, settings } = SYNTHETIC[cloud];
  const r = regions[Math.floor(i / clouds.length) % regions.length] as RegionZones;
  return {
    name: `${cloud}-${String(i).padStart(2, "0")}`,
    cloud,
    region: r.region,
    zones: [...r.zones],
    slot: i,
    ...settings,
    ...PER_MESH[mesh][cloud],
  };
}

/** Per mesh and cloud, the settings a synthetic cluster adds. */
const PER_MESH: Record<SyntheticMesh, Partial<Record<SyntheticCloud, Partial<ClusterInput>>>> = {
  istio: {},
  submariner: { aws: { aws: { securityGroupRulesQuota: SECURITY_GROUP_RULES_CEILING } } },
};

/** The clouds synthetic clusters alternate between, in order (by default both). */
export const SYNTHETIC_CLOUDS = ["aws", "gcp"] as const;
export type SyntheticCloud = (typeof SYNTHETIC_CLOUDS)[number];

export function isSyntheticCloud(value: string): value is SyntheticCloud {
  return (SYNTHETIC_CLOUDS as readonly string[]).includes(value);
}

/** Per cloud: its regions, and the cloud's settings every synthetic cluster carries. */
const SYNTHETIC: Record<SyntheticCloud, { regions: readonly RegionZones[]; settings: Partial<ClusterInput> }> = {
  aws: { regions: AWS_REGIONS, settings: {} },
  gcp: { regions: GCP_REGIONS, settings: { gcp: { project: SYNTHETIC_GCP_PROJECT } } },
};

/** The interconnects a synthetic fleet can use. */
export const SYNTHETIC_MESHES = ["istio", "submariner"] as const;
export type SyntheticMesh = (typeof SYNTHETIC_MESHES)[number];

export function isSyntheticMesh(value: string): value is SyntheticMesh {
  return (SYNTHETIC_MESHES as readonly string[]).includes(value);
}

/** Raw config (as a stack file holds it) for a fleet of `size` clusters. */
export function syntheticFleetConfig(
  size: number,
  mesh: SyntheticMesh = "istio",
  clouds: readonly SyntheticCloud[] = SYNTHETIC_CLOUDS,
): Record<string, unknown> {
  if (!Number.isInteger(size) || size < 1) {
    throw new Error(`fleet size must be a whole number of clusters, 1 or more (got ${size})`);
  }
  return { mesh, clusters: Array.from({ length: size }, (_, i) => syntheticCluster(i, mesh, clouds)) };
}

/** A validated FleetSpec of `size` clusters. */
export function syntheticFleetSpec(
  size: number,
  environment = "bench",
  mesh: SyntheticMesh = "istio",
  clouds: readonly SyntheticCloud[] = SYNTHETIC_CLOUDS,
): FleetSpec {
  return parseFleetSpec(syntheticFleetConfig(size, mesh, clouds), environment);
}
