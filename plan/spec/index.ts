/**
 * The stack config contract: `multicluster-mesh:*` keys → a validated, fully defaulted FleetSpec.
 *
 * `checkFleetConfig` returns every problem at once; `parseFleetSpec` throws them together as a SpecError.
 */
import { z } from "zod";
import { type Issue, joinPath, SpecError } from "../issues";
import { MAX_ENVIRONMENT_LENGTH } from "../names";
import { CLUSTER_AUTOSCALER_TAGS } from "../cloud/aws-addons";
import { CLOUDS, clusterSchema, completeCluster, type ClusterSpec, NAT_PORTS_PER_ADDRESS } from "./cluster";
import { ipv4Cidr, says, withArticle } from "./common";
import { checkNodeLimits } from "./limits";
import { checkLocation } from "./locations";
import { checkRetiredSlots, type RetiredSlot, retiredSlotsSchema } from "./retired";
import { istioSchema, type IstioSpec } from "../interconnect/istio/spec";
import { submarinerSchema, type SubmarinerSpec } from "../interconnect/submariner/spec";
import { trustSchema, type TrustSpec } from "./trust";

export * from "./cluster";
export * from "./kubernetes-versions";
export * from "../interconnect/istio/spec";
export * from "../interconnect/submariner/spec";
export * from "./retired";
export * from "./trust";

export const MESHES = ["istio", "submariner"] as const;
export type MeshKind = (typeof MESHES)[number];

/** The environment's private address space; every cluster's ranges are carved from it by slot. */
export const DEFAULT_ADDRESS_SPACE = "10.0.0.0/8";

const fleetSchema = z.strictObject({
  mesh: z.enum(MESHES, { error: says("unknown mesh", "use istio or submariner") }),
  clusters: z
    .array(clusterSchema, {
      error: says("clusters must be a list", "list the clusters, each with name, cloud, region, zones and slot"),
    })
    .min(1, says("no clusters", "list at least one cluster (two or more make a mesh)")),
  addressSpace: ipv4Cidr("addressSpace").default(DEFAULT_ADDRESS_SPACE),
  /** Protect clusters and networks from `pulumi destroy` (the root CA is always protected). */
  protect: z.boolean().default(false),
  /** Extra tags (AWS) and labels (GCP) on every cloud resource. */
  tags: z.record(z.string(), z.string()).default({}),
  istio: istioSchema,
  submariner: submarinerSchema,
  trust: trustSchema,
  /** Slots of removed clusters, never given to another cluster (see ./retired.ts). */
  retiredSlots: retiredSlotsSchema,
});

/** What a person asked for, every default applied. Plain data. */
export interface FleetSpec {
  /** The environment (Pulumi stack) name: dev, staging, prod, ... */
  readonly environment: string;
  readonly mesh: MeshKind;
  readonly clusters: readonly ClusterSpec[];
  readonly addressSpace: string;
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly istio: IstioSpec;
  readonly submariner: SubmarinerSpec;
  readonly trust: TrustSpec;
  readonly retiredSlots: readonly RetiredSlot[];
}

/** Validates raw config values and returns every problem; an empty list means `parseFleetSpec` succeeds. */
export function checkFleetConfig(raw: unknown, environment: string): Issue[] {
  return parse(raw, environment).issues;
}

/** Validates raw config values into a FleetSpec; throws a SpecError listing every problem. */
export function parseFleetSpec(raw: unknown, environment: string): FleetSpec {
  const { spec, issues } = parse(raw, environment);
  if (issues.length > 0 || spec === undefined) {
    throw new SpecError(issues);
  }
  return spec;
}

/** The stack name becomes part of physical names, so it must be a short DNS label. */
function checkEnvironment(environment: string): Issue[] {
  return /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(environment) && environment.length <= MAX_ENVIRONMENT_LENGTH
    ? []
    : [
        {
          path: "",
          message: `the stack name must be a lowercase DNS label of at most ${MAX_ENVIRONMENT_LENGTH} characters, as it prefixes cloud resource names`,
          fix: "rename the stack (and its stacks/Pulumi.<stack>.yaml), e.g. dev, staging, prod-eu",
          value: environment,
        },
      ];
}

function parse(raw: unknown, environment: string): { spec?: FleetSpec; issues: Issue[] } {
  const envIssues = checkEnvironment(environment);
  const result = fleetSchema.safeParse(raw);
  if (!result.success) {
    // Structural problems first; cross-field checks also run on whatever clusters parsed, so one pass reports all.
    const issues = result.error.issues.flatMap((i) => toIssues(i, raw));
    return { issues: byPath([...envIssues, ...issues, ...checkClustersLoosely(raw)]) };
  }
  const parsed = result.data;
  const clusters = parsed.clusters.map(completeCluster);
  const spec: FleetSpec = {
    environment,
    mesh: parsed.mesh,
    clusters,
    addressSpace: parsed.addressSpace,
    protect: parsed.protect,
    tags: parsed.tags,
    istio: { ...parsed.istio, meshId: parsed.istio.meshId ?? `${environment}-mesh` },
    submariner: parsed.submariner,
    trust: parsed.trust,
    retiredSlots: parsed.retiredSlots,
  };
  return { spec, issues: byPath([...envIssues, ...checkFleetSpec(spec)]) };
}

