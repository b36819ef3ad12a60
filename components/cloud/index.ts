/**
 * The clouds a cluster can live on, behind one interface, and their registry. A cloud module creates one cluster's
 * provider, network and cluster (in the per-cloud components of network/ and cluster/) and hands back the cluster
 * contract (cluster/contract.ts), a kubeconfig and the cluster's egress addresses. Adding one: see ARCHITECTURE.md.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses } from "../../plan/addresses-types";
import type { ClusterRequirements } from "../../plan/interconnect";
import type { Cloud, ClusterSpec, FleetSpec } from "../../plan/spec";
import type { MeshCluster } from "../cluster/contract";
import { aws } from "./aws";
import { existing } from "./existing";
import { gcp } from "./gcp";

/** What a cloud module gets for one cluster. */
export interface CloudClusterArgs {
  /** The fleet as configured: environment, tags, protect. */
  readonly fleet: FleetSpec;
  /** The cluster as configured. */
  readonly cluster: ClusterSpec;
  /** The cluster's planned ranges. */
  readonly addresses: ClusterAddresses;
  /** What the interconnect requires of the cluster and its network (the plan's `requirements[cluster]`). */
  readonly requirements: ClusterRequirements;
}

/** One cluster as a cloud module built it. */
export interface BuiltCluster {
  readonly cluster: MeshCluster;
  /** A kubeconfig for platform engineers (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** The public NAT addresses the cluster's outbound traffic leaves from; absent where unknown. */
  readonly egress?: pulumi.Output<string[]>;
}

export interface CloudModule<C extends Cloud> {
  readonly cloud: C;
  /**
   * The cloud provider, network and cluster of one cluster, as children of `parent`. Protection goes to what holds
   * state (the VPC or network and the cluster) inside each component, never to a whole component.
   */
  createCluster(args: CloudClusterArgs, parent: pulumi.Resource): BuiltCluster;
}

/** The registry: one entry per cloud, so a new cloud does not compile until its module is listed here. */
export const CLOUD_MODULES: { readonly [C in Cloud]: CloudModule<C> } = { aws, gcp, existing };
