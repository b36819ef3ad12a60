/**
 * kubeip on a cluster's gateway nodes: it gives each gateway node a static public address from the cluster's reserved
 * pool (plan/cloud/gateway-agents.ts says how it is configured and why). The cloud identity it runs as is the cloud
 * module's: an IRSA role on EKS, a Workload Identity service account on GKE, named by `serviceAccountAnnotations`.
 *
 * Children, by role (all through the cluster's Kubernetes provider, in `kube-system`):
 * - `sa`: the ServiceAccount `kubeip`, annotated with the cloud identity;
 * - `node-reader` + `node-reader-binding`: a ClusterRole to get nodes (kubeip reads its node's provider id, zone and
 *   addresses) bound to it; no node patch right, as the taint-key feature is not used;
 * - `lock` + `lock-binding`: a Role to create Leases and to get, renew and delete the `kubeip-lock` Lease only;
 * - `daemonset`: the agent on every node labelled as a gateway node, tolerating exactly the gateway taint, with the
 *   pool's filter, the kubeip settings and the cloud's location settings (`env`), after what `dependsOn` names.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KUBEIP } from "../../plan/cloud/gateway-agents";

export const KUBEIP_AGENT_TYPE = "multicluster-mesh:cluster:KubeipAgent";

export interface KubeipAgentArgs {
  readonly k8sProvider: k8s.Provider;
  /** The pool's filter in the cloud's syntax (plan/cloud/gateway-agents.ts `kubeip<Cloud>Filter`). */
  readonly filter: string;
  /** The gateway nodes' label (value "true") and taint key (NoSchedule), as the interconnect requires them. */
  readonly gatewayLabel: string;
  readonly gatewayTaint: string;
  /** Where the cloud API calls go, e.g. `{ REGION: "us-east-1" }` or `{ PROJECT, REGION }` (no metadata lookups). */
  readonly env: Readonly<Record<string, string>>;
  /** The annotations that bind the ServiceAccount to its cloud identity. */
  readonly serviceAccountAnnotations: Readonly<Record<string, pulumi.Input<string>>>;
  /** What the agent starts after: the gateway nodes and its cloud permissions. */
  readonly dependsOn: readonly pulumi.Resource[];
}

export class KubeipAgent extends pulumi.ComponentResource {
  public readonly daemonSet: k8s.apps.v1.DaemonSet;

  constructor(name: string, args: KubeipAgentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBEIP_AGENT_TYPE, name, {}, opts);
    const on = { parent: this, provider: args.k8sProvider };
    const { namespace } = KUBEIP;
    const labels = { "app.kubernetes.io/name": KUBEIP.name };
    const subject = { kind: "ServiceAccount", name: KUBEIP.serviceAccount, namespace };

    const account = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      {
        metadata: {
          name: KUBEIP.serviceAccount,
          namespace,
          labels,
          annotations: { ...args.serviceAccountAnnotations },
        },
      },
      on,
    );
    const nodeReader = new k8s.rbac.v1.ClusterRole(
      `${name}-node-reader`,
      {
        metadata: { name: `${KUBEIP.name}-node-reader`, labels },
        rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }],
      },
      on,
    );
    const nodeReaderBinding = new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-node-reader-binding`,
      {
        metadata: { name: `${KUBEIP.name}-node-reader`, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: nodeReader.metadata.name },
        subjects: [subject],
      },
      on,
    );
    // kubeip's lock (internal/lease/lock.go): create, then get/update (renew)/delete of its one Lease.
    const lock = new k8s.rbac.v1.Role(
      `${name}-lock`,
      {
        metadata: { name: `${KUBEIP.name}-lock`, namespace, labels },
        rules: [
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
          {
            apiGroups: ["coordination.k8s.io"],
            resources: ["leases"],
            resourceNames: [KUBEIP.lease],
            verbs: ["get", "update", "delete"],
          },
        ],
      },
      on,
    );
    const lockBinding = new k8s.rbac.v1.RoleBinding(
      `${name}-lock-binding`,
      {
        metadata: { name: `${KUBEIP.name}-lock`, namespace, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: lock.metadata.name },
        subjects: [subject],
      },
      on,
    );

    const settings: Record<string, string> = {
      FILTER: args.filter,
      // Keep the address when the agent stops; the node's deletion frees it (plan/cloud/gateway-agents.ts).
      RELEASE_ON_EXIT: "false",
      LEASE_NAMESPACE: namespace,
      LOG_LEVEL: "info",
      LOG_JSON: "true",
      ...args.env,
    };
    this.daemonSet = new k8s.apps.v1.DaemonSet(
      `${name}-daemonset`,
      {
        metadata: { name: KUBEIP.name, namespace, labels },
        spec: {
          selector: { matchLabels: labels },
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: KUBEIP.serviceAccount,
              priorityClassName: "system-node-critical",
              terminationGracePeriodSeconds: 30,
              nodeSelector: { [args.gatewayLabel]: "true" },
              tolerations: [{ key: args.gatewayTaint, operator: "Exists", effect: "NoSchedule" }],
              securityContext: { runAsNonRoot: true, runAsUser: KUBEIP.user, runAsGroup: KUBEIP.user },
              containers: [
                {
                  name: "kubeip",
                  image: KUBEIP.image,
                  env: [
                    { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                    ...Object.entries(settings).map(([envName, value]) => ({ name: envName, value })),
                  ],
                  resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
                  securityContext: {
                    privileged: false,
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    capabilities: { drop: ["ALL"] },
                  },
                },
              ],
            },
          },
        },
      },
      { ...on, dependsOn: [account, nodeReaderBinding, lockBinding, ...args.dependsOn] },
    );
    this.registerOutputs({ daemonSet: this.daemonSet });
  }
}
