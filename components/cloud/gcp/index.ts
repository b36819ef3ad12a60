/**
 * GCP: per cluster the `<cluster>-gcp` provider (its project and region, the cluster's labels as default labels), a
 * GcpNetwork (with the interconnect's `nodes` and `peers` firewall rules) and a GkeCluster; the egress address is
 * Cloud NAT's reserved address.
 */
import * as gcpSdk from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcpLabels, physicalName } from "../../../plan/names";
import { GkeCluster } from "./gke-cluster";
import { GcpNetwork } from "./gcp-network";
import type { CloudModule } from "../index";

export const gcp: CloudModule<"gcp"> = {
  cloud: "gcp",
  createCluster({ fleet, cluster, addresses, requirements }, parent) {
    const settings = cluster.gcp;
    if (settings === undefined) {
      throw new Error(`Fleet: gcp cluster ${cluster.name} has no gcp settings`);
    }
    const protect = fleet.protect;
    const labels = gcpLabels(fleet, cluster);
    const provider = new gcpSdk.Provider(
      `${cluster.name}-gcp`,
      { project: settings.project, region: cluster.region, defaultLabels: labels },
      { parent },
    );
    const network = new GcpNetwork(
      cluster.name,
      { cluster, addresses, ports: requirements.ports, peerRanges: requirements.peerRanges, labels, protect },
      { parent, provider },
    );
    const gke = new GkeCluster(
      cluster.name,
      {
        spec: cluster,
        addresses,
        network,
        requirements,
        labels,
        protect,
        physicalName: physicalName(fleet.environment, cluster.name),
      },
      { parent, provider },
    );
    return { cluster: gke.meshCluster, kubeconfig: gke.kubeconfig, egress: pulumi.all([...network.natPublicIps]) };
  },
};
