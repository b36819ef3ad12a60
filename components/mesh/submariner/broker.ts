/**
 * The Submariner broker: the shared Kubernetes API, in one cluster, through which joined clusters exchange their
 * endpoints and exported services. It runs no pods; it is CRDs, a Role, and a client identity the clusters use.
 *
 * Children, by role (all in the broker cluster, through its Kubernetes provider):
 * - `release`: Helm release `submariner-k8s-broker` of the submariner-k8s-broker chart in namespace
 *   `submariner-k8s-broker` (created by the release): the CRDs and the Role its RoleBinding grants to the client
 *   service account. The chart's own client service account is switched off and replaced by ours, so that there is
 *   exactly one client token and Pulumi owns it;
 * - `client`: ServiceAccount `submariner-k8s-broker-client`, the RoleBinding's subject (the name the chart would use);
 * - `client-token`: its long-lived `kubernetes.io/service-account-token` Secret `submariner-k8s-broker-client-token`.
 *   @pulumi/kubernetes waits until the token controller has filled in `token` and `ca.crt`, so the joins can read them
 *   in the same `pulumi up` (reading the chart's own secret with `.get` would fail the first preview, before it
 *   exists, and race the token controller).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BROKER_NAMESPACE, brokerServer } from "../../../plan/interconnect/submariner/topology";
import type { MeshCluster } from "../../cluster/contract";

export const SUBMARINER_BROKER_TYPE = "multicluster-mesh:mesh/submariner:SubmarinerBroker";

/** Helm release (and so chart fullname) of the broker chart. */
export const BROKER_RELEASE_NAME = "submariner-k8s-broker";
/** The broker client identity, named as the chart names it (`<fullname>-client`). */
export const BROKER_CLIENT_NAME = `${BROKER_RELEASE_NAME}-client`;
export const BROKER_CLIENT_TOKEN_NAME = `${BROKER_CLIENT_NAME}-token`;

export interface SubmarinerBrokerArgs {
  /** The cluster hosting the broker; its endpoint becomes every join's `broker.server`. */
  readonly cluster: MeshCluster;
  /** Helm repository of the submariner-k8s-broker chart. */
  readonly chartRepository: string;
  /** Chart version, the same as the operator chart's. */
  readonly version: string;
}

export class SubmarinerBroker extends pulumi.ComponentResource {
  /** The name of the cluster hosting the broker. */
  public readonly cluster: string;
  /** The broker namespace (`broker.namespace` of every join). */
  public readonly namespace: string;
  /** The broker's API server as host[:port], without `https://` (`broker.server`). */
  public readonly server: pulumi.Output<string>;
  /** The client token, decoded (`broker.token`). Secret. */
  public readonly token: pulumi.Output<string>;
  /** The broker cluster's CA bundle, base64-encoded PEM as in the token secret (`broker.ca`). Secret. */
  public readonly ca: pulumi.Output<string>;
  /** What a join waits for: the broker release and the filled-in client token. */
  public readonly readyResources: readonly pulumi.Resource[];

  constructor(name: string, args: SubmarinerBrokerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SUBMARINER_BROKER_TYPE, name, {}, opts);
    const { cluster } = args;
    const provider = cluster.provider;

    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: BROKER_RELEASE_NAME,
        chart: "submariner-k8s-broker",
        version: args.version,
        repositoryOpts: { repo: args.chartRepository },
        namespace: BROKER_NAMESPACE,
        createNamespace: true,
        values: { serviceAccounts: { client: { create: false, name: BROKER_CLIENT_NAME } } },
      },
      { parent: this, provider, dependsOn: [...cluster.ready] },
    );

    const client = new k8s.core.v1.ServiceAccount(
      `${name}-client`,
      { metadata: { name: BROKER_CLIENT_NAME, namespace: BROKER_NAMESPACE } },
      { parent: this, provider, dependsOn: [release] },
    );

    const tokenSecret = new k8s.core.v1.Secret(
      `${name}-client-token`,
      {
        type: "kubernetes.io/service-account-token",
        metadata: {
          name: BROKER_CLIENT_TOKEN_NAME,
          namespace: BROKER_NAMESPACE,
          annotations: { "kubernetes.io/service-account.name": BROKER_CLIENT_NAME },
        },
      },
      { parent: this, provider, dependsOn: [client] },
    );

    this.cluster = cluster.name;
    this.namespace = BROKER_NAMESPACE;
    this.server = cluster.endpoint.apply(brokerServer);
    this.token = pulumi.secret(
      tokenSecret.data.apply((data) => Buffer.from(requireKey(data, "token"), "base64").toString("utf8")),
    );
    this.ca = pulumi.secret(tokenSecret.data.apply((data) => requireKey(data, "ca.crt")));
    this.readyResources = [release, tokenSecret];

    this.registerOutputs({
      cluster: this.cluster,
      namespace: this.namespace,
      server: this.server,
      token: this.token,
      ca: this.ca,
    });
  }
}

/** A key of the token secret's data; the token controller always writes `token` and `ca.crt`. */
function requireKey(data: Readonly<Record<string, string>> | undefined, key: string): string {
  const value = data?.[key];
  if (value === undefined || value === "") {
    throw new Error(`the broker client token secret ${BROKER_NAMESPACE}/${BROKER_CLIENT_TOKEN_NAME} has no ${key}`);
  }
  return value;
}
