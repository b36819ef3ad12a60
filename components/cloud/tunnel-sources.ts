/**
 * Where a cluster's tunnel peers connect from: each peer's gateway sources (its reserved gateway addresses as /32s),
 * as the clouds' firewall rules take them.
 */
import type * as pulumi from "@pulumi/pulumi";

/** One address as the source range that admits it alone: `a.b.c.d/32`. */
export function hostRange(address: pulumi.Output<string>): pulumi.Output<string> {
  return address.apply((a) => `${a}/32`);
}

/** The tunnel peers the fleet handed no gateway sources for (a wiring problem: each must have some). */
export function peersWithoutSources(
  tunnelPeers: readonly string[],
  sources: Readonly<Record<string, readonly pulumi.Output<string>[]>>,
): string[] {
  return tunnelPeers.filter((p) => (sources[p]?.length ?? 0) === 0);
}
