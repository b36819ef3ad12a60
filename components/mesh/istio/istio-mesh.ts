/**
 * The Istio multi-primary, multi-network mesh over every cluster of the environment, AWS, GCP and existing alike, in
 * one `pulumi up`: no istioctl, no staged applies.
 *
 * Every cluster is a primary on its own network: it runs its own istiod, reads only its own API server for
 * configuration, and discovers the other clusters' endpoints through remote secrets; traffic to another network goes
 * through that network's east-west gateway (mTLS passthrough on 15443).
 *
 * Children, by role:
 * - one IstioCluster per cluster, named `${name}-<cluster>`: base, istiod, PeerAuthentication, locality-failover
 *   DestinationRule, east-west gateway and the istio-reader token;
 * - one RemoteSecrets per cluster B, named `${name}-<B>-remote-secrets`: B's secret for every other cluster A.
 *   N clusters hold N·(N−1) secrets; adding a cluster adds exactly its pairs.
 *
 * The components consume only the cluster contract (MeshCluster) and, per cluster, ClusterTrust's istio-system
 * namespace and `cacerts` Secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { type IstioTopology, remoteSecretsHeldBy } from "../../../plan/interconnect/istio/topology";
import type { IstioSpec } from "../../../plan/spec";
import type { MeshCluster } from "../../cluster/contract";
import { IstioCluster } from "./istio-cluster";
import type { NamespaceInput } from "./namespace";
import { readerKubeconfig, RemoteSecrets } from "./remote-secrets";

/** One cluster of the mesh with its trust outputs. */
export interface IstioMeshMember {
  /** The cluster, through the shared contract. */
  readonly cluster: MeshCluster;
  /** istio-system: ClusterTrust's Namespace (labelled `topology.istio.io/network`), or its name. */
  readonly namespace: NamespaceInput;
  /** ClusterTrust's `cacerts` Secret; the cluster's istiod waits for it. */
  readonly cacerts: pulumi.Resource;
}

export interface IstioMeshArgs {
  /** Every cluster of the mesh, in the stack file's order (problems are reported as `clusters[i]`). */
  readonly clusters: readonly IstioMeshMember[];
  /** The planned topology (the plan's `interconnect.topology`): every cluster's Istio identity and remote secrets. */
  readonly topology: IstioTopology;
  /** The `istio` section of the stack config, defaults applied (meshId, version, revision, gateway, mTLS, ...). */
  readonly istio: IstioSpec;
  /** From the trust plan: more than one root is trusted, so istiod and proxies run in multi-root mode. */
  readonly multiRoot: boolean;
  /**
   * Each cluster's egress (the public NAT addresses its outbound traffic leaves from), by cluster name, where known.
   * With `istio.gateway.allowPeersOnly`, an internet-facing gateway and no `istio.gateway.sourceRanges`, every
   * gateway admits only its peers' egress; a gateway with a peer whose egress is unknown (an existing cluster) stays
   * open to any client (mTLS still applies).
   */
  readonly egress?: Readonly<Record<string, pulumi.Input<string[]>>>;
}

export class IstioMesh extends pulumi.ComponentResource {
  /** Per cluster name, the east-west gateway's load balancer address (hostname on AWS, IP elsewhere). */
  readonly gatewayAddresses: Readonly<Record<string, pulumi.Output<string>>>;
  /** The planned topology: clusterNames, networks and remote-secret pairs. */
  readonly topology: IstioTopology;
  /** Per cluster name, its part of the mesh. */
  readonly clusters: Readonly<Record<string, IstioCluster>>;
  /** Per cluster name, the remote secrets it holds (absent for a mesh of one cluster). */
  readonly remoteSecrets: Readonly<Record<string, RemoteSecrets>>;

