/**
 * GCP: per cluster the `<cluster>-gcp` provider (its project and region, the cluster's labels as default labels) and a
 * GcpNetwork with the interconnect's `nodes` firewall rules (the network step; the egress addresses are Cloud NAT's
 * reserved addresses, the gateway sources the gateway nodes' reserved addresses), then a GkeCluster on that network,
 * admitting its tunnel peers' gateway sources (the cluster step).
 */
import * as gcpSdk from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels, physicalName } from "../../../plan/names";
import type { ClusterSpec, GcpClusterSettings } from "../../../plan/spec";
import { GkeCluster } from "./gke-cluster";
import { GcpNetwork } from "./gcp-network";
import type { BuiltNetwork, CloudModule } from "../index";
import { hostRange } from "../tunnel-sources";

/** The network step's result: the provider every resource of the cluster uses, and the network. */
export interface GcpBuiltNetwork extends BuiltNetwork {
  readonly provider: gcpSdk.Provider;
  readonly network: GcpNetwork;
  readonly egress: pulumi.Output<string[]>;
}

function settingsOf(cluster: ClusterSpec): GcpClusterSettings {
  if (cluster.gcp === undefined) {
    throw new Error(`Fleet: gcp cluster ${cluster.name} has no gcp settings`);
  }
  return cluster.gcp;
}

export const gcp: CloudModule<"gcp", GcpBuiltNetwork> = {
  cloud: "gcp",
  createNetwork({ fleet, cluster, addresses, requirements }, parent) {
    const settings = settingsOf(cluster);
    const labels = gcpLabels(fleet, cluster);
    const provider = new gcpSdk.Provider(
      `${cluster.name}-gcp`,
      { project: settings.project, region: cluster.region, defaultLabels: labels },
      { parent },
    );
    const network = new GcpNetwork(
      cluster.name,
      {
        cluster,
        addresses,
        ports: requirements.ports,
        peerRanges: requirements.peerRanges,
        labels,
        protect: fleet.protect,
        physicalName: physicalName(fleet.environment, cluster.name),
        gatewayAddressPool: requirements.gatewayNodes?.addressPool ?? 0,
      },
      { parent, provider },
    );
    return {
      provider,
      network,
      egress: pulumi.all([...network.natPublicIps]),
      ...(network.gatewayPublicIps.length > 0 ? { gatewaySources: network.gatewayPublicIps.map(hostRange) } : {}),
    };
  },
  createCluster({ fleet, cluster, addresses, requirements }, { provider, network }, peers, parent) {
    const gke = new GkeCluster(
      cluster.name,
      {
        spec: cluster,
        addresses,
        network,
        requirements,
        peerGatewaySources: peers.gatewaySources,
        peerGatewaySourceLists: peers.gatewaySourceLists,
        peerEgress: peers.egress,
        labels: gcpLabels(fleet, cluster),
        protect: fleet.protect,
        physicalName: physicalName(fleet.environment, cluster.name),
      },
      { parent, provider },
    );
    return { cluster: gke.meshCluster, kubeconfig: gke.kubeconfig };
  },
};
