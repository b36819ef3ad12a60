/**
 * A synthetic three-cluster plan document (two EKS, one GKE, Istio) for the summary renderer and the price table.
 * Built by hand, not by the program, so these tests do not depend on the components.
 *
 * What it holds, per cluster (counts asserted by the tests):
 * - aws-use1: provider, network component, VPC, 2 NAT gateways + 2 EIPs, EKS component + cluster, k8s provider,
 *   the east-west gateway chart (NLB), 2 remote secrets, and a random password attributed only through its parent.
 * - gcp-usc1: provider, network component, network, router NAT, GKE cluster + 2 node pools (3 + 2 VMs),
 *   k8s provider, a LoadBalancer Service (forwarding rule), 2 remote secrets.
 * - aws-euw1: provider, network component, VPC, 1 NAT gateway + 1 EIP, EKS cluster (no component), k8s provider,
 *   a LoadBalancer Service with the NLB annotation, 2 remote secrets.
 * - shared: the stack, the Fleet, the RootCa component, its key and certificate, a default provider.
 */
import type { RecordedResource } from "../../tools/mock-runtime";
import type { PlanDocument, Violation } from "../../tools/plan-document";
import type { SummaryPlan } from "../../tools/render-markdown";

const STACK = "dev";
const PROJECT = "multicluster-mesh";
const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;

interface Made extends RecordedResource {
  /** The parent chain's qualified type, for children's URNs. */
  readonly qualified: string;
}

function make(
  type: string,
  name: string,
  opts: { parent?: Made; provider?: Made | string; inputs?: Record<string, unknown> } = {},
): Made {
  const qualified = opts.parent ? `${opts.parent.qualified}$${type}` : type;
  const provider =
    opts.provider === undefined ? null : typeof opts.provider === "string" ? opts.provider : opts.provider.urn;
  return {
    urn: `urn:pulumi:${STACK}::${PROJECT}::${qualified}::${name}`,
    qualified,
    type,
    name,
    parent: opts.parent?.urn ?? STACK_URN,
    provider,
    protect: false,
    dependsOn: [],
    inputs: opts.inputs ?? {},
  };
}

export const CLUSTERS = ["aws-use1", "gcp-usc1", "aws-euw1"] as const;

