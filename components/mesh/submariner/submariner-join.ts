/**
 * One cluster joined to the Submariner broker: the operator, which runs the gateway engine on the cluster's gateway
 * nodes (labelled `submariner.io/gateway=true`), a route agent on every node, and Lighthouse service discovery.
 *
 * Children, by role (all through the cluster's Kubernetes provider):
 * - `operator`: Helm release `submariner-operator` of the submariner-operator chart in namespace `submariner-operator`
 *   (created by the release). Its values carry the cluster's identity and planned ranges, the broker connection and
 *   the shared IPsec PSK; the token, CA and PSK are secret;
 * - GKE only, `lighthouse-dns`: a Service with a fixed ClusterIP from the planned service range in front of
 *   Lighthouse's CoreDNS pods (`app: submariner-lighthouse-coredns`), and `kube-dns-stub`: a server-side-apply patch
 *   of `kube-system/kube-dns` adding the stub domain `clusterset.local` → that ClusterIP. GKE runs kube-dns, which
 *   the operator does not configure (it patches CoreDNS, as on EKS); the ClusterIP the operator's own Lighthouse
 *   Service gets is only known after it exists, a planned one is known at preview.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { OPERATOR_NAMESPACE, type SubmarinerMember } from "../../../plan/interconnect/submariner/topology";
import type { SubmarinerSpec } from "../../../plan/spec";
import type { MeshCluster } from "../../cluster/contract";

export const SUBMARINER_JOIN_TYPE = "multicluster-mesh:mesh/submariner:SubmarinerJoin";

/** Helm release (and so chart fullname) of the operator chart. */
export const OPERATOR_RELEASE_NAME = "submariner-operator";
/** The label the operator puts on Lighthouse's CoreDNS pods (and selects them by). */
export const LIGHTHOUSE_COREDNS_APP = "submariner-lighthouse-coredns";
/** Our Service in front of those pods, with the planned ClusterIP kube-dns forwards to. */
export const LIGHTHOUSE_DNS_SERVICE_NAME = "submariner-lighthouse-coredns-stub";

/** How a join reaches the broker. */
export interface BrokerConnection {
  /** host[:port] of the broker cluster's API server, without `https://`. */
  readonly server: pulumi.Input<string>;
  /** The broker client token, decoded. Secret. */
  readonly token: pulumi.Input<string>;
  /** The broker cluster's CA bundle, base64 PEM. Secret. */
  readonly ca: pulumi.Input<string>;
  /** The broker namespace. */
  readonly namespace: string;
  /** Resources the operator release waits for (the broker release and its client token). */
  readonly dependsOn: readonly pulumi.Resource[];
}

export interface SubmarinerJoinArgs {
  /** The cluster to join; its provider installs everything, its `ready` resources come first. */
  readonly cluster: MeshCluster;
  /** The cluster's planned Submariner identity and ranges (planSubmarinerTopology). */
  readonly member: SubmarinerMember;
  /** Chart repository and version, cable driver, NAT and Globalnet, as configured. */
  readonly spec: Pick<SubmarinerSpec, "chartRepository" | "version" | "cableDriver" | "natEnabled" | "globalnet">;
  readonly broker: BrokerConnection;
  /** The IPsec pre-shared key every cluster shares. Secret. */
  readonly psk: pulumi.Input<string>;
}

export class SubmarinerJoin extends pulumi.ComponentResource {
  /** The cluster's Submariner clusterId. */
  public readonly clusterId: string;
  /** The operator release. */
  public readonly operator: k8s.helm.v3.Release;

  constructor(name: string, args: SubmarinerJoinArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything, so that wrong wiring leaves no half-built component behind.
    if (args.member.cluster !== args.cluster.name) {
      throw new Error(
        `SubmarinerJoin ${name}: the plan is for cluster ${args.member.cluster}, the cluster given is ${args.cluster.name}`,
      );
    }
    super(SUBMARINER_JOIN_TYPE, name, {}, opts);
    const { cluster, member, spec, broker } = args;
    const provider = cluster.provider;

    this.operator = new k8s.helm.v3.Release(
      `${name}-operator`,
      {
        name: OPERATOR_RELEASE_NAME,
        chart: "submariner-operator",
        version: spec.version,
        repositoryOpts: { repo: spec.chartRepository },
        namespace: OPERATOR_NAMESPACE,
        createNamespace: true,
        values: operatorValues(member, spec, broker, args.psk),
      },
      { parent: this, provider, dependsOn: [...broker.dependsOn, ...cluster.ready] },
    );

    if (member.kubeDnsStub !== undefined) {
      createKubeDnsStub(name, this, provider, this.operator, member.kubeDnsStub);
    }

    this.clusterId = member.clusterId;
    this.registerOutputs({ clusterId: this.clusterId });
  }
}

/** The operator chart's values (names as in the chart's values.yaml). */
function operatorValues(
  member: SubmarinerMember,
  spec: SubmarinerJoinArgs["spec"],
  broker: BrokerConnection,
  psk: pulumi.Input<string>,
): Record<string, unknown> {
  return {
    submariner: {
      clusterId: member.clusterId,
      clusterCidr: member.clusterCidr,
      serviceCidr: member.serviceCidr,
      ...(member.globalCidr !== undefined ? { globalCidr: member.globalCidr } : {}),
      natEnabled: spec.natEnabled,
      cableDriver: spec.cableDriver,
      serviceDiscovery: true,
    },
    broker: {
      server: broker.server,
      token: pulumi.secret(broker.token),
      ca: pulumi.secret(broker.ca),
      namespace: broker.namespace,
      globalnet: spec.globalnet,
    },
    ipsec: { psk: pulumi.secret(psk) },
  };
}

/** GKE: a fixed-IP Service in front of Lighthouse's CoreDNS, and kube-dns's stub domain pointing at it. */
function createKubeDnsStub(
  name: string,
  parent: pulumi.Resource,
  provider: k8s.Provider,
  operator: k8s.helm.v3.Release,
  stub: NonNullable<SubmarinerMember["kubeDnsStub"]>,
): void {
  const dnsPort = (protocol: "UDP" | "TCP"): k8s.types.input.core.v1.ServicePort => ({
    name: protocol.toLowerCase(),
    protocol,
    port: 53,
    targetPort: 53,
  });
  const service = new k8s.core.v1.Service(
    `${name}-lighthouse-dns`,
    {
      metadata: {
        name: LIGHTHOUSE_DNS_SERVICE_NAME,
        namespace: OPERATOR_NAMESPACE,
        // The pods appear when the operator has reconciled; DNS answers once they are ready. Waiting here for
        // endpoints would only make the first `pulumi up` depend on image pulls.
        annotations: { "pulumi.com/skipAwait": "true" },
      },
      spec: {
        type: "ClusterIP",
        clusterIP: stub.lighthouseDnsIp,
        selector: { app: LIGHTHOUSE_COREDNS_APP },
        ports: [dnsPort("UDP"), dnsPort("TCP")],
      },
    },
    { parent, provider, dependsOn: [operator] },
  );
  new k8s.core.v1.ConfigMapPatch(
    `${name}-kube-dns-stub`,
    {
      metadata: {
        name: "kube-dns",
        namespace: "kube-system",
        // kube-dns's ConfigMap may already exist (GKE creates it EnsureExists); take over just this field.
        annotations: { "pulumi.com/patchForce": "true" },
      },
      data: { stubDomains: JSON.stringify({ [stub.domain]: [stub.lighthouseDnsIp] }) },
    },
    { parent, provider, dependsOn: [service] },
  );
}
