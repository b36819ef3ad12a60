/**
 * Existing clusters (on-premises, kind): reached through the configured kubeconfig; no network is created and the
 * egress addresses are unknown.
 */
import * as pulumi from "@pulumi/pulumi";
import { ExistingCluster } from "./existing-cluster";
import type { CloudModule } from "../index";

export const existing: CloudModule<"existing"> = {
  cloud: "existing",
  createCluster({ cluster, addresses }, parent) {
    const built = new ExistingCluster(cluster.name, { spec: cluster, addresses }, { parent });
    return { cluster: built.meshCluster, kubeconfig: pulumi.output(cluster.existing?.kubeconfig ?? "") };
  },
};
