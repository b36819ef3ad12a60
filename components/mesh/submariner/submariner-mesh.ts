/**
 * Submariner over the whole fleet: one broker, and every cluster joined to it, so that pods and services of every
 * cluster reach each other through IPsec tunnels between gateway nodes, and exported services resolve as
 * `<service>.<namespace>.svc.clusterset.local` everywhere.
 *
 * Children, by role:
 * - `broker` (SubmarinerBroker): the broker in the planned broker cluster, and its client token;
 * - `psk`: the IPsec pre-shared key all gateways share (64 random letters and digits, secret);
 * - `join-<cluster>` (SubmarinerJoin), one per joined cluster, keyed by cluster name: the operator with the cluster's
 *   clusterId and planned ranges, pointed at the broker (plus, on GKE, kube-dns's stub domain for clusterset.local).
 *
 * Consumes only the cluster contract (MeshCluster); gateway nodes and the firewall rules for Submariner's ports belong
 * to the cluster and network components.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SubmarinerSpec } from "../../../plan/spec";
import type { SubmarinerTopology } from "../../../plan/interconnect/submariner/topology";
import type { MeshCluster } from "../../cluster/contract";
import { SubmarinerBroker } from "./broker";
import { SubmarinerJoin } from "./submariner-join";

export const SUBMARINER_MESH_TYPE = "multicluster-mesh:mesh/submariner:SubmarinerMesh";

/** Length of the IPsec PSK (subctl generates 48 random bytes, 64 characters in base64). */
export const PSK_LENGTH = 64;

export interface SubmarinerMeshArgs {
  /** Every cluster of the environment, each with its Kubernetes provider; the topology names which of them join. */
  readonly clusters: readonly MeshCluster[];
  /** Chart repository and version, cable driver, NAT and Globalnet, as configured. */
  readonly spec: SubmarinerSpec;
  /** The planned topology (plan/submariner-topology.ts): the broker cluster and every member's id and ranges. */
  readonly topology: SubmarinerTopology;
}

export class SubmarinerMesh extends pulumi.ComponentResource {
  /** The name of the cluster hosting the broker. */
  public readonly brokerCluster: string;
  /** Advisory: the broker shares a cluster with workloads (see `dedicatedBrokerCluster`). */
  public readonly brokerInWorkloadCluster: boolean;
  /** Each joined cluster's Submariner clusterId, keyed by cluster name. */
  public readonly clusterIds: Readonly<Record<string, string>>;

  constructor(name: string, args: SubmarinerMeshArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything, so that wrong wiring leaves no half-built component behind.
    const byName = checkArgs(name, args);
    super(SUBMARINER_MESH_TYPE, name, {}, opts);
    const { spec, topology } = args;
    const brokerHost = byName.get(topology.brokerCluster) as MeshCluster;

    const broker = new SubmarinerBroker(
      `${name}-broker`,
      { cluster: brokerHost, chartRepository: spec.chartRepository, version: spec.version },
      { parent: this },
    );

    const psk = new random.RandomPassword(
      `${name}-psk`,
      // At least one upper- and one lower-case letter: the chart writes the PSK unquoted into YAML, never as a number.
      { length: PSK_LENGTH, special: false, minUpper: 1, minLower: 1 },
      { parent: this, additionalSecretOutputs: ["result"] },
    );

    const clusterIds: Record<string, string> = {};
    for (const member of topology.members) {
      const join = new SubmarinerJoin(
        `${name}-join-${member.cluster}`,
        {
          cluster: byName.get(member.cluster) as MeshCluster,
          member,
          spec,
          broker: {
            server: broker.server,
            token: broker.token,
            ca: broker.ca,
            namespace: broker.namespace,
            dependsOn: broker.readyResources,
          },
          psk: psk.result,
        },
        { parent: this },
      );
      clusterIds[member.cluster] = join.clusterId;
    }

    this.brokerCluster = topology.brokerCluster;
    this.brokerInWorkloadCluster = topology.brokerInWorkloadCluster;
    this.clusterIds = clusterIds;
    this.registerOutputs({ brokerCluster: this.brokerCluster, clusterIds: this.clusterIds });
  }
}

/**
 * The topology must describe exactly these clusters: the broker cluster and every member are among them, and each
 * member's ranges are the cluster's own. Throws one error listing every mismatch; returns the clusters by name.
 */
function checkArgs(name: string, args: SubmarinerMeshArgs): Map<string, MeshCluster> {
  const { clusters, topology } = args;
  const byName = new Map(clusters.map((c) => [c.name, c] as const));
  const problems: string[] = [];
  if (byName.size !== clusters.length) {
    problems.push(`cluster names repeat: ${clusters.map((c) => c.name).join(", ")}`);
  }
  if (topology.globalnet !== args.spec.globalnet) {
    problems.push(
      `the topology was planned with globalnet ${topology.globalnet}, the spec says ${args.spec.globalnet}`,
    );
  }
  if (!byName.has(topology.brokerCluster)) {
    problems.push(`the broker cluster ${topology.brokerCluster} is not among the clusters given`);
  }
  for (const member of topology.members) {
    const cluster = byName.get(member.cluster);
    if (cluster === undefined) {
      problems.push(`member ${member.cluster} is not among the clusters given`);
    } else if (cluster.addresses.pods !== member.clusterCidr || cluster.addresses.services !== member.serviceCidr) {
      problems.push(
        `member ${member.cluster} was planned with pods ${member.clusterCidr} and services ${member.serviceCidr}, ` +
          `but the cluster has ${cluster.addresses.pods} and ${cluster.addresses.services}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `SubmarinerMesh ${name}: the topology does not match the clusters and spec:\n  ${problems.join("\n  ")}`,
    );
  }
  return byName;
}
