/**
 * Mesh members for the Istio component tests: per cluster a MeshCluster (meshClusterFixture), a readiness resource,
 * and the trust outputs ClusterTrust would give (istio-system Namespace labelled with the network, cacerts Secret).
 * Call inside a mock run.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { MeshCluster } from "../../../../components/cluster/contract";
import type { IstioMeshMember } from "../../../../components/mesh/istio/istio-mesh";
import { type IstioTopology, planIstioTopology } from "../../../../plan/interconnect/istio/topology";
import { meshClusterFixture } from "../../../support/fixtures";
export interface ClusterShape {
  readonly name: string;
  readonly cloud: "aws" | "gcp" | "existing";
  readonly region?: string;
}

/** A MeshCluster whose `ready` holds one resource (`<name>-ready`, standing in for node groups and the LB controller). */
export function readyCluster(shape: ClusterShape, slot: number): MeshCluster {
  const base = meshClusterFixture(
    shape.name,
    shape.cloud,
    {
      cluster: shape.name,
      cloud: shape.cloud,
      slot,
      nodes: `10.${slot}.0.0/16`,
      pods: `10.${slot}.0.0/16`,
      services: `10.${100 + slot}.0.0/16`,
      subnets: [],
    },
    shape.region,
  );
  const ready = new k8s.core.v1.ConfigMap(
    `${shape.name}-ready`,
    { metadata: { name: "ready", namespace: "kube-system" } },
    { provider: base.provider },
  );
  return { ...base, ready: [ready] };
}

/** The member for one cluster: its istio-system Namespace (`<name>-istio-system`) and cacerts Secret (`<name>-cacerts`). */
export function member(cluster: MeshCluster): IstioMeshMember {
  const namespace = new k8s.core.v1.Namespace(
    `${cluster.name}-istio-system`,
    { metadata: { name: "istio-system", labels: { "topology.istio.io/network": cluster.network } } },
    { provider: cluster.provider },
  );
  const cacerts = new k8s.core.v1.Secret(
    `${cluster.name}-cacerts`,
    {
      metadata: { name: "cacerts", namespace: namespace.metadata.name },
      stringData: { "ca-cert.pem": pulumi.secret("pem") },
    },
    { provider: cluster.provider, dependsOn: [namespace] },
  );
  return { cluster, namespace, cacerts };
}

export function members(shapes: readonly ClusterShape[]): IstioMeshMember[] {
  return shapes.map((s, i) => member(readyCluster(s, i)));
}

/** The topology the plan would give these members (as the plan's `interconnect.topology`). */
export function topologyOf(meshId: string, of: readonly IstioMeshMember[]): IstioTopology {
  return planIstioTopology(
    meshId,
    of.map((m) => ({ name: m.cluster.name, cloud: m.cluster.cloud, network: m.cluster.network })),
  );
}

/** `type::name` of a URN (the resource's own type, without its parents'), for readable assertions. */
export function short(urn: string): string {
  const [, , qualifiedType = "", name = ""] = urn.split("::");
  return `${qualifiedType.split("$").pop() ?? ""}::${name}`;
}

/** An object's body without apiVersion and kind (the upstream models set those themselves). */
export function withoutTypeMeta(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([k]) => k !== "apiVersion" && k !== "kind"));
}
