/**
 * One entry of `multicluster-mesh:clusters`: where a cluster lives, its stable address slot, and its cloud settings.
 * Defaults are written here once; the README's config reference repeats them for people.
 */
import { z } from "zod";
import { DEFAULT_KUBERNETES_VERSION } from "./kubernetes-versions";
import { LOG_RETENTION_DAYS } from "../cloud/aws-addons";
import { SECURITY_GROUP_RULES_CEILING, SECURITY_GROUP_RULES_DEFAULT } from "../cloud/aws-quotas";
import { dnsLabel, httpsUrl, ipv4Cidr, MAX_CLUSTER_NAME_LENGTH, positiveInt, says } from "./common";

export const CLOUDS = ["aws", "gcp", "existing"] as const;
export type Cloud = (typeof CLOUDS)[number];

/** Default node machine type per cloud. */
export const DEFAULT_INSTANCE_TYPE: Record<Exclude<Cloud, "existing">, string> = {
  aws: "m6i.large",
  gcp: "e2-standard-4",
};

const nodesSchema = z
  .strictObject({
    /** Machine type; default per cloud (`DEFAULT_INSTANCE_TYPE`). */
    instanceType: z.string().min(1).optional(),
    /** Nodes started in every zone; the node group holds `countPerZone × zones`. */
    countPerZone: positiveInt("nodes.countPerZone").default(1),
    /** Upper bound per zone for the autoscaler. */
    maxPerZone: positiveInt("nodes.maxPerZone").default(3),
    diskSizeGiB: positiveInt("nodes.diskSizeGiB").default(50),
    /** GKE only: sizes each node's pod range (/24 for 110). */
    maxPodsPerNode: positiveInt("nodes.maxPodsPerNode").max(256).default(110),
  })
  // Defaults are the fields' own, written once above.
  .prefault({});

/** Bring-your-own address ranges; unset ranges are carved from the environment's address space by slot. */
const cidrsSchema = z
  .strictObject({
    /** AWS: the VPC; GCP: the subnetwork's primary range; existing: the node network. */
    nodes: ipv4Cidr("cidrs.nodes").optional(),
    /** GCP: the pods secondary range; existing: the pod network. EKS pods use the VPC range. */
    pods: ipv4Cidr("cidrs.pods").optional(),
    /** EKS: serviceIpv4Cidr; GCP: the services secondary range; existing: the service network. */
    services: ipv4Cidr("cidrs.services").optional(),
    /** GCP private control plane /28. */
    controlPlane: ipv4Cidr("cidrs.controlPlane").optional(),
  })
  .default({});

const awsSchema = z.strictObject({
  /** Role the AWS provider assumes for this cluster (cross-account fleets); unset uses the caller's credentials. */
  assumeRoleArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/,
      says("not an IAM role ARN", "write arn:aws:iam::<account>:role/<name>"),
    )
    .optional(),
  /** `per-zone`: one NAT gateway per zone (survives a zone outage); `single`: one shared NAT (cheaper, dev). */
  natGateways: z
    .enum(["per-zone", "single"], { error: says("unknown NAT layout", "use per-zone or single") })
    .default("per-zone"),
  /** IAM principals granted cluster-admin through EKS access entries, besides the deploying identity. */
  adminPrincipalArns: z
    .array(
      z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:.+$/, says("not an IAM ARN", "write arn:aws:iam::<account>:role/<name>")),
    )
    .default([]),
  /** Envelope-encrypt Kubernetes Secrets (cacerts, remote-secret tokens) with a cluster-owned KMS key (rotated yearly). */
  secretsEncryption: z.boolean().default(true),
  /** Days CloudWatch keeps the control-plane logs (`/aws/eks/<cluster>/cluster`); one of CloudWatch's periods. */
  logRetentionDays: z
    .number({ error: says("logRetentionDays must be a number", "write a number of days such as 90") })
    .refine(
      (d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d),
      says("not a CloudWatch retention period", `use one of ${LOG_RETENTION_DAYS.join(", ")}`),
    )
    .default(90),
  /** Install the Cluster Autoscaler, which scales the node groups between their min and max sizes. */
  clusterAutoscaler: z.boolean().default(true),
  /**
   * The account's "Inbound or outbound rules per security group" quota in the cluster's region (Service Quotas
   * L-0EA8095F): the plan refuses a cluster whose security groups would need more inbound rules than this.
   */
  securityGroupRulesQuota: positiveInt("aws.securityGroupRulesQuota")
    .max(
      SECURITY_GROUP_RULES_CEILING,
      says(
        `aws.securityGroupRulesQuota is above ${SECURITY_GROUP_RULES_CEILING}`,
        `EC2 caps rules per security group × security groups per network interface at ${SECURITY_GROUP_RULES_CEILING}; write the quota your account has`,
      ),
    )
    .default(SECURITY_GROUP_RULES_DEFAULT),
});

