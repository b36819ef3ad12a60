/**
 * Facts: turns the resources CrossGuard shows a policy into per-cluster facts, so every rule stays small.
 *
 * All knowledge of resource shapes lives here: type tokens, property paths, tags and labels, chart names and chart
 * values. When a component changes a shape, this is the one file to adjust.
 *
 * Reading is defensive (./read.ts): what is unknown at preview or redacted reads as `undefined`. The fact shapes are
 * in ./fact-types.ts.
 *
 * Which cluster a resource belongs to, first match wins:
 *   1. its own tag `multicluster-mesh/cluster` (AWS) or label `multicluster-mesh-cluster` (GCP);
 *   2. its provider, named `<cluster>-aws`, `<cluster>-gcp` or `<cluster>-k8s` (a provider resource: its own name);
 *   3. for an Istio intermediate CA: the locality (L=<cluster>) of its certificate request;
 *   4. the nearest ancestor that belongs to a cluster or is a component named exactly like a cluster.
 */
import type { PolicyResource } from "@pulumi/policy";
import { LABEL_CLUSTER, TAG_CLUSTER, TAG_ZONES } from "../plan/names";
import type {
  Cloud,
  ClusterFacts,
  EksFacts,
  FleetFacts,
  GkeFacts,
  IntermediateFacts,
  KeyFacts,
  NetworkFacts,
  NodePoolFacts,
  RangeFacts,
  ReleaseFacts,
  SecretFacts,
} from "./fact-types";
import { bool, list, num, record, str, stringMap, strings, valueAt } from "./read";

export type * from "./fact-types";
export { bool, list, num, read, record, SECRET_PLACEHOLDER, str, stringMap, strings, valueAt } from "./read";

/** Pulumi type tokens the rules look at. */
export const TYPES = {
  awsProvider: "pulumi:providers:aws",
  gcpProvider: "pulumi:providers:gcp",
  k8sProvider: "pulumi:providers:kubernetes",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  eksCluster: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  gcpNetwork: "gcp:compute/network:Network",
  gcpSubnetwork: "gcp:compute/subnetwork:Subnetwork",
  gkeCluster: "gcp:container/cluster:Cluster",
  gkeNodePool: "gcp:container/nodePool:NodePool",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  service: "kubernetes:core/v1:Service",
  secret: "kubernetes:core/v1:Secret",
  privateKey: "tls:index/privateKey:PrivateKey",
  certRequest: "tls:index/certRequest:CertRequest",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
} as const;

/** Provider type → the suffix of the per-cluster provider's name. */
const PROVIDER_SUFFIX: Readonly<Record<string, string>> = {
  [TYPES.awsProvider]: "-aws",
  [TYPES.gcpProvider]: "-gcp",
  [TYPES.k8sProvider]: "-k8s",
};

/** Node label and taint of Submariner gateway nodes. */
export const SUBMARINER_GATEWAY_LABEL = "submariner.io/gateway";
/** Istio namespace, the plug-in CA Secret, the east-west gateway's release name and selector label. */
export const ISTIO_NAMESPACE = "istio-system";
export const CACERTS_SECRET = "cacerts";
export const CACERTS_KEY = "ca-key.pem";
export const EASTWEST_RELEASE = "istio-eastwestgateway";
export const EASTWEST_LABEL = "eastwestgateway";
/** Secret data keys that would hold a root key (istioctl's own tooling calls it root-key.pem). */
export const ROOT_KEY_DATA_KEYS = ["root-key.pem"] as const;
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";
export const AWS_LB_ATTRIBUTES = "service.beta.kubernetes.io/aws-load-balancer-attributes";
export const AWS_CROSS_ZONE = "load_balancing.cross_zone.enabled=true";
/** Values of the istiod/base charts that make a cluster depend on another cluster's control plane. */
export const REMOTE_CONTROL_PLANE_VALUES = [
  "istiodRemote.enabled",
  "global.remotePilotAddress",
  "global.externalIstiod",
  "global.configCluster",
  "profile",
] as const;
/** Zones a regional GKE cluster's nodes use when nodeLocations is unset (GKE's default). */
export const GKE_DEFAULT_ZONE_COUNT = 3;

// ---------------------------------------------------------------------------------------------------------------
// Attribution

