/**
 * Existing clusters (on-premises, kind): reached through the configured kubeconfig; the network step creates nothing
 * (the egress addresses are unknown), the cluster step an ExistingCluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { ExistingCluster } from "./existing-cluster";
import type { CloudModule } from "../index";

export const existing: CloudModule<"existing"> = {
  cloud: "existing",
  createNetwork: () => ({}),
  createCluster({ cluster, addresses }, _network, parent) {
    const built = new ExistingCluster(cluster.name, { spec: cluster, addresses }, { parent });
    return { cluster: built.meshCluster, kubeconfig: pulumi.output(cluster.existing?.kubeconfig ?? "") };
  },
};
