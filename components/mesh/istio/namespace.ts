/**
 * The istio-system namespace as the Istio components receive it: the Namespace resource ClusterTrust created (already
 * labelled with the cluster's network), or just its name.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** A Namespace resource (preferred: everything in it then waits for it) or a namespace name. */
export type NamespaceInput = pulumi.Input<string> | k8s.core.v1.Namespace;

export interface ResolvedNamespace {
  /** The namespace name to put in `metadata.namespace`. */
  readonly name: pulumi.Input<string>;
  /** The Namespace resource when one was given, for `dependsOn`. */
  readonly dependsOn: readonly pulumi.Resource[];
}

export function resolveNamespace(namespace: NamespaceInput): ResolvedNamespace {
  if (k8s.core.v1.Namespace.isInstance(namespace)) {
    return { name: namespace.metadata.name, dependsOn: [namespace] };
  }
  return { name: namespace, dependsOn: [] };
}
