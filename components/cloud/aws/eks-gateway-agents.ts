/**
 * The agents on an EKS cluster's gateway nodes, as the interconnect's `gatewayNodes` requires them (none without
 * gateway nodes), each with an IRSA role holding exactly its policy (plan/cloud/gateway-agents.ts):
 * - `staticAddresses`: `kubeip-role` + `kubeip-policy` + `kubeip-policy-attachment`, and `kubeip`, the KubeipAgent
 *   (../kubeip-agent.ts) with the pool's Elastic IP filter;
 * - `forwardsForeignTraffic`: `source-dest-check-role` + `-policy` + `-policy-attachment`, and in `kube-system` the
 *   ServiceAccount `source-dest-check-sa` and the DaemonSet `source-dest-check`: on each gateway node (host network,
 *   tolerating exactly the gateway taint) the AWS CLI turns off the source/destination check of the node's primary
 *   network interface and looks again every ten minutes. A managed node group's launch template cannot set it, and a
 *   replaced node gets it from the DaemonSet.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  awsGatewayInstanceName,
  kubeipAwsFilter,
  KUBEIP,
  renderKubeipAwsPolicy,
  renderSourceDestCheckPolicy,
  renderSourceDestCheckScript,
  SOURCE_DEST_CHECK_AGENT,
  type AwsAgentScope,
} from "../../../plan/cloud/gateway-agents";
import type { GatewayNodes } from "../../../plan/interconnect";
import { KubeipAgent } from "../kubeip-agent";
import { renderIrsaTrustPolicy } from "./aws-load-balancer-controller";

export interface GatewayAgentsArgs {
  readonly gatewayNodes: GatewayNodes;
  /** The EKS cluster's physical name: the pool's tag value and the gateway instances' `Name` prefix. */
  readonly physicalName: string;
  readonly region: string;
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcIssuerUrl: pulumi.Input<string>;
  readonly k8sProvider: k8s.Provider;
  /** The gateway node groups; the agents start after them. */
  readonly gateways: readonly pulumi.Resource[];
  readonly tags: Readonly<Record<string, string>>;
}

/** The agents the requirement asks for; returns what workloads on the gateway nodes should wait for. */
export function createGatewayAgents(name: string, args: GatewayAgentsArgs, parent: pulumi.Resource): pulumi.Resource[] {
  const scope = pulumi.all([args.partition, args.accountId]).apply(([partition, accountId]): AwsAgentScope => ({
    partition,
    accountId,
    region: args.region,
    physicalName: args.physicalName,
  }));
  const agents: pulumi.Resource[] = [];
  if (args.gatewayNodes.staticAddresses) {
    const role = createAgentRole(
      `${name}-kubeip`,
      { ...args, what: "address", account: KUBEIP, policy: scope.apply(renderKubeipAwsPolicy) },
      parent,
    );
    agents.push(
      new KubeipAgent(
        `${name}-kubeip`,
        {
          k8sProvider: args.k8sProvider,
          filter: kubeipAwsFilter(args.physicalName),
          gatewayLabel: args.gatewayNodes.label,
          gatewayTaint: args.gatewayNodes.taint,
          env: { REGION: args.region },
          serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": role.arn },
          dependsOn: [...args.gateways, role.attachment],
        },
        { parent },
      ).daemonSet,
    );
  }
  if (args.gatewayNodes.forwardsForeignTraffic) {
    const a = SOURCE_DEST_CHECK_AGENT;
    const role = createAgentRole(
      `${name}-source-dest-check`,
      { ...args, what: "source/destination check", account: a, policy: scope.apply(renderSourceDestCheckPolicy) },
      parent,
    );
    agents.push(createSourceDestCheckAgent(`${name}-source-dest-check`, args, role, parent));
  }
  return agents;
}

interface AgentRole {
  readonly arn: pulumi.Output<string>;
  readonly attachment: aws.iam.RolePolicyAttachment;
}

/** An IRSA role for the agent's ServiceAccount, with its policy. */
function createAgentRole(
  name: string,
  args: GatewayAgentsArgs & {
    what: string;
    account: { namespace: string; serviceAccount: string };
    policy: pulumi.Input<string>;
  },
  parent: pulumi.Resource,
): AgentRole {
  const subject = `system:serviceaccount:${args.account.namespace}:${args.account.serviceAccount}`;
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      description: `Gateway-node ${args.what} agent of EKS cluster ${args.physicalName}`,
      assumeRolePolicy: pulumi
        .all([args.oidcProviderArn, args.oidcIssuerUrl])
        .apply(([providerArn, issuerUrl]) => renderIrsaTrustPolicy(providerArn, issuerUrl, subject)),
      tags: { ...args.tags },
    },
    { parent },
  );
  const policy = new aws.iam.Policy(
    `${name}-policy`,
    {
      description: `Gateway-node ${args.what} agent of EKS cluster ${args.physicalName}`,
      policy: args.policy,
      tags: { ...args.tags },
    },
    { parent },
  );
  const attachment = new aws.iam.RolePolicyAttachment(
    `${name}-policy-attachment`,
    { role: role.name, policyArn: policy.arn },
    { parent },
  );
  return { arn: role.arn, attachment };
}

/** The ServiceAccount and DaemonSet of the source/destination check agent. */
function createSourceDestCheckAgent(
  name: string,
  args: GatewayAgentsArgs,
  role: AgentRole,
  parent: pulumi.Resource,
): k8s.apps.v1.DaemonSet {
  const a = SOURCE_DEST_CHECK_AGENT;
  const on = { parent, provider: args.k8sProvider };
  const labels = { "app.kubernetes.io/name": a.name };
  const account = new k8s.core.v1.ServiceAccount(
    `${name}-sa`,
    {
      metadata: {
        name: a.serviceAccount,
        namespace: a.namespace,
        labels,
        annotations: { "eks.amazonaws.com/role-arn": role.arn },
      },
    },
    on,
  );
  return new k8s.apps.v1.DaemonSet(
    name,
    {
      metadata: { name: a.name, namespace: a.namespace, labels },
      spec: {
        selector: { matchLabels: labels },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: a.serviceAccount,
            hostNetwork: true,
            priorityClassName: "system-node-critical",
            terminationGracePeriodSeconds: 5,
            nodeSelector: { [args.gatewayNodes.label]: "true" },
            tolerations: [{ key: args.gatewayNodes.taint, operator: "Exists", effect: "NoSchedule" }],
            securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
            containers: [
              {
                name: "source-dest-check",
                image: a.image,
                command: ["/bin/sh", "-c", renderSourceDestCheckScript()],
                env: [
                  { name: "HOST_IP", valueFrom: { fieldRef: { fieldPath: "status.hostIP" } } },
                  { name: "GATEWAY_NAME", value: awsGatewayInstanceName(args.physicalName) },
                  { name: "AWS_REGION", value: args.region },
                  // The AWS CLI keeps its caches under $HOME; the root file system is read-only.
                  { name: "HOME", value: "/tmp" },
                ],
                resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                securityContext: {
                  privileged: false,
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: {} }],
          },
        },
      },
    },
    { ...on, dependsOn: [account, role.attachment, ...args.gateways] },
  );
}
