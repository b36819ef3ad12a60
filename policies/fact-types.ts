/**
 * The facts the rules read: plain data about each cluster and the trust chain, made by ./facts.ts.
 */
import type { PolicyResource } from "@pulumi/policy";

export type Cloud = "aws" | "gcp" | "existing";

export interface NodePoolFacts {
  readonly urn: string;
  readonly name: string;
  /** The zones the pool's nodes may run in; undefined when only a count is known (see zoneCount). */
  readonly zones: readonly string[] | undefined;
  /** How many zones: zones.length, or GKE's default for a regional pool without nodeLocations. */
  readonly zoneCount: number | undefined;
  /** The fewest nodes the pool keeps (EKS minSize; GKE per-zone minimum × zones); undefined when not set. */
  readonly minNodes: number | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** Runs Submariner gateways (node label submariner.io/gateway=true). */
  readonly gateway: boolean;
}

export interface NetworkFacts {
  readonly urn: string;
  readonly kind: "vpc" | "network";
  /** GCP network name (global per project); undefined for AWS VPCs. */
  readonly name?: string;
  readonly project?: string;
}

export interface RangeFacts {
  readonly urn: string;
  /** What the range is, for messages: "VPC cidrBlock", "EKS serviceIpv4Cidr", ... */
  readonly what: string;
  readonly cidr: string;
}

export interface EksFacts {
  readonly urn: string;
  readonly name: string;
  readonly logTypes: readonly string[];
  readonly serviceCidr: string | undefined;
}

export interface GkeFacts {
  readonly urn: string;
  readonly name: string;
  readonly location: string | undefined;
  readonly nodeLocations: readonly string[] | undefined;
  /** Last path segment of the `network` input (name or self link), when known. */
  readonly network: string | undefined;
  /** The default node pool stays (removeDefaultNodePool unset or false). */
  readonly keepsDefaultPool: boolean;
  /** Nodes per zone of the default pool. */
  readonly initialNodeCount: number | undefined;
  readonly resourceName: string;
}

export interface ReleaseFacts {
  readonly urn: string;
  /** Chart name without repository or version: base, istiod, gateway, submariner-operator, ... */
  readonly chart: string;
  /** Helm release name (the `name` input, else the resource name). */
  readonly name: string;
  readonly namespace: string | undefined;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface ServiceFacts {
  readonly urn: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface SecretFacts {
  readonly urn: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** Data keys (data and stringData), when readable. */
  readonly keys: readonly string[];
  /** Readable values by key, raw and base64-decoded (real CrossGuard sees secrets in plaintext after `up`). */
  readonly values: Readonly<Record<string, readonly string[]>>;
  readonly dependencies: readonly PolicyResource[];
}

/** What an existing cluster's stack file declares (the inputs of its ExistingCluster component). */
export interface DeclaredFacts {
  readonly urn: string;
  readonly region: string | undefined;
  readonly zones: readonly string[] | undefined;
  /** The node network (CIDR) its nodes live in. */
  readonly nodeNetwork: string | undefined;
}

export interface ClusterFacts {
  readonly name: string;
  readonly cloud: Cloud;
  /** The cloud's region; for an existing cluster, its declared region. */
  readonly region: string | undefined;
  /** An existing cluster's declared region, zones and node network; undefined for EKS/GKE clusters. */
  readonly declared: DeclaredFacts | undefined;
  /** Where a violation about the whole cluster is reported: its EKS/GKE cluster, else its provider. */
  readonly urn: string | undefined;
  /** Every zone the cluster's subnets and nodes use, or an existing cluster declares (undefined when none is known). */
  readonly zones: readonly string[] | undefined;
  readonly nodePools: readonly NodePoolFacts[];
  readonly networks: readonly NetworkFacts[];
  readonly ranges: readonly RangeFacts[];
  readonly eks: readonly EksFacts[];
  readonly gke: readonly GkeFacts[];
  readonly releases: readonly ReleaseFacts[];
  /** Services labelled istio=eastwestgateway in istio-system. */
  readonly eastWestServices: readonly ServiceFacts[];
  readonly secrets: readonly SecretFacts[];
  readonly resources: readonly PolicyResource[];
}

export interface KeyFacts {
  readonly urn: string;
  readonly resource: PolicyResource;
  /** The key PEM, when readable (real CrossGuard after `up`). */
  readonly pem: string | undefined;
}

export interface IntermediateFacts {
  readonly urn: string;
  readonly cluster: string | undefined;
  /** The intermediate's own key, when it can be told. */
  readonly key: PolicyResource | undefined;
}

export interface FleetFacts {
  /** Every cluster, by name. */
  readonly clusters: readonly ClusterFacts[];
  /** Root CA keys: keys of self-signed certificates. */
  readonly rootKeys: readonly KeyFacts[];
  /** Root CA certificates (self-signed). */
  readonly rootCerts: readonly PolicyResource[];
  /** Intermediate CA certificates (locally signed, isCaCertificate). */
  readonly intermediates: readonly IntermediateFacts[];
  /** The cluster a resource belongs to. */
  clusterOf(r: PolicyResource): string | undefined;
}