/** The cluster a provider serves, from its name `<cluster>-aws|gcp|k8s`. */
export function clusterOfProvider(
  provider: { readonly type: string; readonly name: string } | undefined,
): string | undefined {
  const suffix = provider ? PROVIDER_SUFFIX[provider.type] : undefined;
  if (!provider || suffix === undefined || !provider.name.endsWith(suffix) || provider.name.length === suffix.length) {
    return undefined;
  }
  return provider.name.slice(0, -suffix.length);
}

/** Cluster tag or label a resource carries itself. */
function clusterTag(r: Pick<PolicyResource, "props">): string | undefined {
  return (
    str(r.props, "tags", TAG_CLUSTER) ??
    str(r.props, "labels", LABEL_CLUSTER) ??
    str(r.props, "resourceLabels", LABEL_CLUSTER) ??
    str(r.props, "nodeConfig", "resourceLabels", LABEL_CLUSTER)
  );
}

/** The cluster a resource seen by a resource policy belongs to (tag/label, then provider). */
export function clusterOfResource(r: Pick<PolicyResource, "type" | "name" | "props" | "provider">): string | undefined {
  if (PROVIDER_SUFFIX[r.type] !== undefined) {
    return clusterOfProvider(r);
  }
  return clusterTag(r) ?? clusterOfProvider(r.provider);
}

/** All dependencies of a resource: explicit and per property, without duplicates. */
export function dependenciesOf(r: PolicyResource): PolicyResource[] {
  const seen = new Map<string, PolicyResource>();
  for (const d of [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()]) {
    seen.set(d.urn, d);
  }
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------------------------
// Per-resource readings (also used by resource policies)

type Readable = Pick<PolicyResource, "urn" | "name" | "props">;

export function eksFacts(r: Readable): EksFacts {
  return {
    urn: r.urn,
    name: str(r.props, "name") ?? r.name,
    logTypes: strings(r.props, "enabledClusterLogTypes") ?? [],
    serviceCidr: str(r.props, "kubernetesNetworkConfig", "serviceIpv4Cidr"),
  };
}

export function gkeFacts(r: Readable): GkeFacts {
  const network = str(r.props, "network");
  return {
    urn: r.urn,
    name: str(r.props, "name") ?? r.name,
    location: str(r.props, "location"),
    nodeLocations: strings(r.props, "nodeLocations"),
    network: network?.split("/").pop(),
    keepsDefaultPool: bool(r.props, "removeDefaultNodePool") !== true,
    initialNodeCount: num(r.props, "initialNodeCount"),
    resourceName: r.name,
  };
}

/** GCP zones end in -<letter> (us-central1-a); regions do not (us-central1). */
export function isGcpZone(location: string): boolean {
  return /-[a-z]$/.test(location);
}

/** us-central1-a → us-central1; us-east-1a → us-east-1. */
export function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, "").replace(/(\d)[a-z]$/, "$1");
}

/** `istiod`, `istio/istiod`, `oci://…/istiod`, `istiod-1.28.0.tgz` → `istiod`. */
function chartName(chart: string): string {
  const last =
    chart
      .split("/")
      .filter((s) => s !== "")
      .pop() ?? chart;
  return last.replace(/-\d+\.\d+\.\d+.*$/, "");
}

function releaseFacts(r: PolicyResource): ReleaseFacts {
  return {
    urn: r.urn,
    chart: chartName(str(r.props, "chart") ?? ""),
    name: str(r.props, "name") ?? r.name,
    namespace: str(r.props, "namespace"),
    values: record(r.props, "values") ?? {},
  };
}

function decoded(v: string): string[] {
  if (v.includes("-----BEGIN") || !/^[A-Za-z0-9+/=\s]+$/.test(v)) {
    return [v];
  }
  return [v, Buffer.from(v, "base64").toString("utf8")];
}

export function secretFacts(r: PolicyResource): SecretFacts {
  const keys = new Set<string>();
  const values: Record<string, string[]> = {};
  for (const field of ["data", "stringData"]) {
    const data = record(r.props, field);
    for (const [k, v] of Object.entries(data ?? {})) {
      keys.add(k);
      if (typeof v === "string") {
        values[k] = [...(values[k] ?? []), ...decoded(v)];
      }
    }
  }
  return {
    urn: r.urn,
    name: str(r.props, "metadata", "name"),
    namespace: str(r.props, "metadata", "namespace"),
    keys: [...keys],
    values,
    dependencies: dependenciesOf(r),
  };
}

