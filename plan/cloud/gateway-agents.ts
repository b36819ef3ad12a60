/**
 * The agents that run on gateway nodes when the interconnect requires it (`GatewayNodes.staticAddresses`,
 * `GatewayNodes.forwardsForeignTraffic`), pinned, with exactly the cloud permissions they use. Pure data and text.
 *
 * kubeip (doitintl/kubeip, v2 agent, tag 2.2.0: README, cmd/main.go, internal/address/{aws,gcp}.go) swaps a gateway
 * node's ephemeral public address for a free address of its cluster's reserved pool, selected by the pool's tag (AWS,
 * `describe-addresses` filter syntax) or label (GCP, `gcloud compute addresses list` filter syntax):
 * - it takes a cluster-wide Lease (`kubeip-lock`) while it picks an address, so two nodes never take the same one;
 * - it keeps the address when it stops (`RELEASE_ON_EXIT=false`): a restarted agent finds it still attached and keeps
 *   it (`ErrStaticIPAlreadyAssigned`), so an agent rollout never moves a gateway's address; a deleted node frees its
 *   address by being deleted (an Elastic IP stays allocated when its instance goes, a GCP static address returns to
 *   RESERVED), and it is free for the next node;
 * - its taint-key feature is not used: the Submariner operator gives the gateway engine a toleration of every taint
 *   (submariner-io/submariner-operator v0.18.1, controllers/submariner/gateway_resources.go: "The gateway engine must
 *   be able to run on any flagged node, regardless of existing taints"), so an "address pending" taint cannot hold
 *   the gateway back and would only cost kubeip the right to patch every node. The gateway engine re-resolves its
 *   public address every 60 s instead (submariner v0.18.1, pkg/endpoint/public_ip_watcher.go) and publishes the new
 *   one to its peers.
 */
import { createHash } from "node:crypto";
import { GATEWAY_ADDRESS_POOL_LABEL, GATEWAY_ADDRESS_POOL_TAG } from "../names";

/** kubeip's agent and the Kubernetes objects it runs as (all in `namespace`). */
export const KUBEIP = {
  /** Docker Hub image the kubeip build workflow pushes for git tag 2.2.0 (docker/metadata-action semver tags). */
  image: "doitintl/kubeip-agent:2.2.0",
  namespace: "kube-system",
  name: "kubeip-agent",
  serviceAccount: "kubeip",
  /** The Lease kubeip takes while it picks an address (cmd/main.go `kubeipLockName`), in `namespace`. */
  lease: "kubeip-lock",
  /** The container runs as this user (the image's `USER 1001`). */
  user: 1001,
} as const;

/** The EC2 `describe-addresses` filter of a cluster's pool of Elastic IPs. */
export function kubeipAwsFilter(physicalName: string): string {
  return `Name=tag:${GATEWAY_ADDRESS_POOL_TAG},Values=${physicalName}`;
}

/** The `gcloud compute addresses list` filter of a cluster's pool of regional external addresses. */
export function kubeipGcpFilter(physicalName: string): string {
  return `labels.${GATEWAY_ADDRESS_POOL_LABEL}=${physicalName}`;
}

/**
 * The `Name` tag of an EKS cluster's gateway instances and of their primary network interfaces (set by the gateway
 * launch template): the agents' IAM policies are scoped to it.
 */
export function awsGatewayInstanceName(physicalName: string): string {
  return `${physicalName}-gateway`;
}

/** The ARN scope of one EKS cluster's agent policies. */
export interface AwsAgentScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The cluster's physical name: its pool's tag value and its gateway instances' `Name` prefix. */
  readonly physicalName: string;
}

interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

function ec2Arn(scope: AwsAgentScope, resource: string): string {
  return `arn:${scope.partition}:ec2:${scope.region}:${scope.accountId}:${resource}/*`;
}

/** Resources tagged as this cluster's gateway instances (and their primary interfaces). */
function gatewayCondition(scope: AwsAgentScope): Record<string, Record<string, string>> {
  return { StringEquals: { "aws:ResourceTag/Name": awsGatewayInstanceName(scope.physicalName) } };
}

function policy(statements: readonly Statement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * kubeip's AWS policy: the calls its AWS assigner makes with `RELEASE_ON_EXIT=false` and no taint key. Describe calls
 * take no resource-level permissions (Resource `*`); associating is limited to the pool's Elastic IPs and to this
 * cluster's gateway instances and their interfaces. `ec2:DisassociateAddress` (upstream's list) is left out: kubeip
 * only disassociates when it releases an address, which this configuration never asks of it.
 */
