/**
 * Resource facts: what one resource says about its cluster (type tokens, property paths, tags and labels, chart
 * names), read defensively through ./read.ts. ./facts.ts builds the per-cluster and trust facts from these; rules
 * import both through ./facts.ts.
 *
 * Which cluster a resource belongs to is ./attribution.ts (shared with the plan renderers).
 */
import type { PolicyResource } from "@pulumi/policy";
import { TAG_ZONES } from "./shared/tags";
import { CERT_REQUEST, LOCALLY_SIGNED_CERT, ownCluster, type Placeable, PROVIDER_TYPES } from "./attribution";
import type {
  DeclaredFacts,
  EksFacts,
  GkeFacts,
  NodePoolFacts,
  RangeFacts,
  ReleaseFacts,
  SecretFacts,
} from "./fact-types";
import { bool, list, num, record, str, stringMap, strings } from "./read";

/** Pulumi type tokens the rules look at. */
export const TYPES = {
  awsProvider: PROVIDER_TYPES.aws,
  gcpProvider: PROVIDER_TYPES.gcp,
  k8sProvider: PROVIDER_TYPES.k8s,
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  eksCluster: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  gcpNetwork: "gcp:compute/network:Network",
  gcpSubnetwork: "gcp:compute/subnetwork:Subnetwork",
  natGateway: "aws:ec2/natGateway:NatGateway",
  routerNat: "gcp:compute/routerNat:RouterNat",
  gkeCluster: "gcp:container/cluster:Cluster",
  gkeNodePool: "gcp:container/nodePool:NodePool",
  gcpRouterNat: "gcp:compute/routerNat:RouterNat",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  service: "kubernetes:core/v1:Service",
  secret: "kubernetes:core/v1:Secret",
  privateKey: "tls:index/privateKey:PrivateKey",
  certRequest: CERT_REQUEST,
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  locallySignedCert: LOCALLY_SIGNED_CERT,
  /** The component joining an existing cluster; its inputs are the cluster's declared facts. */
  existingCluster: "multicluster-mesh:cluster:ExistingCluster",
  /** One cluster's trust component; for a brought-in intermediate its inputs are the certificates' public keys. */
  clusterTrust: "multicluster-mesh:trust:ClusterTrust",
} as const;

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
// Attribution (./attribution.ts)

/** The cluster a resource seen by a resource policy belongs to (tag/label, then provider). */
export function clusterOfResource(r: Pick<PolicyResource, "type" | "name" | "props" | "provider">): string | undefined {
  return ownCluster(r);
}

/** A resource as attribution reads it. */
export function placeable(r: PolicyResource): Placeable {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    parent: r.parent?.urn,
    provider: r.provider?.urn,
    props: r.props,
    dependencies: dependenciesOf(r).map((d) => d.urn),
  };
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

export function releaseFacts(r: PolicyResource): ReleaseFacts {
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

/** An existing cluster's declared region, zones and node network, from its component's inputs. */
export function declaredFacts(r: Readable): DeclaredFacts {
  return {
    urn: r.urn,
    region: str(r.props, "region"),
    zones: strings(r.props, "zones"),
    nodeNetwork: str(r.props, "nodeNetwork"),
  };
}

export function isEastWestService(r: Pick<PolicyResource, "props">): boolean {
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

export function eksNodePool(r: PolicyResource): NodePoolFacts {
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

export function gkeNodePool(r: PolicyResource, cluster: GkeFacts | undefined): NodePoolFacts {
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
export function gkeDefaultPool(g: GkeFacts): NodePoolFacts | undefined {
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

export function rangesOf(r: PolicyResource): RangeFacts[] {
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
