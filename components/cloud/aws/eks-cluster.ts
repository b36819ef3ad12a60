/**
 * One EKS cluster, ready for a mesh, behind the shared MeshCluster contract.
 *
 * Children, by role (all `{ parent: this }`, so they use the aws provider given in `opts.provider`):
 * - `cluster-role` (+ `-eks` attachment of AmazonEKSClusterPolicy) and `cluster`: the EKS control plane named
 *   `physicalName`, in the planned private subnets, `serviceIpv4Cidr` = the plan's service range, all five
 *   control-plane log types into `logs` (created first, with `aws.logRetentionDays`), Secrets envelope-encrypted
 *   with `secrets-key` (`aws.secretsEncryption`; ./eks-secrets-and-logs.ts), public and private API endpoint (peers reach the public one for Istio remote secrets),
 *   authentication mode API; the only child Pulumi protects when `protect` is set;
 * - `access-*`: cluster-admin access entries (./eks-access.ts) for `aws.adminPrincipalArns` and, when
 *   `aws.assumeRoleArn` is set, for that deploy role (`access-deployer`);
 * - `oidc`: the IAM OIDC provider of the cluster's issuer (IRSA);
 * - when the interconnect requires pods apart from nodes (Submariner), `vpc-cni` + `eniconfig-<zone>`: VPC CNI
 *   custom networking on the network's pod subnets (./eks-pod-networking.ts), which every node group waits for;
 * - `node-role`, `nodes`, and when the interconnect requires gateway nodes (Submariner) `gateway-lt` +
 *   `gateway-<zone>` (./eks-nodes.ts) and their agents: `kubeip` (static addresses) and `source-dest-check`
 *   (./eks-gateway-agents.ts), which the cluster's workloads wait for;
 * - `sg-<port>` / `gateway-sg` + `gateway-sg-<port>` / `peer-ranges` + `sg-peers` / `peer-gateways`: the
 *   interconnect's security group rules, the tunnel ports from each tunnel peer's gateway addresses and peers' ranges
 *   included, the latter two as prefix lists (./eks-mesh-firewall.ts);
 * - `<cluster>-k8s`: the Kubernetes provider (kubeconfig with `aws eks get-token`, a secret), created after the
 *   deploy role's admin access when there is one;
 * - `lb-controller`: the AWS Load Balancer Controller (./aws-load-balancer-controller.ts);
 * - `metrics-server` (./metrics-server.ts) and, with `aws.clusterAutoscaler`, `cluster-autoscaler`
 *   (./cluster-autoscaler.ts), after the node groups.
 *
 * Who administers the cluster never depends on who runs the program, so a CI preview role that differs from the
 * deploy role plans no changes:
 * - with `aws.assumeRoleArn`, that role is the deployer: the aws provider and the kubeconfig assume it, and it gets
 *   an explicit access entry (known at preview); `bootstrapClusterCreatorAdminPermissions` is off;
 * - without it, `bootstrapClusterCreatorAdminPermissions` is on: EKS makes the identity that creates the cluster an
 *   admin, once, at creation, and no deployer entry is managed. Later deploys must run as that identity or as one
 *   of `aws.adminPrincipalArns` (where a CI preview role belongs; the creating identity must not be listed there,
 *   as its bootstrap entry already exists). The flag only matters at creation, so later changes to it are ignored
 *   rather than replacing the cluster.
 *
 * Nothing here looks the cluster up, so `pulumi preview` works before the cluster exists; the only invoke is
 * getPartition (the account id comes from the cluster's ARN).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses } from "../../../plan/addresses-types";
import { k8sProviderName } from "../../../plan/names";
import type { ClusterRequirements } from "../../../plan/interconnect";
import type { ClusterSpec } from "../../../plan/spec";
import type { AwsNetworkOutputs } from "../../network/contract";
import { AwsLoadBalancerController } from "./aws-load-balancer-controller";
import type { MeshCluster } from "../../cluster/contract";
import { ClusterAutoscaler } from "./cluster-autoscaler";
import { accountOf, createClusterAdmins } from "./eks-access";
import { renderEksKubeconfig } from "./eks-kubeconfig";
import { createMeshFirewall } from "./eks-mesh-firewall";
import { createGatewayAgents } from "./eks-gateway-agents";
import { createGatewayNodes, createNodeRole, createWorkloadNodes, subnetOf } from "./eks-nodes";
import { createPodNetworking } from "./eks-pod-networking";
import { createControlPlaneLogGroup, createSecretsKey } from "./eks-secrets-and-logs";
import { createMetricsServer } from "./metrics-server";
import { peersWithoutSources, combineSources, type SourceLists } from "../tunnel-sources";

/** Every EKS control-plane log type; all are sent to CloudWatch Logs. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface EksClusterArgs {
  /** The cluster as configured (`cloud: aws`): name (the logical name), region, zones, version, nodes, aws. */
  readonly cluster: ClusterSpec;
  /**
   * The EKS cluster's cloud-side name, `physicalName(environment, cluster.name)` from plan/names.ts (e.g.
   * `prod-aws-use1`): the cluster's `name`, `aws eks get-token --cluster-name`, the load balancer controller's
   * `clusterName` and ownership tag, and the descriptions that name the cluster. Pulumi resource names and the
   * MeshCluster's `name` keep the logical `cluster.name`.
   */
  readonly physicalName: string;
  /** true: Pulumi protects the EKS cluster (the only child holding state); false: nothing is protected. */
  readonly protect: boolean;
  /** The cluster's planned ranges; `services` becomes `serviceIpv4Cidr` (never EKS's colliding default). */
  readonly addresses: ClusterAddresses;
  /** The cluster's VPC and its subnets per zone; every configured zone needs a private subnet. */
  readonly network: AwsNetworkOutputs;
  /**
   * What the interconnect requires of this cluster (the plan's `requirements[cluster]`): its ports become security
   * group rules; `gatewayNodes`, when present, one node in each of the first `count` zones, of
   * `instanceTypes.aws` (default: the cluster's node type). `count: 0` (a cluster that only hosts the Submariner
   * broker) creates no gateway nodes and opens no `peers` ports.
   */
  readonly requirements: ClusterRequirements;
  /**
   * Other clusters' gateway sources by cluster name (their reserved gateway addresses as /32s): the `peers` ports
   * admit those of `requirements.tunnelPeers`, each of which must be here. Absent: none (no tunnel peers).
   */
  readonly peerGatewaySources?: Readonly<Record<string, readonly pulumi.Output<string>[]>>;
  /** The same, combined once for the fleet (`combineSources`); absent: combined here from `peerGatewaySources`. */
  readonly peerGatewaySourceLists?: SourceLists;
  /** Tags on every AWS resource (plan/names.ts `awsTags`). */
  readonly tags: Readonly<Record<string, string>>;
}

