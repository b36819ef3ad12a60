/**
 * Existing clusters (on-premises, kind): reached through the configured kubeconfig; the network step creates nothing
 * (the egress addresses are unknown; the gateway sources are the declared `existing.gatewayAddresses`), the cluster
 * step an ExistingCluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { ExistingCluster } from "./existing-cluster";
import type { CloudModule } from "../index";

export const existing: CloudModule<"existing"> = {
  cloud: "existing",
  // Its gateway sources are declared, as no network of the program's reserves them.
  createNetwork: ({ cluster }) => {
    const declared = cluster.existing?.gatewayAddresses;
    return declared === undefined ? {} : { gatewaySources: declared.map((cidr) => pulumi.output(cidr)) };
  },
  createCluster({ cluster, addresses }, _network, _peers, parent) {
    const built = new ExistingCluster(cluster.name, { spec: cluster, addresses }, { parent });
    return { cluster: built.meshCluster, kubeconfig: pulumi.output(cluster.existing?.kubeconfig ?? "") };
  },
};
