/**
 * Static public addresses on a GKE cluster's gateway nodes (the interconnect's `gatewayNodes.staticAddresses`): kubeip
 * runs as its own Google service account through Workload Identity, with a custom role of exactly its permissions
 * (plan/cloud/gateway-agents.ts). The cluster has Workload Identity on (`workloadIdentityConfig`, the node pools'
 * `GKE_METADATA`), so nothing about the cluster changes for it.
 *
 * Children, by role:
 * - `kubeip-gsa`: the Google service account (`kubeipGcpAccountId`, unique per environment);
 * - `kubeip-role` + `kubeip-role-member`: the project custom role `kubeip_<physical name>` and its grant to that
 *   account;
 * - `kubeip-workload-identity`: `roles/iam.workloadIdentityUser` on that account for the Kubernetes ServiceAccount
 *   `kube-system/kubeip`;
 * - `kubeip`: the KubeipAgent (../kubeip-agent.ts) with the pool's label filter, the project and the region.
 */
import * as gcp from "@pulumi/gcp";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  KUBEIP,
  KUBEIP_GCP_PERMISSIONS,
  kubeipGcpAccountId,
  kubeipGcpFilter,
  kubeipGcpRoleId,
} from "../../../plan/cloud/gateway-agents";
import type { GatewayNodes } from "../../../plan/interconnect";
import { KubeipAgent } from "../kubeip-agent";

export interface GatewayAddressesArgs {
  readonly gatewayNodes: GatewayNodes;
  readonly project: string;
  readonly region: string;
  /** The GKE cluster's physical name: the pool's label value, and the seed of the account's and role's ids. */
  readonly physicalName: string;
  readonly k8sProvider: k8s.Provider;
  /** What the agent starts after: the cluster's node pools (the gateway pool among them). */
  readonly after: readonly pulumi.Resource[];
}

/** kubeip and its identity when the requirement asks for static addresses; otherwise nothing. */
export function createGatewayAddresses(
  name: string,
  args: GatewayAddressesArgs,
  parent: pulumi.Resource,
): pulumi.Resource[] {
  if (!args.gatewayNodes.staticAddresses) {
    return [];
  }
  const { project } = args;
  const account = new gcp.serviceaccount.Account(
    `${name}-kubeip-gsa`,
    {
      project,
      accountId: kubeipGcpAccountId(args.physicalName),
      displayName: `kubeip on the gateway nodes of ${args.physicalName}`,
    },
    { parent },
  );
  const role = new gcp.projects.IAMCustomRole(
    `${name}-kubeip-role`,
    {
      project,
      roleId: kubeipGcpRoleId(args.physicalName),
      title: `kubeip (${args.physicalName})`,
      description: `Static public addresses for the gateway nodes of ${args.physicalName}`,
      permissions: [...KUBEIP_GCP_PERMISSIONS],
    },
    { parent },
  );
  const grant = new gcp.projects.IAMMember(
    `${name}-kubeip-role-member`,
    { project, role: role.name, member: pulumi.interpolate`serviceAccount:${account.email}` },
    { parent },
  );
  const workloadIdentity = new gcp.serviceaccount.IAMMember(
    `${name}-kubeip-workload-identity`,
    {
      serviceAccountId: account.name,
      role: "roles/iam.workloadIdentityUser",
      member: `serviceAccount:${project}.svc.id.goog[${KUBEIP.namespace}/${KUBEIP.serviceAccount}]`,
    },
    { parent },
  );
  const agent = new KubeipAgent(
    `${name}-kubeip`,
    {
      k8sProvider: args.k8sProvider,
      filter: kubeipGcpFilter(args.physicalName),
      gatewayLabel: args.gatewayNodes.label,
      gatewayTaint: args.gatewayNodes.taint,
      env: { PROJECT: project, REGION: args.region },
      serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": account.email },
      dependsOn: [...args.after, grant, workloadIdentity],
    },
    { parent },
  );
  return [agent.daemonSet];
}