export function renderKubeipAwsPolicy(scope: AwsAgentScope): string {
  return policy([
    {
      Sid: "FindPoolAndInstance",
      Effect: "Allow",
      Action: ["ec2:DescribeAddresses", "ec2:DescribeInstances"],
      Resource: "*",
    },
    {
      Sid: "AssociatePoolAddress",
      Effect: "Allow",
      Action: ["ec2:AssociateAddress"],
      Resource: ec2Arn(scope, "elastic-ip"),
      Condition: { StringEquals: { [`aws:ResourceTag/${GATEWAY_ADDRESS_POOL_TAG}`]: scope.physicalName } },
    },
    {
      Sid: "AssociateWithGatewayNode",
      Effect: "Allow",
      Action: ["ec2:AssociateAddress"],
      Resource: [ec2Arn(scope, "instance"), ec2Arn(scope, "network-interface")],
      Condition: gatewayCondition(scope),
    },
  ]);
}

/**
 * kubeip's GCP permissions (a custom role): read the instance and the pool, swap the instance's access config (which
 * uses the address and the subnetwork's external IP), wait for the zonal operation. Upstream's README also lists
 * `compute.projects.get`, which no call of the agent makes (the project comes from `PROJECT`, or else from the
 * metadata server), so it is left out.
 */
export const KUBEIP_GCP_PERMISSIONS = [
  "compute.addresses.get",
  "compute.addresses.list",
  "compute.addresses.use",
  "compute.instances.addAccessConfig",
  "compute.instances.deleteAccessConfig",
  "compute.instances.get",
  "compute.subnetworks.useExternalIp",
  "compute.zoneOperations.get",
] as const;

/** The kubeip service account's id (6–30 characters, unique per project): `kubeip-<sha256(physicalName)[0:6]>`. */
export function kubeipGcpAccountId(physicalName: string): string {
  return `kubeip-${createHash("sha256").update(physicalName).digest("hex").slice(0, 6)}`;
}

/** The custom role's id (letters, digits, `_` and `.`; unique per project): `kubeip_<physical name>`. */
export function kubeipGcpRoleId(physicalName: string): string {
  return `kubeip_${physicalName.replace(/-/g, "_")}`;
}

/**
 * The agent that turns off the EC2 source/destination check of an EKS gateway node's primary network interface.
 * With the check on, EC2 drops what the active gateway forwards (a peer's packet, decapsulated, whose source is the
 * remote pod and whose destination is a pod on another node). The check is an attribute of each network interface:
 * `ModifyInstanceAttribute` refuses instances with more than one ("There are multiple interfaces attached"), and VPC
 * CNI attaches more, so the agent changes the primary interface (device index 0) that carries the node's address.
 */
export const SOURCE_DEST_CHECK_AGENT = {
  /** The official AWS CLI image (aws/aws-cli tag 2.36.7, docker/Dockerfile). */
  image: "amazon/aws-cli:2.36.7",
  namespace: "kube-system",
  name: "gateway-source-dest-check",
  serviceAccount: "gateway-source-dest-check",
  /** How often the agent checks again that the check is still off. */
  intervalSeconds: 600,
} as const;

/**
 * The agent's AWS policy: find its node's primary interface (Describe: Resource `*`), and change attributes only of
 * interfaces tagged as this cluster's gateway nodes'.
 */
export function renderSourceDestCheckPolicy(scope: AwsAgentScope): string {
  return policy([
    { Sid: "FindGatewayInterface", Effect: "Allow", Action: ["ec2:DescribeNetworkInterfaces"], Resource: "*" },
    {
      Sid: "DisableSourceDestCheck",
      Effect: "Allow",
      Action: ["ec2:ModifyNetworkInterfaceAttribute"],
      Resource: ec2Arn(scope, "network-interface"),
      Condition: gatewayCondition(scope),
    },
  ]);
}

/**
 * The agent's shell script (env: `HOST_IP`, the node's address; `GATEWAY_NAME`, the gateway `Name` tag;
 * `AWS_REGION`): find the node's primary interface by its address and tag, turn the check off when it is on, look
 * again every interval; exit non-zero (the pod restarts) when the interface cannot be found or changed.
 */
export function renderSourceDestCheckScript(intervalSeconds: number = SOURCE_DEST_CHECK_AGENT.intervalSeconds): string {
  return [
    "set -eu",
    "trap 'exit 0' TERM INT",
    "while true; do",
    "  set -- $(aws ec2 describe-network-interfaces --output text \\",
    '    --filters "Name=addresses.private-ip-address,Values=${HOST_IP}" "Name=attachment.device-index,Values=0" \\',
    '              "Name=tag:Name,Values=${GATEWAY_NAME}" \\',
    "    --query 'NetworkInterfaces[0].[NetworkInterfaceId,SourceDestCheck]')",
    '  if [ "$#" -ne 2 ] || [ "$1" = "None" ]; then',
    '    echo "no primary interface tagged Name=${GATEWAY_NAME} holds ${HOST_IP}" >&2',
    "    exit 1",
    "  fi",
    '  if [ "$2" != "False" ]; then',
    '    aws ec2 modify-network-interface-attribute --network-interface-id "$1" --no-source-dest-check',
    '    echo "source/destination check turned off on $1 (${HOST_IP})"',
    "  fi",
    `  sleep ${intervalSeconds} & wait $!`,
    "done",
    "",
  ].join("\n");
}
