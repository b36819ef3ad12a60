/**
 * What `npm run add-cluster` appends: the next never-used slot, the zones the environment needs from the region
 * table (plan/regions.ts), the conventional name and the keys the schema requires of the cloud; or every reason to
 * refuse. Pure: the current FleetSpec and the environment's policy config in, a cluster entry or refusals out.
 */
import { blockCount, isAligned, overlaps, subBlock } from "../plan/cidr";
import { SLOT_PREFIX } from "../plan/addresses";
import { CLOUD_TRAITS } from "../plan/cloud";
import { interconnectOf } from "../plan/interconnect";
import type { Issue } from "../plan/issues";
import { conventionalClusterName, isRegionCloud, type RegionCloud, zonesOf } from "../plan/regions";
import type { Cloud, FleetSpec } from "../plan/spec";
import { withArticle } from "../plan/spec/common";
import { rules } from "../policies/rules";
import { nodesSpanZones } from "../policies/rules/nodes-span-zones";
import type { PolicyConfig } from "./policy-runner";

export interface NewClusterRequest {
  readonly cloud: Cloud;
  readonly region: string;
  readonly name?: string;
  readonly zones?: readonly string[];
  /** GCP: the project (default: the one every GCP cluster of the stack shares). */
  readonly project?: string;
  /** Existing clusters: how to reach them and the ranges they already use. */
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly endpoint?: string;
  readonly cidrs?: { readonly nodes?: string; readonly pods?: string; readonly services?: string };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A policy's `minZones` as the environment's policy config sets it; 1 when the policy is disabled. */
function policyMinZones(config: PolicyConfig, policy: { name: string; configSchema?: unknown }): number {
  const own = config[policy.name];
  const level = typeof own === "string" ? own : isRecord(own) ? own["enforcementLevel"] : config["all"];
  if (level === "disabled") {
    return 1;
  }
  if (isRecord(own) && typeof own["minZones"] === "number") {
    return own["minZones"];
  }
  const schema = policy.configSchema as { properties?: { minZones?: { default?: unknown } } } | undefined;
  const fallback = schema?.properties?.minZones?.default;
  return typeof fallback === "number" ? fallback : 1;
}

/** The rule of the policy pack with this name; a name the pack lacks is a programming error. */
function policyNamed(name: string): (typeof rules)[number] {
  const policy = rules.find((p) => p.name === name);
  if (policy === undefined) {
    throw new Error(`the policy pack has no rule ${name}`);
  }
  return policy;
}

/**
 * How many zones a new cloud cluster of this environment needs: the policy pack's `nodes-span-zones.minZones` as
 * the environment configures it, the cloud's own minimum (two for EKS), and when the interconnect runs gateway nodes
 * (Submariner) one zone per gateway node and the `minZones` of the policy on their zones.
 */
export function zonesNeeded(spec: FleetSpec, cloud: RegionCloud, policyConfig: PolicyConfig): number {
  const needs = [policyMinZones(policyConfig, nodesSpanZones), CLOUD_TRAITS[cloud].minZones];
  const gateways = interconnectOf(spec.mesh).gatewayZones(spec);
  if (gateways !== undefined) {
    needs.push(gateways.count, policyMinZones(policyConfig, policyNamed(gateways.policy)));
  }
  return Math.max(...needs);
}

/**
 * The next never-used slot: one above the highest slot any cluster holds or a retired cluster held (a gap below it
 * may be a slot whose cluster was removed before retirements were recorded), skipping blocks that a cluster's own
 * ranges overlap. An Issue when the address space has none left.
 */
export function nextSlot(spec: FleetSpec): number | Issue {
  const slots = [...spec.clusters, ...spec.retiredSlots].map((c) => c.slot);
  const count = isAligned(spec.addressSpace) ? blockCount(spec.addressSpace, SLOT_PREFIX) : 0;
  const declared = spec.clusters
    .flatMap((c) => [c.cidrs.nodes, c.cidrs.pods, c.cidrs.services, c.cidrs.controlPlane])
    .filter((r): r is string => r !== undefined && isAligned(r));
  for (let slot = slots.length === 0 ? 0 : Math.max(...slots) + 1; slot < count; slot++) {
    const block = subBlock(spec.addressSpace, SLOT_PREFIX, slot);
    if (block !== undefined && !declared.some((r) => overlaps(r, block))) {
      return slot;
    }
  }
  return {
    path: "addressSpace",
    message: `no never-used slot is left: the space holds ${count} slot(s) of /${SLOT_PREFIX} (0–${count - 1}), and a new cluster only takes a slot above the highest one ever used (${Math.max(...slots)})`,
    fix: "slots are never reused; widen addressSpace from the same first address (every slot keeps its ranges), or start a new environment",
    value: spec.addressSpace,
  };
}

function refusal(path: string, message: string, fix: string, value: unknown): Issue {
  return { path, message, fix, value };
}

function isIssues(zones: readonly string[] | Issue[]): zones is Issue[] {
  return zones.some((z) => typeof z !== "string");
}

/** The zones of the new cluster, or refusals. */
function zonesFor(req: NewClusterRequest, needed: number): readonly string[] | Issue[] {
  if (!isRegionCloud(req.cloud)) {
    return req.zones ?? [req.region];
  }
  const known = zonesOf(req.cloud, req.region);
  if (req.zones !== undefined) {
    const foreign = known === undefined ? [] : req.zones.filter((z) => !known.includes(z));
    const issues = foreign.map((z) =>
      refusal("--zones", `is not a zone of ${req.region} in the region table`, `use zones of ${known?.join(", ")}`, z),
    );
    if (req.zones.length < needed) {
      issues.push(
        refusal(
          "--zones",
          `fewer zones than this environment needs (${needed})`,
          `list at least ${needed} zones of ${req.region}`,
          req.zones,
        ),
      );
    }
    return issues.length > 0 ? issues : req.zones;
  }
  if (known === undefined) {
    return [
      refusal(
        "--region",
        `is not ${withArticle(req.cloud.toUpperCase())} region of the region table (plan/regions.ts)`,
        "check the spelling, pass its zones with --zones, or add the region to plan/regions.ts with its source",
        req.region,
      ),
    ];
  }
  if (known.length < needed) {
    return [
      refusal(
        "--region",
        `has ${known.length} zones in the region table, fewer than this environment needs (${needed})`,
        "choose a region with more zones, or pass --zones and lower the policy's minZones deliberately",
        req.region,
      ),
    ];
  }
  return known.slice(0, needed);
}

/** The GCP project: `--project`, else the one every GCP cluster of the stack shares. */
function gcpKeys(req: NewClusterRequest, spec: FleetSpec): Record<string, unknown> | Issue[] {
  const projects = [...new Set(spec.clusters.flatMap((c) => (c.gcp ? [c.gcp.project] : [])))];
  const project = req.project ?? (projects.length === 1 ? projects[0] : undefined);
  return project === undefined
    ? [
        refusal(
          "--project",
          projects.length > 1
            ? "is required: this stack's GCP clusters use different projects"
            : "is required: no GCP cluster of this stack names a project",
          "pass --project <GCP project id>",
          undefined,
        ),
      ]
    : { gcp: { project } };
}

/** How to reach an existing cluster and the ranges it already uses, all from flags. */
function existingKeys(req: NewClusterRequest): Record<string, unknown> | Issue[] {
  const missing = (
    [
      ["--kubeconfig", req.kubeconfig, "pass --kubeconfig <path to a kubeconfig file>"],
      ["--endpoint", req.endpoint, "pass --endpoint https://<API server as the other clusters reach it>"],
      ["--nodes-cidr", req.cidrs?.nodes, "pass the node network the cluster already uses"],
      ["--pods-cidr", req.cidrs?.pods, "pass the pod network the cluster already uses"],
      ["--services-cidr", req.cidrs?.services, "pass the service network the cluster already uses"],
    ] as const
  )
    .filter(([, v]) => v === undefined)
    .map(([flag, , fix]) => refusal(flag, "is required for an existing cluster", fix, undefined));
  if (missing.length > 0) {
    return missing;
  }
  return {
    existing: {
      kubeconfig: req.kubeconfig,
      ...(req.context !== undefined ? { context: req.context } : {}),
      endpoint: req.endpoint,
    },
    cidrs: { nodes: req.cidrs?.nodes, pods: req.cidrs?.pods, services: req.cidrs?.services },
  };
}

/**
 * Per cloud, the keys the schema requires of a cluster beyond name, region, zones and slot (its cloud section, the
 * declared ranges), from the request; or every missing flag. A cloud without an entry is written by hand: add-cluster
 * refuses it, saying so.
 */
const CLOUD_KEYS: {
  readonly [C in Cloud]?: (req: NewClusterRequest, spec: FleetSpec) => Record<string, unknown> | Issue[];
} = {
  aws: () => ({}),
  gcp: gcpKeys,
  existing: existingKeys,
};

/** The stack-file entry of the new cluster, or every reason to refuse it. */
export function newCluster(
  req: NewClusterRequest,
  spec: FleetSpec,
  policyConfig: PolicyConfig,
): Record<string, unknown> | Issue[] {
  const issues: Issue[] = [];
  // A cloud of the region table has a conventional name, a region other clusters may share, and zones to pick.
  const regional = isRegionCloud(req.cloud) ? req.cloud : undefined;
  const name = req.name ?? (regional === undefined ? undefined : conventionalClusterName(regional, req.region));
  if (name === undefined) {
    issues.push(
      refusal(
        "--name",
        "is required: no conventional name for this cloud and region",
        "pass --name <dns label>",
        undefined,
      ),
    );
  }
  const taken = spec.clusters.findIndex((c) => c.name === name);
  if (taken >= 0) {
    issues.push(
      refusal(
        "--name",
        `is already the name of clusters[${taken}]`,
        "pass --name <another name>, e.g. with a suffix such as -b",
        name,
      ),
    );
  }
  if (regional !== undefined) {
    const sameRegion = spec.clusters.findIndex((c) => c.cloud === regional && c.region === req.region);
    const other = spec.clusters[sameRegion];
    if (other !== undefined) {
      issues.push(
        refusal(
          "--region",
          `is already used by ${req.cloud} cluster ${other.name} (clusters[${sameRegion}])`,
          "choose another region: clusters in one region share its outages (policy distinct-regions)",
          req.region,
        ),
      );
    }
  }
  const needed = regional === undefined ? 1 : zonesNeeded(spec, regional, policyConfig);
  const zones = zonesFor(req, needed);
  const cloudKeys = CLOUD_KEYS[req.cloud];
  const keys =
    cloudKeys === undefined
      ? [
          refusal(
            "--cloud",
            "has no add-cluster support yet",
            "add the cluster to the stack file by hand (README: Stack config reference)",
            req.cloud,
          ),
        ]
      : cloudKeys(req, spec);
  const slot = nextSlot(spec);
  if (isIssues(zones)) {
    issues.push(...zones);
  }
  if (Array.isArray(keys)) {
    issues.push(...keys);
  }
  if (typeof slot !== "number") {
    issues.push(slot);
  }
  if (issues.length > 0 || isIssues(zones) || Array.isArray(keys) || typeof slot !== "number") {
    return issues;
  }
  return { name, cloud: req.cloud, region: req.region, zones: [...zones], slot, ...keys };
}
