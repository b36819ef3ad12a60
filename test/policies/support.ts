/**
 * A tiny builder of recorded resources (the MockRun shape the offline runner reads), and a healthy fleet made with
 * it: the shapes the components register, written by hand so the policy tests do not need the components.
 */
import { LABEL_CLUSTER, TAG_CLUSTER, TAG_ZONES } from "../../plan/names";
import type { MockRun, RecordedResource } from "../../tools/mock-runtime";
import { type PolicyConfig, type Violation, violationsFor } from "../../tools/policy-runner";

export const PROJECT = "multicluster-mesh";
export const STACK = "test";
export const SECRET = "[secret]";

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

export const STACK_URN = urnOf("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`);

export interface AddOptions {
  readonly parent?: string;
  readonly provider?: string;
  readonly protect?: boolean;
  readonly dependsOn?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

type Recorded = RecordedResource & { propertyDependencies?: Readonly<Record<string, readonly string[]>> };

/** Collects recorded resources; `run()` returns them as a MockRun. */
export class RunBuilder {
  private readonly list: Recorded[] = [
    {
      urn: STACK_URN,
      type: "pulumi:pulumi:Stack",
      name: `${PROJECT}-${STACK}`,
      parent: null,
      provider: null,
      protect: false,
      dependsOn: [],
      inputs: {},
    },
  ];

  add(type: string, name: string, inputs: Record<string, unknown> = {}, opts: AddOptions = {}): string {
    const urn = urnOf(type, name);
    if (this.list.some((r) => r.urn === urn)) {
      throw new Error(`duplicate ${urn}`);
    }
    this.list.push({
      urn,
      type,
      name,
      parent: opts.parent ?? STACK_URN,
      provider: opts.provider ?? null,
      protect: opts.protect ?? false,
      dependsOn: [...(opts.dependsOn ?? [])],
      inputs,
      ...(opts.propertyDependencies ? { propertyDependencies: opts.propertyDependencies } : {}),
    });
    return urn;
  }

  /** Replaces a resource's inputs or options (found by name). */
  change(name: string, edit: (r: Recorded) => Partial<Recorded>): this {
    const i = this.list.findIndex((r) => r.name === name);
    const r = this.list[i];
    if (r === undefined) {
      throw new Error(`no resource named ${name}`);
    }
    this.list[i] = { ...r, ...edit(r) };
    return this;
  }

  /** Changes one input value at a dotted path (`values.global.meshID`). */
  set(name: string, path: string, value: unknown): this {
    return this.change(name, (r) => ({ inputs: setPath(r.inputs, path.split("."), value) }));
  }

  remove(name: string): this {
    const i = this.list.findIndex((r) => r.name === name);
    if (i < 0) {
      throw new Error(`no resource named ${name}`);
    }
    this.list.splice(i, 1);
    return this;
  }

  run(): MockRun {
    return { project: PROJECT, stack: STACK, resources: structuredClone(this.list), outputs: {} };
  }
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) {
    return obj;
  }
  const copy = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) {
      delete copy[head];
    } else {
      copy[head] = value;
    }
    return copy;
  }
  const inner = copy[head];
  copy[head] = setPath(
    typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : {},
    rest,
    value,
  );
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// A healthy fleet

export const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
export const CROSS_ZONE = {
  "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
};

export interface AwsClusterShape {
  readonly name: string;
  readonly region: string;
  readonly zones: readonly string[];
  /** VPC block; subnets are its first /20s, one per zone. */
  readonly vpc: string;
  readonly subnets: readonly string[];
  readonly services: string;
  readonly protect?: boolean;
}

export interface GcpClusterShape {
  readonly name: string;
  readonly project: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly nodes: string;
  readonly pods: string;
  readonly services: string;
  readonly controlPlane: string;
  readonly protect?: boolean;
}