/** Cloud NAT gives each address 64,512 source ports (1024-65535) to share among the VMs behind it. */
export const NAT_PORTS_PER_ADDRESS = 64512;

/** A power of two from 32 to 65536, as Cloud NAT's dynamic port allocation requires. */
function natPorts(what: string, fallback: number) {
  return positiveInt(what)
    .refine(
      (n) => n >= 32 && n <= 65536 && (n & (n - 1)) === 0,
      says(`${what} is not a power of two from 32 to 65536`, "use 32, 64, 128, ..., 65536"),
    )
    .default(fallback);
}

/**
 * Cloud NAT of the cluster's network: dynamic port allocation, so a node that opens many connections to one peer
 * gateway address (every sidecar's mTLS connections to a remote cluster go there) grows its share of ports instead of
 * dropping new connections after 64 (static allocation's default).
 */
const natSchema = z
  .strictObject({
    /** Ports every node is guaranteed per destination (default 1024: 16× static allocation's 64). */
    minPortsPerVm: natPorts("gcp.nat.minPortsPerVm", 1024),
    /** Ports a node may grow to (default 16384, a quarter of the NAT address's ports). */
    maxPortsPerVm: natPorts("gcp.nat.maxPortsPerVm", 16384),
  })
  .refine(
    (n) => n.maxPortsPerVm > n.minPortsPerVm,
    says(
      "gcp.nat.maxPortsPerVm must be greater than gcp.nat.minPortsPerVm",
      "raise maxPortsPerVm or lower minPortsPerVm",
    ),
  )
  .prefault({});

const gcpSchema = z.strictObject({
  /** The GCP project the cluster and its network live in. */
  project: z
    .string({ error: says("a GCP project id is required", "set clusters[i].gcp.project to your project id") })
    .regex(
      /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/,
      says("not a GCP project id", "use the project id (6-30 lowercase letters, digits, '-')"),
    ),
  /** Networks allowed to reach the API server (master authorized networks). Empty: reachable from anywhere via TLS + auth. */
  authorizedNetworks: z
    .array(z.strictObject({ name: z.string().min(1), cidr: ipv4Cidr("authorizedNetworks[].cidr") }))
    .default([]),
  /** true: the API server has no public endpoint (peers then need a VPN to reach it). */
  privateEndpoint: z.boolean().default(false),
  releaseChannel: z
    .enum(["RAPID", "REGULAR", "STABLE"], { error: says("unknown release channel", "use RAPID, REGULAR or STABLE") })
    .default("REGULAR"),
  nat: natSchema,
  /**
   * true (default): Secrets are encrypted at the application layer with a Cloud KMS key of the cluster's own, in its
   * region (GKE's `databaseEncryption`). false: only Google's default encryption at rest.
   */
  secretsEncryption: z.boolean().default(true),
});