export class EksCluster extends pulumi.ComponentResource {
  /** The contract mesh and trust components consume. */
  public readonly meshCluster: MeshCluster;
  /** The kubeconfig Pulumi uses for this cluster (secret; exec credentials, not for Istio remote secrets). */
  public readonly kubeconfig: pulumi.Output<string>;
  /** The cluster's IAM OIDC provider, for further IRSA roles. */
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** The EKS-created security group every node and the control plane carry. */
  public readonly clusterSecurityGroupId: pulumi.Output<string>;
  /** The resource metrics API the autoscalers read. */
  public readonly metricsServer: k8s.helm.v3.Release;
  /** Absent with `aws.clusterAutoscaler: false`. */
  public readonly clusterAutoscaler?: ClusterAutoscaler;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything, so a bad wiring leaves no half-built component behind.
    const gatewayNodes = args.requirements.gatewayNodes;
    const gatewayZones = gatewayNodes === undefined ? [] : args.cluster.zones.slice(0, gatewayNodes.count);
    checkArgs(args, gatewayZones);
    super("multicluster-mesh:cluster:EksCluster", name, {}, opts);
    const { cluster, physicalName, addresses, network, tags } = args;
    const assumeRoleArn = cluster.aws?.assumeRoleArn;

    const partition = aws.getPartitionOutput({}, { parent: this });
    const clusterRole = createClusterRole(name, physicalName, partition.partition, tags, this);
    const awsSettings = cluster.aws;
    const secretsKey =
      awsSettings?.secretsEncryption === false
        ? undefined
        : createSecretsKey(name, { clusterName: physicalName, protect: args.protect, tags }, this);
    const logGroup = createControlPlaneLogGroup(
      name,
      { clusterName: physicalName, retentionInDays: awsSettings?.logRetentionDays ?? 90, tags },
      this,
    );
    const eks = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: physicalName,
        version: cluster.kubernetesVersion,
        roleArn: clusterRole.role.arn,
        vpcConfig: {
          subnetIds: cluster.zones.map((zone) => subnetOf(network.privateSubnetIds, zone)),
          endpointPublicAccess: true,
          endpointPrivateAccess: true,
        },
        kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: addresses.services },
        enabledClusterLogTypes: [...EKS_LOG_TYPES],
        ...(secretsKey !== undefined
          ? { encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] } }
          : {}),
        // Like GKE's: with `protect`, EKS itself also refuses to delete the cluster.
        deletionProtection: args.protect,
        // With a deploy role, its explicit access entry admits it; without, EKS admits the creating identity.
        accessConfig: {
          authenticationMode: "API",
          bootstrapClusterCreatorAdminPermissions: assumeRoleArn === undefined,
        },
        tags: { ...tags },
      },
      {
        parent: this,
        // The log group first: EKS would otherwise create it itself, never expiring.
        dependsOn: [clusterRole.attachment, logGroup],
        // EKS reads the flag only at creation and the provider would replace the cluster to change it.
        ignoreChanges: ["accessConfig.bootstrapClusterCreatorAdminPermissions"],
        ...(args.protect ? { protect: true } : {}),
      },
    );
    this.clusterSecurityGroupId = eks.vpcConfig.clusterSecurityGroupId;
    const caData = eks.certificateAuthority.data;

    const admins = createClusterAdmins(
      name,
      {
        clusterName: eks.name,
        partition: partition.partition,
        adminPrincipalArns: cluster.aws?.adminPrincipalArns ?? [],
        tags,
        ...(assumeRoleArn !== undefined ? { assumeRoleArn } : {}),
      },
      this,
    );

    const issuerUrl = eks.identities.apply((ids) => {
      const issuer = ids[0]?.oidcs[0]?.issuer;
      if (issuer === undefined) {
        throw new Error(`EKS cluster ${physicalName} reports no OIDC issuer`);
      }
      return issuer;
    });
    const oidc = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: issuerUrl, clientIdLists: ["sts.amazonaws.com"], tags: { ...tags } },
      { parent: this },
    );
    this.oidcProviderArn = oidc.arn;

    const firewall = createMeshFirewall(
      name,
      {
        clusterName: physicalName,
        ports: args.requirements.ports,
        peerRanges: args.requirements.peerRanges,
        tunnelPeers: args.requirements.tunnelPeers,
        peerGatewaySources: args.peerGatewaySources ?? {},
        peerGatewaySourceLists: args.peerGatewaySourceLists ?? combineSources(args.peerGatewaySources ?? {}),
        vpcId: network.vpcId,
        clusterSecurityGroupId: this.clusterSecurityGroupId,
        gateways: gatewayZones.length > 0,
        tags,
      },
      this,
    );
    this.kubeconfig = pulumi.secret(
      pulumi.all([eks.name, eks.endpoint, caData]).apply(([clusterName, endpoint, ca]) =>
        renderEksKubeconfig({
          clusterName,
          region: cluster.region,
          endpoint,
          caData: ca,
          ...(assumeRoleArn !== undefined ? { roleArn: assumeRoleArn } : {}),
        }),
      ),
    );
    // Anything that uses this provider waits for the deploy role's admin access (bootstrap access needs no wait).
    const provider = new k8s.Provider(
      k8sProviderName(cluster.name),
      { kubeconfig: this.kubeconfig },
      { parent: this, dependsOn: admins.deployer !== undefined ? [admins.deployer] : [] },
    );

    const podNetworking = args.requirements.podsApartFromNodes
      ? createPodNetworking(
          name,
          {
            clusterName: eks.name,
            zones: cluster.zones,
            podSubnetIds: network.podSubnetIds,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            peerRanges: args.requirements.peerRanges,
            k8sProvider: provider,
            tags,
          },
          this,
        )
      : [];
    const nodeRole = createNodeRole(
      name,
      { clusterName: physicalName, partition: partition.partition, dnsSuffix: partition.dnsSuffix, tags },
      this,
    );
    const groupArgs = {
      cluster,
      clusterName: eks.name,
      nodeRole,
      privateSubnetIds: network.privateSubnetIds,
      tags,
      waitFor: podNetworking,
    };
    const nodeGroups = [createWorkloadNodes(name, groupArgs, this)];
    const agents: pulumi.Resource[] = [];
    const accountId = eks.arn.apply(accountOf);
    if (firewall.gatewaySecurityGroup !== undefined && gatewayNodes !== undefined) {
      const gateways = createGatewayNodes(
        name,
        {
          ...groupArgs,
          physicalName,
          zones: gatewayZones,
          publicSubnetIds: network.publicSubnetIds,
          instanceType: gatewayNodes.instanceTypes.aws ?? cluster.nodes.instanceType,
          role: gatewayNodes.role,
          label: gatewayNodes.label,
          taint: gatewayNodes.taint,
          clusterSecurityGroupId: this.clusterSecurityGroupId,
          gatewaySecurityGroupId: firewall.gatewaySecurityGroup.id,
        },
        this,
      );
      nodeGroups.push(...gateways);
      agents.push(
        ...createGatewayAgents(
          name,
          {
            gatewayNodes,
            partition: partition.partition,
            accountId,
            oidcProviderArn: oidc.arn,
            oidcIssuerUrl: issuerUrl,
            physicalName,
            region: cluster.region,
            k8sProvider: provider,
            gateways,
            tags,
          },
          this,
        ),
      );
    }

    const lbController = new AwsLoadBalancerController(
      `${name}-lb-controller`,
      {
        clusterName: physicalName,
        region: cluster.region,
        vpcId: network.vpcId,
        partition: partition.partition,
        accountId,
        oidcProviderArn: oidc.arn,
        oidcIssuerUrl: issuerUrl,
        k8sProvider: provider,
        nodeGroups,
        tags,
      },
      { parent: this },
    );

    this.metricsServer = createMetricsServer(name, { k8sProvider: provider, nodeGroups }, this);
    if (awsSettings?.clusterAutoscaler !== false) {
      this.clusterAutoscaler = new ClusterAutoscaler(
        `${name}-cluster-autoscaler`,
        {
          clusterName: physicalName,
          region: cluster.region,
          kubernetesVersion: cluster.kubernetesVersion,
          oidcProviderArn: oidc.arn,
          oidcIssuerUrl: issuerUrl,
          k8sProvider: provider,
          nodeGroups,
          tags,
        },
        { parent: this },
      );
    }

    this.meshCluster = {
      name: cluster.name,
      cloud: "aws",
      region: cluster.region,
      zones: [...cluster.zones],
      network: cluster.network,
      addresses,
      endpoint: eks.endpoint,
      caData,
      provider,
      ready: [...nodeGroups, ...agents, lbController.release],
    };
    this.registerOutputs({
      endpoint: eks.endpoint,
      kubeconfig: this.kubeconfig,
      oidcProviderArn: this.oidcProviderArn,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
    });
  }
}

