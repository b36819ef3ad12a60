/**
 * Facts: turns the resources CrossGuard shows a policy into per-cluster facts, so every rule stays small.
 *
 * All knowledge of resource shapes lives here: type tokens, property paths, tags and labels, chart names and chart
 * values. When a component changes a shape, this is the one file to adjust.
 *
 * Reading is defensive (./read.ts): what is unknown at preview or redacted reads as `undefined`. The fact shapes are
 * in ./fact-types.ts; what a single resource says is in ./resource-facts.ts, this file builds the fleet's facts.
 *
 * Which cluster a resource belongs to is ./attribution.ts, the model the plan renderers share; the environment its
 * name rule strips is the stack of the resources' URNs.
 */
import type { PolicyResource } from "@pulumi/policy";
import type {
  Cloud,
  ClusterFacts,
  FleetFacts,
  IntermediateFacts,
  KeyFacts,
  NetworkFacts,
  ReleaseFacts,
} from "./fact-types";
import { attribute, PROVIDER_SUFFIX, requestOf, stackOfUrn } from "./attribution";
import { bool, list, num, str, stringMap, valueAt } from "./read";

import {
  EASTWEST_LABEL,
  EASTWEST_RELEASE,
  REMOTE_CONTROL_PLANE_VALUES,
  TYPES,
  ZONE_TOPOLOGY_KEY,
  eksFacts,
  eksNodePool,
  gkeDefaultPool,
  gkeFacts,
  gkeNodePool,
  isEastWestService,
  isGcpZone,
  placeable,
  rangesOf,
  regionOfZone,
  releaseFacts,
  secretFacts,
  declaredFacts,
} from "./resource-facts";

export type * from "./fact-types";
export { bool, list, num, present, read, record, SECRET_PLACEHOLDER, str, stringMap, strings, valueAt } from "./read";
export * from "./resource-facts";
export { clusterByName, clusterOfProvider, PROVIDER_SUFFIX, urnName, urnType } from "./attribution";

// ---------------------------------------------------------------------------------------------------------------
// Trust links

function sameParent(a: PolicyResource, b: PolicyResource): boolean {
  return a.parent !== undefined && a.parent.urn === b.parent?.urn;
}

/**
 * The private key a certificate or request was made with: its `privateKeyPem` property dependency, else its only
 * key dependency, else the key whose readable PEM it carries.
 */
function ownKeyOf(r: PolicyResource, keys: readonly KeyFacts[]): PolicyResource | undefined {
  const byProperty = (r.propertyDependencies?.["privateKeyPem"] ?? []).filter((d) => d.type === TYPES.privateKey);
  if (byProperty.length === 1) {
    return byProperty[0];
  }
  const deps = (r.dependencies ?? []).filter((d) => d.type === TYPES.privateKey);
  if (deps.length === 1) {
    return deps[0];
  }
  const pem = str(r.props, "privateKeyPem");
  return pem === undefined ? undefined : keys.find((k) => k.pem === pem)?.resource;
}

/**
 * Root keys: keys of self-signed certificates. When the links are not visible (offline, secrets redacted), a key is
 * a root key if its parent also holds a self-signed certificate and no certificate request.
 */
function rootKeysOf(all: readonly PolicyResource[], keys: readonly KeyFacts[]): KeyFacts[] {
  const roots = new Set<string>();
  for (const cert of all.filter((r) => r.type === TYPES.selfSignedCert)) {
    const key = ownKeyOf(cert, keys);
    if (key) {
      roots.add(key.urn);
      continue;
    }
    const requestSibling = all.some((r) => r.type === TYPES.certRequest && sameParent(r, cert));
    if (!requestSibling) {
      keys.filter((k) => sameParent(k.resource, cert)).forEach((k) => roots.add(k.urn));
    }
  }
  return keys.filter((k) => roots.has(k.urn));
}

// ---------------------------------------------------------------------------------------------------------------
// Fleet

const cache = new WeakMap<readonly PolicyResource[], FleetFacts>();

/** Facts about every cluster and the trust chain, from all resources of a stack (cached per resource list). */
export function fleetFacts(resources: readonly PolicyResource[]): FleetFacts {
  const facts = cache.get(resources) ?? buildFleetFacts(resources);
  cache.set(resources, facts);
  return facts;
}

