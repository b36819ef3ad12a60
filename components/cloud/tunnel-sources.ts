/**
 * Where a cluster's tunnel peers connect from: each peer's gateway sources (its reserved gateway addresses as /32s),
 * as the clouds' firewall rules take them.
 */
import * as pulumi from "@pulumi/pulumi";

/** One address as the source range that admits it alone: `a.b.c.d/32`. */
export function hostRange(address: pulumi.Output<string>): pulumi.Output<string> {
  return address.apply((a) => `${a}/32`);
}

/** Every cluster's gateway sources as one Output: what a rule admitting many peers' addresses reads with one apply. */
export type SourceLists = pulumi.Output<Readonly<Record<string, readonly string[]>>>;

/**
 * The sources of every cluster, combined once. A rule that listed each peer's addresses as Outputs of its own would
 * make the program hold one Output per address per cluster, N² of them in a fleet of N (a 256-cluster fleet ran out of
 * memory that way); combined once, each rule costs one `apply`.
 */
export function combineSources(sources: Readonly<Record<string, readonly pulumi.Output<string>[]>>): SourceLists {
  return pulumi.all(Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, pulumi.all([...v])])));
}

/** The tunnel peers the fleet handed no gateway sources for (a wiring problem: each must have some). */
export function peersWithoutSources(
  tunnelPeers: readonly string[],
  sources: Readonly<Record<string, readonly pulumi.Output<string>[]>>,
): string[] {
  return tunnelPeers.filter((p) => (sources[p]?.length ?? 0) === 0);
}