const existingSchema = z.strictObject({
  /** A kubeconfig's contents (set it as a secret) or a path to a kubeconfig file. */
  kubeconfig: z
    .string({
      error: says(
        "a kubeconfig is required for an existing cluster",
        "set clusters[i].existing.kubeconfig (pulumi config set --secret --path)",
      ),
    })
    .min(1),
  /** The kubeconfig context to use; unset uses the current context. */
  context: z.string().min(1).optional(),
  /** The API server URL as the other clusters reach it (written into their remote secrets). */
  endpoint: httpsUrl("existing.endpoint"),
  /**
   * The public addresses the cluster's gateway nodes meet their peers from (a.b.c.d/32 each): the program reserves no
   * addresses for an existing cluster, so its Submariner peers admit the tunnel ports from these alone. Required when
   * the cluster joins a Submariner fleet.
   */
  gatewayAddresses: z.array(ipv4Cidr("existing.gatewayAddresses[]")).min(1).optional(),
});

export const clusterSchema = z.strictObject({
  /** DNS label, unique: Istio clusterName, Submariner clusterId and the stem of every resource name. */
  name: dnsLabel("cluster name", MAX_CLUSTER_NAME_LENGTH),
  cloud: z.enum(CLOUDS, { error: says("unknown cloud", "use aws, gcp or existing") }),
  region: z.string({ error: says("region must be a string", "write the cloud's region, e.g. us-east-1") }).min(1),
  /** Accept a region (and zones) newer than the lists in plan/regions.ts; the names' shape is still checked. */
  allowUnlistedRegion: z.boolean().default(false),
  zones: z
    .array(z.string({ error: says("zone must be a string", "write a zone of the region, e.g. us-east-1a") }), {
      error: says("zones must be a list", "write e.g. [us-east-1a, us-east-1b]"),
    })
    .min(1, says("no zones", "list at least one zone of the region")),
  /** Stable address slot, unique per environment: the cluster's ranges are carved from the address space by it. */
  slot: z
    .number({ error: says("slot must be a number", "give every cluster its own whole number from 0 up") })
    .int(says("slot must be a whole number", "use 0, 1, 2, ..."))
    .nonnegative(says("slot must not be negative", "use 0, 1, 2, ...")),
  /** Istio network name; default: the cluster name (every cluster its own network). */
  network: dnsLabel("network", 63).optional(),
  /** Kubernetes minor version, e.g. "1.35"; the cloud must offer it (./kubernetes-versions.ts). */
  kubernetesVersion: z
    .string({ error: says("kubernetesVersion must be a string", 'quote it, e.g. "1.35"') })
    .regex(/^1\.\d{2}$/, says("not a Kubernetes minor version", 'write it as "1.35"'))
    .default(DEFAULT_KUBERNETES_VERSION),
  nodes: nodesSchema,
  cidrs: cidrsSchema,
  aws: awsSchema.optional(),
  gcp: gcpSchema.optional(),
  existing: existingSchema.optional(),
});

export type ClusterInput = z.input<typeof clusterSchema>;
type ParsedCluster = z.output<typeof clusterSchema>;

/** A cluster as the planners see it: every default applied. */
export interface ClusterSpec extends Omit<ParsedCluster, "network" | "nodes" | "aws"> {
  readonly network: string;
  readonly nodes: ParsedCluster["nodes"] & { readonly instanceType: string };
  readonly aws?: z.output<typeof awsSchema>;
}

export type GcpClusterSettings = z.output<typeof gcpSchema>;
export type AwsClusterSettings = z.output<typeof awsSchema>;
export type ExistingClusterSettings = z.output<typeof existingSchema>;

/** Applies the defaults that depend on other fields (network name, machine type, AWS settings). */
export function completeCluster(c: ParsedCluster): ClusterSpec {
  const instanceType = c.nodes.instanceType ?? (c.cloud === "existing" ? "" : DEFAULT_INSTANCE_TYPE[c.cloud]);
  const aws = c.cloud === "aws" ? (c.aws ?? awsSchema.parse({})) : c.aws;
  return { ...c, network: c.network ?? c.name, nodes: { ...c.nodes, instanceType }, ...(aws ? { aws } : {}) };
}
