/**
 * Pods apart from nodes on EKS (an interconnect requirement, `podsApartFromNodes`; Submariner needs worker node IPs
 * outside the pod ranges): Amazon VPC CNI custom networking, as AWS documents it ("Deploy Pods in alternate subnets
 * with custom networking", EKS user guide; EKS best practices, "Custom Networking"):
 * - `vpc-cni`: the EKS add-on, managed by the program, with `AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true` (pod addresses
 *   from the ENIConfig's subnet, not the node's), `ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone` (each node uses
 *   the ENIConfig named after its zone) and `AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS` = the peers' ranges (the CNI would
 *   otherwise rewrite pod traffic leaving the VPC to the node's address, and peers would see node addresses);
 * - `eniconfig-<zone>`: one ENIConfig per zone, named by the zone, with the zone's pod subnet and the cluster
 *   security group (which carries the peer rules).
 *
 * Nodes read their ENIConfig when they start, so node groups must wait for these (`waitFor`); nodes started before
 * would keep pod addresses from the node subnets until they are replaced.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { PeerRange } from "../../../plan/interconnect";

/** The node label whose value names the ENIConfig a node uses: its zone. */
export const ENI_CONFIG_LABEL = "topology.kubernetes.io/zone";

export interface PodNetworkingArgs {
  /** The EKS cluster's name output (the add-on waits for the cluster). */
  readonly clusterName: pulumi.Input<string>;
  /** The cluster's zones, each with a pod subnet. */
  readonly zones: readonly string[];
  /** Pod subnet id per zone. */
  readonly podSubnetIds: Readonly<Record<string, pulumi.Input<string>>>;
  /** The security group pod interfaces carry: the EKS cluster security group. */
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  /** Peers' ranges, which pod traffic reaches without SNAT. */
  readonly peerRanges: readonly PeerRange[];
  readonly k8sProvider: k8s.Provider;
  readonly tags: Readonly<Record<string, string>>;
}

/** The VPC CNI add-on's configuration: custom networking by zone, no SNAT towards the peers. */
export function vpcCniConfiguration(peerRanges: readonly PeerRange[]): string {
  return JSON.stringify({
    env: {
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true",
      ENI_CONFIG_LABEL_DEF: ENI_CONFIG_LABEL,
      ...(peerRanges.length > 0 ? { AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: peerRanges.map((r) => r.cidr).join(",") } : {}),
    },
  });
}

/** The configured add-on and the ENIConfigs, all children of `parent`; node groups must depend on the result. */
export function createPodNetworking(name: string, args: PodNetworkingArgs, parent: pulumi.Resource): pulumi.Resource[] {
  const missing = args.zones.filter((zone) => args.podSubnetIds[zone] === undefined);
  if (missing.length > 0) {
    throw new Error(`EKS pod networking ${name}: the network has no pod subnet in zone(s) ${missing.join(", ")}`);
  }
  const addon = new aws.eks.Addon(
    `${name}-vpc-cni`,
    {
      clusterName: args.clusterName,
      addonName: "vpc-cni",
      configurationValues: vpcCniConfiguration(args.peerRanges),
      // EKS installs the CNI itself; the program takes it over with this configuration.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      tags: { ...args.tags },
    },
    { parent },
  );
  const eniConfigs = args.zones.map(
    (zone) =>
      new k8s.apiextensions.CustomResource(
        `${name}-eniconfig-${zone}`,
        {
          apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
          kind: "ENIConfig",
          metadata: { name: zone },
          spec: { subnet: args.podSubnetIds[zone], securityGroups: [args.clusterSecurityGroupId] },
        },
        // The ENIConfig CRD comes with the CNI.
        { parent, provider: args.k8sProvider, dependsOn: [addon] },
      ),
  );
  return [addon, ...eniConfigs];
}