function buildFleetFacts(all: readonly PolicyResource[]): FleetFacts {
  const keys: KeyFacts[] = all
    .filter((r) => r.type === TYPES.privateKey)
    .map((r) => ({ urn: r.urn, resource: r, pem: str(r.props, "privateKeyPem") }));

  const byUrn = new Map(all.map((r) => [r.urn, r]));
  const placed = all.map(placeable);
  const stack = all[0] === undefined ? undefined : stackOfUrn(all[0].urn);
  const owner = attribute(placed, stack === undefined ? {} : { environment: stack });
  const clusterOf = (r: PolicyResource): string | undefined => owner.clusterOf(r.urn);
  const requestOfCert = (r: PolicyResource): PolicyResource | undefined => {
    const request = requestOf(placeable(r), placed);
    return request === undefined ? undefined : byUrn.get(request.urn);
  };

  const byCluster = new Map<string, PolicyResource[]>();
  for (const r of all) {
    const c = clusterOf(r);
    if (c !== undefined) {
      byCluster.set(c, [...(byCluster.get(c) ?? []), r]);
    }
  }

  const clusters = [...byCluster.keys()].sort().map((name) => clusterFacts(name, byCluster.get(name) ?? []));

  const rootKeys = rootKeysOf(all, keys);
  const intermediates: IntermediateFacts[] = all
    .filter((r) => r.type === TYPES.locallySignedCert && bool(r.props, "isCaCertificate") === true)
    .map((r) => {
      const request = requestOfCert(r);
      return { urn: r.urn, cluster: clusterOf(r), key: request ? ownKeyOf(request, keys) : undefined };
    });

  return {
    clusters,
    rootKeys,
    rootCerts: all.filter((r) => r.type === TYPES.selfSignedCert && bool(r.props, "isCaCertificate") !== false),
    intermediates,
    clusterOf,
  };
}