export function summaryPlan(): SummaryPlan {
  return {
    mesh: "istio",
    addresses: {
      space: "10.0.0.0/8",
      slotPrefix: 14,
      clusters: [
        {
          cluster: "aws-use1",
          cloud: "aws",
          slot: 0,
          nodes: "10.0.0.0/16",
          pods: "10.0.0.0/16",
          services: "10.1.0.0/20",
          subnets: [],
        },
        {
          cluster: "gcp-usc1",
          cloud: "gcp",
          slot: 1,
          nodes: "10.4.0.0/20",
          pods: "10.5.0.0/16",
          services: "10.6.0.0/20",
          controlPlane: "10.7.0.0/28",
          subnets: [],
        },
        {
          cluster: "aws-euw1",
          cloud: "aws",
          slot: 2,
          nodes: "10.8.0.0/16",
          pods: "10.8.0.0/16",
          services: "10.9.0.0/20",
          subnets: [],
        },
      ],
    },
    clusters: [
      { name: "aws-use1", region: "us-east-1", zones: ["us-east-1a", "us-east-1b"] },
      { name: "gcp-usc1", region: "us-central1", zones: ["us-central1-a", "us-central1-b", "us-central1-c"] },
      { name: "aws-euw1", region: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b"] },
    ],
  };
}

export const VIOLATIONS: readonly Violation[] = [
  {
    policy: "clusters-in-distinct-regions",
    enforcement: "advisory",
    urn: null,
    message: "two clusters share a region",
  },
  {
    policy: "gateway-replicas",
    enforcement: "mandatory",
    urn: `urn:pulumi:${STACK}::${PROJECT}::kubernetes:helm.sh/v3:Release::dev-eastwest-aws-use1`,
    message: "replicas | minAvailable must be >= 2",
  },
];

export function summaryDocument(violations: readonly Violation[] = VIOLATIONS): PlanDocument {
  const stack = make("pulumi:pulumi:Stack", `${PROJECT}-${STACK}`);
  const resources: Made[] = [{ ...stack, urn: STACK_URN, parent: null }];
  const add = (r: Made): Made => {
    resources.push(r);
    return r;
  };
  const fleet = add(make("multicluster-mesh:index:Fleet", "dev"));
  const rootCa = add(make("multicluster-mesh:trust:RootCa", "dev", { parent: fleet }));
  add(make("tls:index/privateKey:PrivateKey", "dev-root-key", { parent: rootCa }));
  add(make("tls:index/selfSignedCert:SelfSignedCert", "dev-root-cert", { parent: rootCa }));
  const defaultRandom = add(make("pulumi:providers:random", "default_4_21_2"));

  // aws-use1
  const useAws = add(make("pulumi:providers:aws", "aws-use1-aws", { parent: fleet, inputs: { region: "us-east-1" } }));
  const useNet = add(make("multicluster-mesh:network:AwsNetwork", "aws-use1", { parent: fleet }));
  add(make("aws:ec2/vpc:Vpc", "aws-use1-vpc", { parent: useNet, provider: useAws }));
  for (const zone of ["us-east-1a", "us-east-1b"]) {
    add(
      make("aws:ec2/eip:Eip", `aws-use1-nat-${zone}`, { parent: useNet, provider: useAws, inputs: { domain: "vpc" } }),
    );
    add(make("aws:ec2/natGateway:NatGateway", `aws-use1-nat-${zone}`, { parent: useNet, provider: useAws }));
  }
  const useEks = add(make("multicluster-mesh:cluster:EksCluster", "aws-use1", { parent: fleet }));
  add(make("aws:eks/cluster:Cluster", "aws-use1-eks", { parent: useEks, provider: useAws }));
  // Named without the cluster prefix and on a default provider: attributed through its parent.
  add(make("random:index/randomPassword:RandomPassword", "webhook-token", { parent: useEks, provider: defaultRandom }));
  const useK8s = add(make("pulumi:providers:kubernetes", "aws-use1-k8s", { parent: useEks }));

  // gcp-usc1
  const uscGcp = add(
    make("pulumi:providers:gcp", "gcp-usc1-gcp", { parent: fleet, inputs: { region: "us-central1" } }),
  );
  const uscNet = add(make("multicluster-mesh:network:GcpNetwork", "gcp-usc1", { parent: fleet }));
  add(make("gcp:compute/network:Network", "gcp-usc1-network", { parent: uscNet, provider: uscGcp }));
  add(make("gcp:compute/routerNat:RouterNat", "gcp-usc1-nat", { parent: uscNet, provider: uscGcp }));
  add(
    make("gcp:container/cluster:Cluster", "gcp-usc1-gke", {
      parent: fleet,
      provider: uscGcp,
      inputs: { location: "us-central1", removeDefaultNodePool: true, initialNodeCount: 1 },
    }),
  );
  add(
    make("gcp:container/nodePool:NodePool", "gcp-usc1-nodes", {
      parent: fleet,
      provider: uscGcp,
      inputs: { nodeCount: 1, nodeLocations: ["us-central1-a", "us-central1-b", "us-central1-c"] },
    }),
  );
  add(
    make("gcp:container/nodePool:NodePool", "gcp-usc1-gateways", {
      parent: fleet,
      provider: uscGcp,
      inputs: { autoscaling: { totalMinNodeCount: 2, totalMaxNodeCount: 4 } },
    }),
  );
  const uscK8s = add(make("pulumi:providers:kubernetes", "gcp-usc1-k8s", { parent: fleet }));

  // aws-euw1
  const euwAws = add(make("pulumi:providers:aws", "aws-euw1-aws", { parent: fleet, inputs: { region: "eu-west-1" } }));
  const euwNet = add(make("multicluster-mesh:network:AwsNetwork", "aws-euw1", { parent: fleet }));
  add(make("aws:ec2/vpc:Vpc", "aws-euw1-vpc", { parent: euwNet, provider: euwAws }));
  add(make("aws:ec2/eip:Eip", "aws-euw1-nat", { parent: euwNet, provider: euwAws }));
  add(make("aws:ec2/natGateway:NatGateway", "aws-euw1-nat", { parent: euwNet, provider: euwAws }));
  add(make("aws:eks/cluster:Cluster", "aws-euw1-eks", { parent: fleet, provider: euwAws }));
  const euwK8s = add(make("pulumi:providers:kubernetes", "aws-euw1-k8s", { parent: fleet }));

  // The mesh: named after the environment, placed by provider.
  const mesh = add(make("multicluster-mesh:mesh:IstioMesh", "dev", { parent: fleet }));
  add(
    make("kubernetes:helm.sh/v3:Release", "dev-eastwest-aws-use1", {
      parent: mesh,
      provider: useK8s,
      inputs: {
        chart: "gateway",
        name: "istio-eastwestgateway",
        values: { service: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "external" } } },
      },
    }),
  );
  add(
    make("kubernetes:core/v1:Service", "dev-eastwest-gcp-usc1", {
      parent: mesh,
      provider: uscK8s,
      inputs: { metadata: { annotations: { "cloud.google.com/l4-rbs": "enabled" } }, spec: { type: "LoadBalancer" } },
    }),
  );
  add(
    make("kubernetes:core/v1:Service", "dev-eastwest-aws-euw1", {
      parent: mesh,
      provider: euwK8s,
      inputs: {
        metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "external" } },
        spec: { type: "LoadBalancer" },
      },
    }),
  );
  const providers: Record<string, Made> = { "aws-use1": useK8s, "gcp-usc1": uscK8s, "aws-euw1": euwK8s };
  for (const reader of CLUSTERS) {
    for (const read of CLUSTERS.filter((c) => c !== reader)) {
      add(
        make("kubernetes:core/v1:Secret", `dev-remote-${read}-in-${reader}`, {
          parent: mesh,
          provider: providers[reader],
          inputs: {
            metadata: { name: `istio-remote-secret-${read}`, namespace: "istio-system" },
            stringData: "[secret]",
          },
        }),
      );
    }
  }
  const out: RecordedResource[] = resources.map(({ qualified: _qualified, ...r }) => r);
  return { project: PROJECT, stack: STACK, resources: out, outputs: {}, violations };
}