/** Cross-field rules over a structurally valid spec. */
export function checkFleetSpec(spec: FleetSpec): Issue[] {
  const issues: Issue[] = [...checkClusterSet(spec.clusters), ...checkRetiredSlots(spec.clusters, spec.retiredSlots)];
  spec.clusters.forEach((c, i) => issues.push(...checkCluster(c, `clusters[${i}]`)));
  if (spec.mesh === "submariner") {
    const wanted = spec.submariner.gatewayNodes.count;
    spec.clusters.forEach((c, i) => {
      if (c.cloud !== "existing" && c.zones.length < wanted) {
        issues.push({
          path: `clusters[${i}].zones`,
          message: `fewer zones than submariner.gatewayNodes.count (${wanted}); gateway nodes go one per zone`,
          fix: `list at least ${wanted} zones, or lower submariner.gatewayNodes.count`,
          value: c.zones,
        });
      }
    });
  }
  const broker = spec.submariner.brokerCluster;
  if (spec.mesh === "submariner" && broker !== undefined && !spec.clusters.some((c) => c.name === broker)) {
    issues.push({
      path: "submariner.brokerCluster",
      message: "names no cluster of this stack",
      fix: `use one of: ${spec.clusters.map((c) => c.name).join(", ")}`,
      value: broker,
    });
  }
  return issues;
}

interface ClusterIdentity {
  readonly name?: unknown;
  readonly slot?: unknown;
}

/** Names and slots must be unique across the environment. */
function checkClusterSet(clusters: readonly ClusterIdentity[]): Issue[] {
  const issues: Issue[] = [];
  const firstName = new Map<unknown, number>();
  const firstSlot = new Map<unknown, number>();
  clusters.forEach((c, i) => {
    if (typeof c.name === "string") {
      const first = firstName.get(c.name);
      if (first === undefined) {
        firstName.set(c.name, i);
      } else {
        issues.push({
          path: `clusters[${i}].name`,
          message: `duplicate cluster name, already used by clusters[${first}]`,
          fix: "give every cluster its own name",
          value: c.name,
        });
      }
    }
    if (typeof c.slot === "number") {
      const first = firstSlot.get(c.slot);
      if (first === undefined) {
        firstSlot.set(c.slot, i);
      } else {
        issues.push({
          path: `clusters[${i}].slot`,
          message: `duplicate slot, already used by clusters[${first}]`,
          fix: "give every cluster its own slot; use the next unused number for a new cluster and never reuse one",
          value: c.slot,
        });
      }
    }
  });
  return issues;
}

