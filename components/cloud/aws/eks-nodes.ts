/**
 * The nodes of an EKS cluster, all EKS managed node groups sharing one node IAM role:
 * - `${name}-node-role` (+ `-worker`, `-cni`, `-ecr` policy attachments);
 * - `${name}-nodes`: the workload group, spanning every configured zone through their private subnets;
 * - when the interconnect requires gateway nodes (Submariner): `${name}-gateway-<zone>`, one single-node group per
 *   gateway zone in that zone's public subnet, with a public IP, labelled and tainted as the requirement says (for
 *   Submariner `submariner.io/gateway=true`, `node-role.submariner.io/gateway:NoSchedule`: active/passive gateways in
 *   distinct zones), launched from `${name}-gateway-lt`.
 *
 * Every group carries TAG_ZONES (the zones it spans, known at preview, unlike subnet ids) and follows the cluster's
 * Kubernetes version.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsGatewayInstanceName } from "../../../plan/cloud/gateway-agents";
import { TAG_ZONES } from "../../../plan/names";
import type { ClusterSpec } from "../../../plan/spec";

const NODE_POLICIES = {
  worker: "AmazonEKSWorkerNodePolicy",
  cni: "AmazonEKS_CNI_Policy",
  ecr: "AmazonEC2ContainerRegistryReadOnly",
} as const;

export interface NodeRole {
  readonly role: aws.iam.Role;
  /** The policy attachments; node groups wait for them (nodes cannot join without them). */
  readonly attachments: readonly aws.iam.RolePolicyAttachment[];
}