/** The control plane's IAM role with AmazonEKSClusterPolicy. */
function createClusterRole(
  name: string,
  clusterName: string,
  partition: pulumi.Input<string>,
  tags: Readonly<Record<string, string>>,
  parent: pulumi.Resource,
): { role: aws.iam.Role; attachment: aws.iam.RolePolicyAttachment } {
  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  const role = new aws.iam.Role(
    `${name}-cluster-role`,
    { description: `Control plane of EKS cluster ${clusterName}`, assumeRolePolicy: trust, tags: { ...tags } },
    { parent },
  );
  const attachment = new aws.iam.RolePolicyAttachment(
    `${name}-cluster-role-eks`,
    { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
    { parent },
  );
  return { role, attachment };
}

/**
 * Every wiring problem at once. Config-level rules (countPerZone ≤ maxPerZone, enough zones for the gateway nodes)
 * are the spec's (plan/spec/index.ts) and have been checked before any component runs.
 */
function checkArgs(args: EksClusterArgs, gatewayZones: readonly string[]): void {
  const { cluster, addresses, network } = args;
  const problems: string[] = [];
  if (cluster.cloud !== "aws") {
    problems.push(`cluster cloud is ${cluster.cloud}, not aws`);
  }
  if (addresses.cluster !== cluster.name) {
    problems.push(`addresses are planned for cluster ${addresses.cluster}`);
  }
  const noPrivate = cluster.zones.filter((zone) => network.privateSubnetIds[zone] === undefined);
  if (noPrivate.length > 0) {
    problems.push(`the network has no private subnet in zone(s) ${noPrivate.join(", ")}`);
  }
  const noPublic = gatewayZones.filter((zone) => network.publicSubnetIds[zone] === undefined);
  if (noPublic.length > 0) {
    problems.push(`the network has no public subnet for gateway nodes in zone(s) ${noPublic.join(", ")}`);
  }
  const unknown = peersWithoutSources(args.requirements.tunnelPeers, args.peerGatewaySources ?? {});
  if (unknown.length > 0) {
    problems.push(`no gateway sources for tunnel peer(s) ${unknown.join(", ")}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `EksCluster ${cluster.name}: ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}