/** Rules within one cluster: region and zone names, cloud sections, required ranges. */
function checkCluster(c: ClusterSpec, at: string): Issue[] {
  const issues: Issue[] = [];
  if (c.cloud === "aws" || c.cloud === "gcp") {
    issues.push(...checkLocation({ ...c, cloud: c.cloud }, at), ...checkNodeLimits({ ...c, cloud: c.cloud }, at));
  }
  const seen = new Set<string>();
  c.zones.forEach((zone, z) => {
    if (seen.has(zone)) {
      issues.push({ path: `${at}.zones[${z}]`, message: "zone listed twice", fix: "list each zone once", value: zone });
    }
    seen.add(zone);
  });
  if (
    c.cloud === "aws" &&
    c.aws?.clusterAutoscaler === true &&
    CLUSTER_AUTOSCALER_TAGS[c.kubernetesVersion] === undefined
  ) {
    issues.push({
      path: `${at}.kubernetesVersion`,
      message: "no Cluster Autoscaler release is pinned for this Kubernetes version",
      fix: `use one of ${Object.keys(CLUSTER_AUTOSCALER_TAGS).join(", ")}, or set ${at}.aws.clusterAutoscaler: false`,
      value: c.kubernetesVersion,
    });
  }
  if (c.cloud === "aws" && c.zones.length < 2) {
    issues.push({
      path: `${at}.zones`,
      message: "EKS needs subnets in at least two zones",
      fix: "list two or more zones of the region",
      value: c.zones,
    });
  }
  for (const section of CLOUDS) {
    const present = c[section] !== undefined;
    if (section === c.cloud && section !== "aws" && !present) {
      issues.push({
        path: `${at}.${section}`,
        message: `${withArticle(section)} cluster needs its ${section} section`,
        fix:
          section === "gcp"
            ? `add ${at}.gcp.project`
            : `add ${at}.existing with kubeconfig and endpoint (the API URL the other clusters reach)`,
        value: undefined,
      });
    }
    if (section !== c.cloud && present) {
      issues.push({
        path: `${at}.${section}`,
        message: `settings for ${section} on ${withArticle(c.cloud)} cluster`,
        fix: `remove ${at}.${section}, or set cloud: ${section}`,
        value: c[section],
      });
    }
  }
  if (c.nodes.maxPerZone < c.nodes.countPerZone) {
    issues.push({
      path: `${at}.nodes.maxPerZone`,
      message: `is lower than nodes.countPerZone, which is ${c.nodes.countPerZone}`,
      fix: "raise maxPerZone to at least countPerZone",
      value: c.nodes.maxPerZone,
    });
  }
  const nat = c.gcp?.nat;
  if (nat !== undefined && c.zones.length * c.nodes.maxPerZone * nat.minPortsPerVm > NAT_PORTS_PER_ADDRESS) {
    const nodes = c.zones.length * c.nodes.maxPerZone;
    issues.push({
      path: `${at}.gcp.nat.minPortsPerVm`,
      message: `${nodes} nodes (zones × nodes.maxPerZone) would need more ports than one NAT address gives (${NAT_PORTS_PER_ADDRESS}; the second address is headroom)`,
      fix: `lower it to ${largestPowerOfTwo(NAT_PORTS_PER_ADDRESS / nodes)} or less, or lower nodes.maxPerZone`,
      value: nat.minPortsPerVm,
    });
  }
  if (c.cloud === "existing") {
    for (const range of ["nodes", "pods", "services"] as const) {
      if (c.cidrs[range] === undefined) {
        issues.push({
          path: `${at}.cidrs.${range}`,
          message: `an existing cluster must declare its ${range} range`,
          fix: `set ${at}.cidrs.${range} to the range the cluster already uses`,
          value: undefined,
        });
      }
    }
  }
  return issues;
}

/** The largest power of two not above n (n ≥ 1). */
function largestPowerOfTwo(n: number): number {
  return 2 ** Math.floor(Math.log2(n));
}

/**
 * When the schema already failed, still run the cross-field rules on whatever parsed:
 * duplicate names and slots among the raw clusters, and the per-cluster rules for each cluster that parses alone.
 */
function checkClustersLoosely(raw: unknown): Issue[] {
  if (typeof raw !== "object" || raw === null) {
    return [];
  }
  const clusters = (raw as { clusters?: unknown }).clusters;
  if (!Array.isArray(clusters)) {
    return [];
  }
  const issues = checkClusterSet(clusters.map((c): ClusterIdentity => (typeof c === "object" && c !== null ? c : {})));
  clusters.forEach((c, i) => {
    const one = clusterSchema.safeParse(c);
    if (one.success) {
      issues.push(...checkCluster(completeCluster(one.data), `clusters[${i}]`));
    }
  });
  return issues;
}

/** Orders issues by config path (clusters[2] before clusters[10]), keeping the order within one path. */
function byPath(issues: Issue[]): Issue[] {
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => a.issue.path.localeCompare(b.issue.path, "en", { numeric: true }) || a.index - b.index)
    .map((x) => x.issue);
}

/** Reads the raw value at a zod path, for the `(value)` part of a message. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") {
      return undefined;
    }
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Translates one zod issue into our issue form (`problem — fix` messages are split; the rest get a generic fix). */
function toIssues(issue: z.core.$ZodIssue, raw: unknown): Issue[] {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: joinPath([...path, key]),
      message: "unknown key",
      fix: "remove it or correct its spelling (see the config reference in the README)",
      value: valueAt(raw, [...path, key]),
    }));
  }
  const value = valueAt(raw, path);
  const split = issue.message.indexOf(" — ");
  if (split >= 0) {
    const message = value === undefined ? "is required" : issue.message.slice(0, split);
    return [{ path: joinPath(path), message, fix: issue.message.slice(split + 3), value }];
  }
  if (issue.code === "invalid_type") {
    return [
      value === undefined
        ? {
            path: joinPath(path),
            message: "is required",
            fix: "set it (see the config reference in the README)",
            value,
          }
        : {
            path: joinPath(path),
            message: `must be ${withArticle(issue.expected)}`,
            fix: `write ${withArticle(issue.expected)} here`,
            value,
          },
    ];
  }
  if (issue.code === "invalid_value") {
    const allowed = issue.values.map(String).join(", ");
    return [{ path: joinPath(path), message: "not an allowed value", fix: `use one of: ${allowed}`, value }];
  }
  return [{ path: joinPath(path), message: issue.message, fix: "see the config reference in the README", value }];
}
