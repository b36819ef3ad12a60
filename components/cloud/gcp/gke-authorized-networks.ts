/**
 * The GKE control plane's authorized networks: the configured ones, then the addresses of every cluster that calls the
 * API server (the interconnect's `apiClients`), each entry named by that cluster, so adding or removing a cluster
 * changes only its own entries of the list, in place.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ApiClient } from "../../../plan/interconnect";

export interface AuthorizedNetwork {
  readonly displayName: string;
  readonly cidrBlock: string;
}

/** What the clusters' networks hand over, by cluster name. */
export interface CallerAddresses {
  readonly egress: Readonly<Record<string, pulumi.Output<string[]>>>;
  /** Gateway nodes' source ranges (a /32 each). */
  readonly gatewaySources: Readonly<Record<string, readonly pulumi.Output<string>[]>>;
}

/**
 * `configured` first, then per client in the given order its egress addresses (`<cluster>-egress-<n>`, /32) and, when
 * it calls from gateway nodes, its gateway sources (`<cluster>-gateway-<n>`).
 */
export function authorizedNetworks(
  configured: readonly { name: string; cidr: string }[],
  clients: readonly ApiClient[],
  addresses: CallerAddresses,
): pulumi.Output<AuthorizedNetwork[]> {
  const own = configured.map((n) => ({ displayName: n.name, cidrBlock: n.cidr }));
  const perClient = clients.map((client) =>
    pulumi
      .all([
        addresses.egress[client.cluster] ?? [],
        client.fromGateways ? pulumi.all([...(addresses.gatewaySources[client.cluster] ?? [])]) : [],
      ])
      .apply(([egress, gateways]): AuthorizedNetwork[] => [
        ...egress.map((a, n) => ({ displayName: `${client.cluster}-egress-${n + 1}`, cidrBlock: `${a}/32` })),
        ...gateways.map((cidr, n) => ({ displayName: `${client.cluster}-gateway-${n + 1}`, cidrBlock: cidr })),
      ]),
  );
  return pulumi.all(perClient).apply((lists) => [...own, ...lists.flat()]);
}