/** The node IAM role with the worker, VPC CNI and ECR read policies. */
export function createNodeRole(
  name: string,
  args: {
    clusterName: string;
    partition: pulumi.Input<string>;
    dnsSuffix: pulumi.Input<string>;
    tags: Readonly<Record<string, string>>;
  },
  parent: pulumi.Resource,
): NodeRole {
  const trust = pulumi.output(args.dnsSuffix).apply((suffix) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${suffix}` }, Action: "sts:AssumeRole" }],
    }),
  );
  const role = new aws.iam.Role(
    `${name}-node-role`,
    { description: `Nodes of EKS cluster ${args.clusterName}`, assumeRolePolicy: trust, tags: { ...args.tags } },
    { parent },
  );
  const attachments = Object.entries(NODE_POLICIES).map(
    ([key, policy]) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-node-role-${key}`,
        { role: role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/${policy}` },
        { parent },
      ),
  );
  return { role, attachments };
}

export interface NodeGroupsArgs {
  readonly cluster: ClusterSpec;
  /** The EKS cluster's name output (so the groups wait for the cluster). */
  readonly clusterName: pulumi.Input<string>;
  readonly nodeRole: NodeRole;
  /** Private subnet id per zone (every configured zone has one; checked by the caller). */
  readonly privateSubnetIds: Readonly<Record<string, pulumi.Input<string>>>;
  readonly tags: Readonly<Record<string, string>>;
  /** What the nodes must start after, besides their role (e.g. the pod networking they read at boot). */
  readonly waitFor?: readonly pulumi.Resource[];
}

/**
 * The workload node group: `countPerZone × zones` nodes at creation, up to `maxPerZone × zones`, at least one per zone.
 * With the Cluster Autoscaler, later changes of the desired size are ignored (the autoscaler owns it).
 */
export function createWorkloadNodes(name: string, args: NodeGroupsArgs, parent: pulumi.Resource): aws.eks.NodeGroup {
  const { cluster } = args;
  const zones = cluster.zones;
  return new aws.eks.NodeGroup(
    `${name}-nodes`,
    {
      clusterName: args.clusterName,
      version: cluster.kubernetesVersion,
      nodeRoleArn: args.nodeRole.role.arn,
      subnetIds: zones.map((zone) => subnetOf(args.privateSubnetIds, zone)),
      instanceTypes: [cluster.nodes.instanceType],
      diskSize: cluster.nodes.diskSizeGiB,
      scalingConfig: {
        minSize: zones.length,
        desiredSize: cluster.nodes.countPerZone * zones.length,
        maxSize: cluster.nodes.maxPerZone * zones.length,
      },
      updateConfig: { maxUnavailable: 1 },
      tags: { ...args.tags, [TAG_ZONES]: zones.join(",") },
    },
    {
      parent,
      dependsOn: [...args.nodeRole.attachments, ...(args.waitFor ?? [])],
      // The Cluster Autoscaler owns the size between min and max; a later update must not reset it.
      ...(cluster.aws?.clusterAutoscaler === false ? {} : { ignoreChanges: ["scalingConfig.desiredSize"] }),
    },
  );
}

export interface GatewayNodesArgs extends NodeGroupsArgs {
  /** The EKS cluster's cloud-side name: the launch template's description and the instances' `Name` tag. */
  readonly physicalName: string;
  /** The zones that get a gateway node (distinct, in spec order). */
  readonly zones: readonly string[];
  /** Public subnet id per zone. */
  readonly publicSubnetIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** Machine type of the gateway nodes. */
  readonly instanceType: string;
  /** What the gateway nodes are (the launch template's description), their label (value "true") and taint key. */
  readonly role: string;
  readonly label: string;
  readonly taint: string;
  /** The EKS cluster security group (a launch template with its own groups must name it, or nodes cannot join). */
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  /** The gateway security group (IPsec from peers). */
  readonly gatewaySecurityGroupId: pulumi.Input<string>;
}

/** One single-node gateway group (e.g. Submariner's) per gateway zone, in the public subnet, with a public IP. */
export function createGatewayNodes(name: string, args: GatewayNodesArgs, parent: pulumi.Resource): aws.eks.NodeGroup[] {
  // The gateway agents' IAM policies are scoped to this tag (plan/cloud/gateway-agents.ts).
  const instanceTags = { ...args.tags, Name: awsGatewayInstanceName(args.physicalName) };
  // A launch template is the only way to ask for a public IP regardless of the subnet's default; with it, the disk
  // size moves into the template and EKS no longer adds the cluster security group by itself.
  const template = new aws.ec2.LaunchTemplate(
    `${name}-gateway-lt`,
    {
      description: `${args.role} of EKS cluster ${args.physicalName}`,
      updateDefaultVersion: true,
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "true",
          deleteOnTermination: "true",
          securityGroups: [args.clusterSecurityGroupId, args.gatewaySecurityGroupId],
        },
      ],
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: args.cluster.nodes.diskSizeGiB,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2 },
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: instanceTags,
      })),
      tags: { ...args.tags },
    },
    { parent },
  );
  return args.zones.map(
    (zone) =>
      new aws.eks.NodeGroup(
        `${name}-gateway-${zone}`,
        {
          clusterName: args.clusterName,
          version: args.cluster.kubernetesVersion,
          nodeRoleArn: args.nodeRole.role.arn,
          subnetIds: [subnetOf(args.publicSubnetIds, zone)],
          instanceTypes: [args.instanceType],
          launchTemplate: { id: template.id, version: template.latestVersion.apply(String) },
          scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 },
          updateConfig: { maxUnavailable: 1 },
          labels: { [args.label]: "true" },
          taints: [{ key: args.taint, effect: "NO_SCHEDULE" }],
          tags: { ...args.tags, [TAG_ZONES]: zone },
        },
        { parent, dependsOn: [...args.nodeRole.attachments, ...(args.waitFor ?? [])] },
      ),
  );
}

/** The subnet id of `zone`; throws when the network has none (callers check first and report every gap). */
export function subnetOf(subnets: Readonly<Record<string, pulumi.Input<string>>>, zone: string): pulumi.Input<string> {
  const id = subnets[zone];
  if (id === undefined) {
    throw new Error(`no subnet for zone ${zone}`);
  }
  return id;
}