function isEastWestService(r: PolicyResource): boolean {
  return (
    str(r.props, "metadata", "labels", "istio") === EASTWEST_LABEL &&
    (str(r.props, "metadata", "namespace") ?? ISTIO_NAMESPACE) === ISTIO_NAMESPACE
  );
}

function zonesTag(r: PolicyResource): string[] | undefined {
  return str(r.props, "tags", TAG_ZONES)
    ?.split(/\s*,\s*/)
    .filter((z) => z !== "");
}

function eksNodePool(r: PolicyResource): NodePoolFacts {
  const zones = zonesTag(r);
  const labels = stringMap(r.props, "labels");
  return {
    urn: r.urn,
    name: r.name,
    zones,
    zoneCount: zones?.length,
    minNodes: num(r.props, "scalingConfig", "minSize") ?? num(r.props, "scalingConfig", "desiredSize"),
    labels,
    gateway: labels[SUBMARINER_GATEWAY_LABEL] === "true",
  };
}

/** Zones of a GKE pool: its nodeLocations, the cluster's, the zone of a zonal cluster, or GKE's regional default. */
function gkeZones(
  own: readonly string[] | undefined,
  cluster: GkeFacts | undefined,
): { zones?: string[]; count?: number } {
  const zones = own ?? cluster?.nodeLocations;
  if (zones !== undefined && zones.length > 0) {
    return { zones: [...zones], count: zones.length };
  }
  const location = cluster?.location;
  if (location === undefined) {
    return {};
  }
  return isGcpZone(location) ? { zones: [location], count: 1 } : { count: GKE_DEFAULT_ZONE_COUNT };
}

function gkeNodePool(r: PolicyResource, cluster: GkeFacts | undefined): NodePoolFacts {
  const { zones, count } = gkeZones(strings(r.props, "nodeLocations"), cluster);
  const perZone =
    num(r.props, "autoscaling", "minNodeCount") ?? num(r.props, "nodeCount") ?? num(r.props, "initialNodeCount");
  const total = num(r.props, "autoscaling", "totalMinNodeCount");
  const labels = stringMap(r.props, "nodeConfig", "labels");
  return {
    urn: r.urn,
    name: r.name,
    zones,
    zoneCount: count,
    minNodes: total ?? (perZone !== undefined && count !== undefined ? perZone * count : undefined),
    labels,
    gateway: labels[SUBMARINER_GATEWAY_LABEL] === "true",
  };
}

/** The default node pool a GKE cluster keeps unless removeDefaultNodePool is set. */
function gkeDefaultPool(g: GkeFacts): NodePoolFacts | undefined {
  if (!g.keepsDefaultPool) {
    return undefined;
  }
  const { zones, count } = gkeZones(undefined, g);
  const perZone = g.initialNodeCount ?? 1;
  return {
    urn: g.urn,
    name: `${g.resourceName} (default pool)`,
    zones,
    zoneCount: count,
    minNodes: count !== undefined ? perZone * count : undefined,
    labels: {},
    gateway: false,
  };
}

function rangesOf(r: PolicyResource): RangeFacts[] {
  const out: RangeFacts[] = [];
  const add = (what: string, cidr: string | undefined): void => {
    if (cidr !== undefined && cidr !== "") {
      out.push({ urn: r.urn, what, cidr });
    }
  };
  switch (r.type) {
    case TYPES.vpc:
      add("VPC cidrBlock", str(r.props, "cidrBlock"));
      break;
    case TYPES.subnet:
      add("subnet cidrBlock", str(r.props, "cidrBlock"));
      break;
    case TYPES.eksCluster:
      add("EKS serviceIpv4Cidr", str(r.props, "kubernetesNetworkConfig", "serviceIpv4Cidr"));
      break;
    case TYPES.gcpSubnetwork:
      add("subnetwork ipCidrRange", str(r.props, "ipCidrRange"));
      for (const s of list(r.props, "secondaryIpRanges") ?? []) {
        add(`secondary range ${str(s, "rangeName") ?? "?"}`, str(s, "ipCidrRange"));
      }
      break;
    case TYPES.gkeCluster:
      add("GKE masterIpv4CidrBlock", str(r.props, "privateClusterConfig", "masterIpv4CidrBlock"));
      add("GKE clusterIpv4CidrBlock", str(r.props, "ipAllocationPolicy", "clusterIpv4CidrBlock"));
      add("GKE servicesIpv4CidrBlock", str(r.props, "ipAllocationPolicy", "servicesIpv4CidrBlock"));
      break;
  }
  return out;
}

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