  constructor(name: string, args: IstioMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    const members = new Map(args.clusters.map((m) => [m.cluster.name, m]));
    // Checked before anything is registered: every planned cluster must be among the members.
    for (const plan of args.topology.clusters) {
      memberNamed(members, plan.name);
    }
    super("multicluster-mesh:mesh/istio:IstioMesh", name, {}, opts);
    this.topology = args.topology;

    const clusters: Record<string, IstioCluster> = {};
    for (const plan of this.topology.clusters) {
      const member = memberNamed(members, plan.name);
      clusters[plan.name] = new IstioCluster(
        `${name}-${plan.name}`,
        {
          cluster: member.cluster,
          plan,
          meshId: this.topology.meshId,
          namespace: member.namespace,
          cacerts: member.cacerts,
          istio: args.istio,
          multiRoot: args.multiRoot,
          ...peerSourceRanges(
            plan.name,
            this.topology.clusters.map((c) => c.name),
            args,
          ),
        },
        { parent: this },
      );
    }

    // One reader kubeconfig per cluster, shared by every cluster that holds a secret for it.
    const kubeconfigs = new Map(
      this.topology.clusters.map((plan) => [
        plan.name,
        readerKubeconfig(
          memberNamed(members, plan.name).cluster,
          plan.clusterName,
          requireCluster(clusters, plan.name).readerToken,
        ),
      ]),
    );
    const remoteSecrets: Record<string, RemoteSecrets> = {};
    for (const plan of this.topology.clusters) {
      const held = remoteSecretsHeldBy(this.topology, plan.name);
      if (held.length === 0) {
        continue;
      }
      const target = memberNamed(members, plan.name);
      remoteSecrets[plan.name] = new RemoteSecrets(
        `${name}-${plan.name}-remote-secrets`,
        {
          cluster: target.cluster,
          namespace: target.namespace,
          istiod: requireCluster(clusters, plan.name).istiod,
          sources: held.map((p) => ({
            plan: p,
            kubeconfig: kubeconfigs.get(p.source) as pulumi.Output<string>,
            token: requireCluster(clusters, p.source).readerToken,
          })),
        },
        { parent: this },
      );
    }

    this.clusters = clusters;
    this.remoteSecrets = remoteSecrets;
    this.gatewayAddresses = Object.fromEntries(Object.entries(clusters).map(([n, c]) => [n, c.gatewayAddress]));
    this.registerOutputs({ gatewayAddresses: this.gatewayAddresses });
  }
}

/**
 * The gateway source ranges derived from the peers' egress (each address as a /32), or nothing unless
 * `allowPeersOnly` is on and the stack sets no ranges of its own, the gateway is internet-facing, the cluster has
 * peers and every peer's egress is known.
 */
function peerSourceRanges(
  cluster: string,
  all: readonly string[],
  args: IstioMeshArgs,
): { gatewaySourceRanges?: pulumi.Output<string[]> } {
  const peers = all.filter((c) => c !== cluster);
  const egress = peers.map((p) => args.egress?.[p]);
  if (
    !args.istio.gateway.allowPeersOnly ||
    args.istio.gateway.sourceRanges.length > 0 ||
    args.istio.gateway.exposure !== "internet-facing" ||
    peers.length === 0 ||
    egress.some((e) => e === undefined)
  ) {
    return {};
  }
  return {
    gatewaySourceRanges: pulumi
      .all(egress as pulumi.Input<string[]>[])
      .apply((lists) => [...new Set(lists.flat())].sort().map((ip) => `${ip}/32`)),
  };
}

function memberNamed(members: ReadonlyMap<string, IstioMeshMember>, name: string): IstioMeshMember {
  const m = members.get(name);
  if (m === undefined) {
    throw new Error(`IstioMesh: no cluster named ${name}`);
  }
  return m;
}

function requireCluster(clusters: Readonly<Record<string, IstioCluster>>, name: string): IstioCluster {
  const c = clusters[name];
  if (c === undefined) {
    throw new Error(`IstioMesh: no IstioCluster for ${name}`);
  }
  return c;
}
