/**
 * The GKE cluster's own firewall rules (children of the GkeCluster): what the private control plane calls on the nodes,
 * and the tunnel ports from each tunnel peer's gateway addresses.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { combineSources } from "../tunnel-sources";
import type { PortRule } from "../../../plan/interconnect";
import type { GkeClusterArgs } from "./gke-cluster";

/**
 * The control-plane → nodes firewall rules GKE needs for the interconnect, one per port the control plane calls,
 * targeting the node account.
 */
export function createControlPlaneRules(
  parent: pulumi.Resource,
  name: string,
  args: GkeClusterArgs,
  at: { project: string; controlPlane: string; nodeAccount: pulumi.Output<string> },
): gcp.compute.Firewall[] {
  const rules = args.requirements.ports.filter((p) => p.from === "control-plane" && p.calledByControlPlane === true);
  return rules.map(
    (rule: PortRule) =>
      new gcp.compute.Firewall(
        `${name}-control-plane-${rule.key}`,
        {
          project: at.project,
          network: args.network.networkSelfLink,
          description: `${args.spec.name}: ${rule.description} (from the private control plane)`,
          direction: "INGRESS",
          sourceRanges: [at.controlPlane],
          targetServiceAccounts: [at.nodeAccount],
          allows: [{ protocol: rule.protocol, ...(rule.port !== undefined ? { ports: [String(rule.port)] } : {}) }],
        },
        { parent },
      ),
  );
}

/** The network tag of a GKE cluster's gateway nodes (the tunnel rules' target): `<physicalName>-gateway`. */
export function gatewayNetworkTag(physicalName: string): string {
  return `${physicalName}-gateway`;
}

/**
 * The tunnel ports (the `peers` ports but AH, which the network admits from private blocks only) from the tunnel peers'
 * gateway sources alone, on the gateway nodes (`targetTag`) only: one rule, `tunnel-peers`, whose source list holds
 * every peer's addresses (peers by name, each pool in order), so a peer joining or leaving edits the list in place and
 * the project's firewall-rule quota pays one rule per cluster, not one per peer.
 */
export function createTunnelRules(
  parent: pulumi.Resource,
  name: string,
  args: GkeClusterArgs,
  at: { project: string; targetTag: string },
): void {
  const ports = args.requirements.ports.filter((p) => p.from === "peers" && p.protocol !== "ah");
  const peers = args.requirements.tunnelPeers;
  if (ports.length === 0 || (args.requirements.gatewayNodes?.count ?? 0) === 0 || peers.length === 0) {
    return;
  }
  const protocols = [...new Set(ports.map((p) => p.protocol))];
  const allows = protocols.map((protocol) => {
    const numbers = ports.filter((p) => p.protocol === protocol && p.port !== undefined).map((p) => String(p.port));
    return { protocol, ...(numbers.length > 0 ? { ports: numbers } : {}) };
  });
  new gcp.compute.Firewall(
    `${name}-tunnel-peers`,
    {
      project: at.project,
      network: args.network.networkSelfLink,
      direction: "INGRESS",
      targetTags: [at.targetTag],
      description: `${args.spec.name}: ${ports.map((p) => p.description).join(", ")} from the gateways of its peers`,
      sourceRanges: (args.peerGatewaySourceLists ?? combineSources(args.peerGatewaySources ?? {})).apply((lists) =>
        peers.flatMap((peer) => [...(lists[peer] ?? [])]),
      ),
      allows,
    },
    { parent },
  );
}