export function addAwsCluster(b: RunBuilder, c: AwsClusterShape): void {
  const aws = b.add("pulumi:providers:aws", `${c.name}-aws`, { region: c.region });
  const tags = { [TAG_CLUSTER]: c.name };
  const network = b.add("multicluster-mesh:network:AwsNetwork", c.name, {}, {});
  b.add(
    "aws:ec2/vpc:Vpc",
    `${c.name}-vpc`,
    { cidrBlock: c.vpc, tags },
    { parent: network, provider: aws, protect: c.protect ?? true },
  );
  c.zones.forEach((zone, i) =>
    b.add(
      "aws:ec2/subnet:Subnet",
      `${c.name}-private-${zone}`,
      { cidrBlock: c.subnets[i], availabilityZone: zone, vpcId: `vpc-${c.name}`, tags },
      { parent: network, provider: aws },
    ),
  );
  const cluster = b.add("multicluster-mesh:cluster:EksCluster", `${c.name}-eks`, {});
  b.add(
    "aws:eks/cluster:Cluster",
    `${c.name}-cluster`,
    {
      name: c.name,
      enabledClusterLogTypes: ALL_LOG_TYPES,
      kubernetesNetworkConfig: { serviceIpv4Cidr: c.services },
      tags,
    },
    { parent: cluster, provider: aws, protect: c.protect ?? true },
  );
  b.add(
    "aws:eks/nodeGroup:NodeGroup",
    `${c.name}-nodes`,
    {
      scalingConfig: { minSize: c.zones.length, desiredSize: c.zones.length, maxSize: 3 * c.zones.length },
      tags: { ...tags, [TAG_ZONES]: c.zones.join(",") },
    },
    { parent: cluster, provider: aws },
  );
  b.add("pulumi:providers:kubernetes", `${c.name}-k8s`, { kubeconfig: SECRET }, { parent: cluster });
}

export function addGcpCluster(b: RunBuilder, c: GcpClusterShape): void {
  const gcp = b.add("pulumi:providers:gcp", `${c.name}-gcp`, { project: c.project, region: c.region });
  const labels = { [LABEL_CLUSTER]: c.name };
  const network = b.add("multicluster-mesh:network:GcpNetwork", c.name, {});
  b.add(
    "gcp:compute/network:Network",
    `${c.name}-vpc`,
    { autoCreateSubnetworks: false },
    { parent: network, provider: gcp, protect: c.protect ?? true },
  );
  b.add(
    "gcp:compute/subnetwork:Subnetwork",
    `${c.name}-subnet`,
    {
      ipCidrRange: c.nodes,
      region: c.region,
      secondaryIpRanges: [
        { rangeName: "pods", ipCidrRange: c.pods },
        { rangeName: "services", ipCidrRange: c.services },
      ],
    },
    { parent: network, provider: gcp },
  );
  const cluster = b.add("multicluster-mesh:cluster:GkeCluster", `${c.name}-gke`, {});
  b.add(
    "gcp:container/cluster:Cluster",
    `${c.name}-cluster`,
    {
      project: c.project,
      location: c.region,
      nodeLocations: [...c.zones],
      resourceLabels: labels,
      network: `https://www.googleapis.com/compute/v1/projects/${c.project}/global/networks/${c.name}-vpc`,
      privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: c.controlPlane },
      removeDefaultNodePool: true,
      initialNodeCount: 1,
    },
    { parent: cluster, provider: gcp, protect: c.protect ?? true },
  );
  b.add(
    "gcp:container/nodePool:NodePool",
    `${c.name}-nodes`,
    {
      location: c.region,
      nodeLocations: [...c.zones],
      autoscaling: { minNodeCount: 1, maxNodeCount: 3 },
      nodeConfig: { resourceLabels: labels },
    },
    { parent: cluster, provider: gcp },
  );
  b.add("pulumi:providers:kubernetes", `${c.name}-k8s`, { kubeconfig: SECRET }, { parent: cluster });
}

/** The environment's root CA: key and self-signed certificate under a RootCa component, protected. */
export function addRootCa(b: RunBuilder, env = "test", protect = true): { key: string; cert: string } {
  const root = b.add("multicluster-mesh:trust:RootCa", env, {});
  const key = b.add(
    "tls:index/privateKey:PrivateKey",
    `${env}-root-key-r1`,
    { algorithm: "RSA", rsaBits: 4096 },
    { parent: root, protect },
  );
  const cert = b.add(
    "tls:index/selfSignedCert:SelfSignedCert",
    `${env}-root-cert-r1`,
    { privateKeyPem: SECRET, isCaCertificate: true, subject: { organization: "Istio", commonName: "Root CA" } },
    { parent: root, protect },
  );
  return { key, cert };
}

