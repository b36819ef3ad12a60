/**
 * The interconnects' components, one entry per mesh kind: each builds its mesh from its slice of the plan
 * (plan/interconnect) over the clusters' shared contract. The switch is exhaustive, so a new kind does not compile
 * until it is listed here.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../../plan";
import type { InterconnectPlan } from "../../plan/interconnect";
import type { MeshCluster } from "../cluster/contract";
import { IstioMesh } from "./istio/istio-mesh";
import type { NamespaceInput } from "./istio/namespace";
import { SubmarinerMesh } from "./submariner/submariner-mesh";

/** One cluster of the fleet as an interconnect sees it. */
export interface MeshMember {
  readonly cluster: MeshCluster;
  /** istio-system: ClusterTrust's Namespace, when the cluster holds a workload CA. */
  readonly namespace?: NamespaceInput;
  /** ClusterTrust's `cacerts` Secret, when the cluster holds a workload CA. */
  readonly cacerts?: pulumi.Resource;
  /** The public addresses the cluster's outbound traffic leaves from, where known. */
  readonly egress?: pulumi.Output<string[]>;
}

/** What the fleet's stack outputs need from the mesh. */
export interface BuiltMesh {
  /** The east-west gateway address per cluster (Istio), else empty. */
  readonly gatewayAddresses: Readonly<Record<string, pulumi.Output<string>>>;
  /** The cluster that hosts a broker (Submariner), if any. */
  readonly brokerCluster?: string;
}

/** Creates the mesh `name` of the planned interconnect over `members` (in the stack file's order). */
export function createMesh(
  name: string,
  plan: FleetPlan,
  members: readonly MeshMember[],
  parent: pulumi.Resource,
): BuiltMesh {
  const interconnect: InterconnectPlan = plan.interconnect;
  switch (interconnect.kind) {
    case "istio": {
      const mesh = new IstioMesh(
        name,
        {
          clusters: members.map((m) => {
            if (m.namespace === undefined || m.cacerts === undefined) {
              throw new Error(`Istio needs the workload CA (istio-system, cacerts) in cluster ${m.cluster.name}`);
            }
            return { cluster: m.cluster, namespace: m.namespace, cacerts: m.cacerts };
          }),
          topology: interconnect.topology,
          istio: interconnect.settings,
          multiRoot: plan.trust.istio.multiRoot,
          egress: Object.fromEntries(
            members.flatMap((m) => (m.egress === undefined ? [] : [[m.cluster.name, m.egress]])),
          ),
        },
        { parent },
      );
      return { gatewayAddresses: mesh.gatewayAddresses };
    }
    case "submariner": {
      const mesh = new SubmarinerMesh(
        name,
        {
          clusters: members.map((m) => m.cluster),
          spec: interconnect.settings,
          topology: interconnect.topology,
        },
        { parent },
      );
      return { gatewayAddresses: {}, brokerCluster: mesh.brokerCluster };
    }
    default: {
      const unknown: never = interconnect;
      throw new Error(`no components for interconnect ${JSON.stringify(unknown)}`);
    }
  }
}
