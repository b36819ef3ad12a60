/**
 * The one contract every cluster satisfies, whatever created it (EKS, GKE, or an existing cluster).
 * Mesh and trust components consume only this; they never import a cloud SDK.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses } from "../../plan/addresses-types";
import type { Cloud } from "../../plan/spec";

export interface MeshCluster {
  /** DNS label, unique in the environment: Istio clusterName, Submariner clusterId. */
  readonly name: string;
  readonly cloud: Cloud;
  readonly region: string;
  readonly zones: readonly string[];
  /** Istio network name (topology.istio.io/network). */
  readonly network: string;
  /** The cluster's planned (or declared) address ranges. */
  readonly addresses: ClusterAddresses;
  /** The API server URL as other clusters reach it, e.g. https://ABC.gr7.us-east-1.eks.amazonaws.com. */
  readonly endpoint: pulumi.Output<string>;
  /** The cluster CA bundle, base64-encoded PEM (as in a kubeconfig's certificate-authority-data). */
  readonly caData: pulumi.Output<string>;
  /** The Kubernetes provider for this cluster; every in-cluster resource uses it. */
  readonly provider: k8s.Provider;
  /**
   * Resources that must exist before workloads are scheduled into the cluster (node groups, the AWS Load
   * Balancer Controller). In-cluster components add these to `dependsOn`.
   */
  readonly ready: readonly pulumi.Resource[];
}