/** A cluster's trust: intermediate key, request (L=<cluster>), certificate, and the cacerts Secret in its cluster. */
export function addClusterTrust(b: RunBuilder, cluster: string): { key: string; cert: string; secret: string } {
  const trust = b.add("multicluster-mesh:trust:ClusterTrust", cluster, {});
  const key = b.add(
    "tls:index/privateKey:PrivateKey",
    `${cluster}-intermediate-key-r1-g1`,
    { algorithm: "RSA", rsaBits: 4096 },
    { parent: trust },
  );
  b.add(
    "tls:index/certRequest:CertRequest",
    `${cluster}-intermediate-csr-r1-g1`,
    {
      privateKeyPem: SECRET,
      dnsNames: ["istiod.istio-system.svc"],
      subject: { organization: "Istio", commonName: "Intermediate CA", locality: cluster },
    },
    { parent: trust },
  );
  const cert = b.add(
    "tls:index/locallySignedCert:LocallySignedCert",
    `${cluster}-intermediate-cert-r1-g1`,
    {
      certRequestPem: "-----BEGIN CERTIFICATE REQUEST-----",
      caCertPem: "-----BEGIN CERTIFICATE-----",
      caPrivateKeyPem: SECRET,
      isCaCertificate: true,
    },
    { parent: trust },
  );
  const secret = b.add(
    "kubernetes:core/v1:Secret",
    `${cluster}-cacerts`,
    { metadata: { name: "cacerts", namespace: "istio-system" }, type: "Opaque", stringData: SECRET },
    { parent: trust, provider: urnOf("pulumi:providers:kubernetes", `${cluster}-k8s`) },
  );
  return { key, cert, secret };
}

export interface IstioShape {
  readonly cluster: string;
  readonly cloud: "aws" | "gcp";
  readonly meshId?: string;
  readonly network?: string;
}

/** base, istiod and the east-west gateway (2 replicas, PDB, zone spread, cross-zone NLB on AWS) in one cluster. */
export function addIstio(b: RunBuilder, s: IstioShape): void {
  const mesh = b.add("multicluster-mesh:mesh:IstioMesh", `mesh-${s.cluster}`, {});
  const provider = urnOf("pulumi:providers:kubernetes", `${s.cluster}-k8s`);
  const opts = { parent: mesh, provider };
  b.add(
    "kubernetes:helm.sh/v3:Release",
    `${s.cluster}-istio-base`,
    { chart: "base", name: "istio-base", namespace: "istio-system", values: {} },
    opts,
  );
  b.add(
    "kubernetes:helm.sh/v3:Release",
    `${s.cluster}-istiod`,
    {
      chart: "istiod",
      name: "istiod",
      namespace: "istio-system",
      values: {
        global: {
          meshID: s.meshId ?? "test-mesh",
          multiCluster: { clusterName: s.cluster },
          network: s.network ?? s.cluster,
        },
      },
    },
    opts,
  );
  const annotations = s.cloud === "aws" ? CROSS_ZONE : { "networking.gke.io/load-balancer-type": "Internal" };
  b.add(
    "kubernetes:helm.sh/v3:Release",
    `${s.cluster}-eastwest`,
    {
      chart: "gateway",
      name: "istio-eastwestgateway",
      namespace: "istio-system",
      values: {
        labels: { istio: "eastwestgateway", "topology.istio.io/network": s.network ?? s.cluster },
        autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5 },
        podDisruptionBudget: { minAvailable: 1 },
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { istio: "eastwestgateway" } },
          },
        ],
        service: { type: "LoadBalancer", annotations },
      },
    },
    opts,
  );
}

export interface SubmarinerShape {
  readonly cluster: string;
  readonly cloud: "aws" | "gcp";
  readonly zones: readonly string[];
  readonly broker?: boolean;
}