function clusterFacts(name: string, resources: readonly PolicyResource[]): ClusterFacts {
  const ofType = (type: string): PolicyResource[] => resources.filter((r) => r.type === type);
  const eks = ofType(TYPES.eksCluster).map(eksFacts);
  const gke = ofType(TYPES.gkeCluster).map(gkeFacts);
  const providers = resources.filter((r) => PROVIDER_SUFFIX[r.type] !== undefined);
  const providerOfType = (type: string): PolicyResource | undefined => providers.find((p) => p.type === type);
  const awsProvider = providerOfType(TYPES.awsProvider);
  const gcpProvider = providerOfType(TYPES.gcpProvider);

  const hasAws = awsProvider !== undefined || resources.some((r) => r.type.startsWith("aws:"));
  const hasGcp = gcpProvider !== undefined || resources.some((r) => r.type.startsWith("gcp:"));
  const cloud: Cloud = hasAws ? "aws" : hasGcp ? "gcp" : "existing";
  const declaredBy = ofType(TYPES.existingCluster).find((r) => str(r.props, "cluster") === name);
  const declared = declaredBy === undefined ? undefined : declaredFacts(declaredBy);

  const subnetZones = ofType(TYPES.subnet).flatMap((s) => str(s.props, "availabilityZone") ?? []);
  const gkeLocation = gke.map((g) => g.location).find((l) => l !== undefined);
  const region =
    str(awsProvider?.props, "region") ??
    str(gcpProvider?.props, "region") ??
    (gkeLocation !== undefined ? (isGcpZone(gkeLocation) ? regionOfZone(gkeLocation) : gkeLocation) : undefined) ??
    (subnetZones[0] !== undefined ? regionOfZone(subnetZones[0]) : undefined) ??
    declared?.region;

  const nodePools = [
    ...ofType(TYPES.eksNodeGroup).map(eksNodePool),
    ...ofType(TYPES.gkeNodePool).map((r) => gkeNodePool(r, gke[0])),
  ];
  if (nodePools.length === 0) {
    nodePools.push(...gke.flatMap((g) => gkeDefaultPool(g) ?? []));
  }
  const zoneSet = new Set([...subnetZones, ...nodePools.flatMap((p) => p.zones ?? []), ...(declared?.zones ?? [])]);

  const networks: NetworkFacts[] = [
    ...ofType(TYPES.vpc).map((r): NetworkFacts => ({ urn: r.urn, kind: "vpc" })),
    ...ofType(TYPES.gcpNetwork).map((r): NetworkFacts => ({
      urn: r.urn,
      kind: "network",
      name: str(r.props, "name") ?? r.name,
      project: str(r.props, "project") ?? str(r.provider?.props, "project") ?? str(gcpProvider?.props, "project"),
    })),
  ];

  const releases = ofType(TYPES.helmRelease).map(releaseFacts);
  const anchor = eks[0]?.urn ?? gke[0]?.urn ?? declared?.urn ?? providers[0]?.urn ?? resources[0]?.urn;

  return {
    name,
    cloud,
    region,
    declared,
    urn: anchor,
    zones: zoneSet.size > 0 ? [...zoneSet].sort() : undefined,
    nodePools,
    networks,
    ranges: resources.flatMap(rangesOf),
    eks,
    gke,
    releases,
    eastWestServices: ofType(TYPES.service)
      .filter(isEastWestService)
      .map((r) => ({ urn: r.urn, name: r.name, annotations: stringMap(r.props, "metadata", "annotations") })),
    secrets: ofType(TYPES.secret).map(secretFacts),
    resources,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Chart-level readings

export function releasesOf(cluster: ClusterFacts, chart: string): ReleaseFacts[] {
  return cluster.releases.filter((r) => r.chart === chart);
}

/** Istio charts a cluster runs (base, istiod, gateway). */
export function istioReleases(cluster: ClusterFacts): ReleaseFacts[] {
  return cluster.releases.filter((r) => r.chart === "base" || r.chart === "istiod" || r.chart === "gateway");
}

/** The east-west gateway release: the gateway chart named istio-eastwestgateway (or labelled/ set as network gateway). */
export function eastWestGateways(cluster: ClusterFacts): ReleaseFacts[] {
  return releasesOf(cluster, "gateway").filter(
    (r) =>
      r.name === EASTWEST_RELEASE ||
      str(r.values, "name") === EASTWEST_RELEASE ||
      str(r.values, "labels", "istio") === EASTWEST_LABEL,
  );
}

/** Replicas the gateway chart keeps at least: autoscaling.minReplicas when autoscaling is on (chart default), else replicaCount. */
export function gatewayMinReplicas(values: Readonly<Record<string, unknown>>): { replicas: number; from: string } {
  if (bool(values, "autoscaling", "enabled") !== false) {
    return { replicas: num(values, "autoscaling", "minReplicas") ?? 1, from: "autoscaling.minReplicas" };
  }
  return { replicas: num(values, "replicaCount") ?? 1, from: "replicaCount" };
}

/** The fewest istiod replicas the istiod chart values keep (chart defaults: autoscaling on, autoscaleMin 1). */
export function istiodMinReplicas(values: Readonly<Record<string, unknown>>): { replicas: number; from: string } {
  if (bool(values, "autoscaleEnabled") !== false) {
    return { replicas: num(values, "autoscaleMin") ?? 1, from: "autoscaleMin" };
  }
  return { replicas: num(values, "replicaCount") ?? 1, from: "replicaCount" };
}

/** True when the chart values (gateway or istiod) spread pods across zones (topology spread or anti-affinity on the zone key). */
export function spreadsAcrossZones(values: Readonly<Record<string, unknown>>): boolean {
  const spread = (list(values, "topologySpreadConstraints") ?? []).some(
    (c) => str(c, "topologyKey") === ZONE_TOPOLOGY_KEY,
  );
  const antiAffinity = [
    "requiredDuringSchedulingIgnoredDuringExecution",
    "preferredDuringSchedulingIgnoredDuringExecution",
  ]
    .flatMap((k) => list(values, "affinity", "podAntiAffinity", k) ?? [])
    .some((t) => (str(t, "topologyKey") ?? str(t, "podAffinityTerm", "topologyKey")) === ZONE_TOPOLOGY_KEY);
  return spread || antiAffinity;
}

/** Primary-remote or external control-plane values set in a release, as `path=value`. */
export function remoteControlPlaneValues(values: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = [];
  for (const path of REMOTE_CONTROL_PLANE_VALUES) {
    const v = valueAt(values, path);
    const set = path === "profile" ? v === "remote" : v === true || (typeof v === "string" && v !== "");
    if (set) {
      found.push(`${path}=${String(v)}`);
    }
  }
  return found;
}