/** The certificate request a locally signed certificate was issued for. */
function requestOf(cert: PolicyResource, all: readonly PolicyResource[]): PolicyResource | undefined {
  const linked = [...(cert.propertyDependencies?.["certRequestPem"] ?? []), ...(cert.dependencies ?? [])].find(
    (d) => d.type === TYPES.certRequest,
  );
  if (linked) {
    return linked;
  }
  const pem = str(cert.props, "certRequestPem");
  if (pem !== undefined) {
    const byContent = all.find((r) => r.type === TYPES.certRequest && str(r.props, "certRequestPem") === pem);
    if (byContent) {
      return byContent;
    }
  }
  const siblings = all.filter((r) => r.type === TYPES.certRequest && sameParent(r, cert));
  return siblings.length === 1 ? siblings[0] : undefined;
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
  // Cluster names: from per-cluster providers and from cluster tags/labels.
  const names = new Set(all.flatMap((r) => clusterOfResource(r) ?? []));

  const keys: KeyFacts[] = all
    .filter((r) => r.type === TYPES.privateKey)
    .map((r) => ({ urn: r.urn, resource: r, pem: str(r.props, "privateKeyPem") }));

  const memo = new Map<string, string | null>();
  const clusterOf = (r: PolicyResource): string | undefined => {
    const hit = memo.get(r.urn);
    if (hit !== undefined) {
      return hit ?? undefined;
    }
    memo.set(r.urn, null); // guards against cycles
    const found = attribute(r);
    memo.set(r.urn, found ?? null);
    return found;
  };
  const attribute = (r: PolicyResource): string | undefined => {
    const own = clusterOfResource(r);
    if (own !== undefined) {
      return own;
    }
    if (r.type === TYPES.certRequest) {
      const locality = str(r.props, "subject", "locality");
      if (locality !== undefined && names.has(locality)) {
        return locality;
      }
    }
    if (r.type === TYPES.locallySignedCert) {
      const request = requestOf(r, all);
      const viaRequest = request ? clusterOf(request) : undefined;
      if (viaRequest !== undefined) {
        return viaRequest;
      }
    }
    for (let p = r.parent; p !== undefined; p = p.parent) {
      const fromParent = clusterOfResource(p) ?? (names.has(p.name) ? p.name : undefined);
      if (fromParent !== undefined) {
        return fromParent;
      }
    }
    return undefined;
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
      const request = requestOf(r, all);
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

  const subnetZones = ofType(TYPES.subnet).flatMap((s) => str(s.props, "availabilityZone") ?? []);
  const gkeLocation = gke.map((g) => g.location).find((l) => l !== undefined);
  const region =
    str(awsProvider?.props, "region") ??
    str(gcpProvider?.props, "region") ??
    (gkeLocation !== undefined ? (isGcpZone(gkeLocation) ? regionOfZone(gkeLocation) : gkeLocation) : undefined) ??
    (subnetZones[0] !== undefined ? regionOfZone(subnetZones[0]) : undefined);

  const nodePools = [
    ...ofType(TYPES.eksNodeGroup).map(eksNodePool),
    ...ofType(TYPES.gkeNodePool).map((r) => gkeNodePool(r, gke[0])),
  ];
  if (nodePools.length === 0) {
    nodePools.push(...gke.flatMap((g) => gkeDefaultPool(g) ?? []));
  }
  const zoneSet = new Set([...subnetZones, ...nodePools.flatMap((p) => p.zones ?? [])]);

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
  const anchor = eks[0]?.urn ?? gke[0]?.urn ?? providers[0]?.urn ?? resources[0]?.urn;

  return {
    name,
    cloud,
    region,
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

/** True when the gateway chart values spread pods across zones (topology spread or anti-affinity on the zone key). */
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