/** The operator (and optionally the broker) plus one gateway node group per zone (AWS) or a gateway pool (GCP). */
export function addSubmariner(b: RunBuilder, s: SubmarinerShape): void {
  const provider = urnOf("pulumi:providers:kubernetes", `${s.cluster}-k8s`);
  const mesh = b.add("multicluster-mesh:mesh:SubmarinerJoin", `submariner-${s.cluster}`, {});
  if (s.broker) {
    b.add(
      "kubernetes:helm.sh/v3:Release",
      `${s.cluster}-broker`,
      { chart: "submariner-k8s-broker", name: "submariner-k8s-broker", namespace: "submariner-k8s-broker", values: {} },
      { parent: mesh, provider },
    );
  }
  b.add(
    "kubernetes:helm.sh/v3:Release",
    `${s.cluster}-submariner`,
    {
      chart: "submariner-operator",
      name: "submariner",
      namespace: "submariner-operator",
      values: { submariner: { clusterId: s.cluster } },
    },
    { parent: mesh, provider },
  );
  const cluster = urnOf(
    `multicluster-mesh:cluster:${s.cloud === "aws" ? "EksCluster" : "GkeCluster"}`,
    `${s.cluster}-${s.cloud === "aws" ? "eks" : "gke"}`,
  );
  if (s.cloud === "aws") {
    const aws = urnOf("pulumi:providers:aws", `${s.cluster}-aws`);
    for (const zone of s.zones) {
      b.add(
        "aws:eks/nodeGroup:NodeGroup",
        `${s.cluster}-gateway-${zone}`,
        {
          scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 },
          labels: { "submariner.io/gateway": "true" },
          taints: [{ key: "node-role.submariner.io/gateway", effect: "NO_SCHEDULE" }],
          tags: { [TAG_CLUSTER]: s.cluster, [TAG_ZONES]: zone },
        },
        { parent: cluster, provider: aws },
      );
    }
  } else {
    b.add(
      "gcp:container/nodePool:NodePool",
      `${s.cluster}-gateways`,
      {
        nodeLocations: [...s.zones],
        nodeCount: 1,
        nodeConfig: { labels: { "submariner.io/gateway": "true" }, resourceLabels: { [LABEL_CLUSTER]: s.cluster } },
      },
      { parent: cluster, provider: urnOf("pulumi:providers:gcp", `${s.cluster}-gcp`) },
    );
  }
}

export const AWS_USE1: AwsClusterShape = {
  name: "aws-use1",
  region: "us-east-1",
  zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
  vpc: "10.0.0.0/16",
  subnets: ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
  services: "10.1.0.0/16",
};

export const GKE_USC1: GcpClusterShape = {
  name: "gke-usc1",
  project: "mesh-prod-1234",
  region: "us-central1",
  zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
  nodes: "10.2.0.0/20",
  pods: "10.3.0.0/16",
  services: "10.4.0.0/20",
  controlPlane: "10.4.16.0/28",
};

/** Two clusters (EKS in us-east-1, GKE in us-central1) joined by Istio, with a root CA and an intermediate each. */
export function istioFleet(): RunBuilder {
  const b = new RunBuilder();
  addAwsCluster(b, AWS_USE1);
  addGcpCluster(b, GKE_USC1);
  addRootCa(b);
  for (const [name, cloud] of [
    ["aws-use1", "aws"],
    ["gke-usc1", "gcp"],
  ] as const) {
    addClusterTrust(b, name);
    addIstio(b, { cluster: name, cloud });
  }
  return b;
}

/** The same two clusters joined by Submariner, the broker in aws-use1. */
export function submarinerFleet(): RunBuilder {
  const b = new RunBuilder();
  addAwsCluster(b, AWS_USE1);
  addGcpCluster(b, GKE_USC1);
  addSubmariner(b, { cluster: "aws-use1", cloud: "aws", zones: ["us-east-1a", "us-east-1b"], broker: true });
  addSubmariner(b, { cluster: "gke-usc1", cloud: "gcp", zones: ["us-central1-a", "us-central1-b"] });
  return b;
}

/** The violations of one policy, with that policy's config (and the pack's defaults for the rest). */
export function violationsOf(run: MockRun, policy: string, config: Record<string, unknown> = {}): Violation[] {
  const policyConfig: PolicyConfig = Object.keys(config).length > 0 ? { [policy]: config } : {};
  return violationsFor(run, policyConfig).filter((v) => v.policy === policy);
}

/** Just the messages. */
export function messagesOf(run: MockRun, policy: string, config: Record<string, unknown> = {}): string[] {
  return violationsOf(run, policy, config).map((v) => v.message);
}
