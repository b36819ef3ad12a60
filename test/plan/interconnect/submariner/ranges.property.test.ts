/**
 * Over random Submariner fleets (AWS, GCP and existing clusters, random slots, zones and order, with and without
 * Globalnet): every member's cluster CIDR lies apart from every node range and node subnet of the fleet, and every
 * cluster admits exactly its peers' pod and service ranges (their global ranges with Globalnet), nothing wider.
 */
import fc from "fast-check";
import { IPv4CidrRange } from "ip-num";
import { describe, expect, it } from "vitest";
import { planFleet } from "../../../../plan";
import { type ClusterInput, parseFleetSpec } from "../../../../plan/spec";

const LETTERS = ["a", "b", "c", "d", "e", "f", "g"];

interface Gen {
  readonly slot: number;
  readonly cloud: "aws" | "gcp" | "existing";
  readonly letters: readonly string[];
}

const genArb: fc.Arbitrary<Gen> = fc.record({
  slot: fc.integer({ min: 0, max: 255 }),
  cloud: fc.constantFrom("aws" as const, "gcp" as const, "existing" as const),
  letters: fc.shuffledSubarray(LETTERS, { minLength: 2 }),
});

const fleetArb = fc.record({
  clusters: fc.uniqueArray(genArb, { selector: (g) => g.slot, minLength: 2, maxLength: 8 }),
  globalnet: fc.boolean(),
});

// ip-num is the oracle, not the planner's own helpers.
const overlaps = (a: string, b: string): boolean => IPv4CidrRange.fromCidr(a).isOverlapping(IPv4CidrRange.fromCidr(b));
const inside = (a: string, b: string): boolean => IPv4CidrRange.fromCidr(a).inside(IPv4CidrRange.fromCidr(b));

function toInput(g: Gen): ClusterInput {
  const name = `c${g.slot}`;
  if (g.cloud === "aws") {
    // Up to 8 members need more security-group rules than EC2's default quota: the quota of an account that raised it.
    return {
      name,
      cloud: "aws",
      region: "us-east-1",
      zones: g.letters.map((l) => `us-east-1${l}`),
      slot: g.slot,
      aws: { securityGroupRulesQuota: 1000 },
    };
  }
  if (g.cloud === "gcp") {
    const zones = g.letters.map((l) => `us-central1-${l}`);
    // Zone letters are random here (the property is about ranges), so the zone table is not consulted.
    return {
      name,
      cloud: "gcp",
      region: "us-central1",
      zones,
      slot: g.slot,
      allowUnlistedRegion: true,
      gcp: { project: "acme-platform-dev" },
    };
  }
  return {
    name,
    cloud: "existing",
    region: "on-prem",
    zones: ["rack-1"],
    slot: g.slot,
    cidrs: { nodes: `10.${g.slot}.0.0/18`, pods: `10.${g.slot}.64.0/18`, services: `10.${g.slot}.128.0/18` },
    existing: {
      kubeconfig: "apiVersion: v1",
      endpoint: `https://${name}.example.com`,
      gatewayAddresses: [`203.0.113.${g.slot}/32`],
    },
  };
}

function planOf(f: { clusters: readonly Gen[]; globalnet: boolean }) {
  return planFleet(
    parseFleetSpec(
      { mesh: "submariner", submariner: { globalnet: f.globalnet }, clusters: f.clusters.map(toInput) },
      "prop",
    ),
  );
}

describe("Submariner ranges over random fleets", () => {
  it("every member's cluster CIDR is disjoint from every node range and node subnet in the fleet", () => {
    fc.assert(
      fc.property(fleetArb, (f) => {
        const plan = planOf(f);
        const nodeRanges = plan.addresses.clusters.flatMap((c) => [
          c.nodes,
          ...c.subnets.filter((s) => s.tier !== "pods").map((s) => s.cidr),
        ]);
        const { members } = plan.interconnect.kind === "submariner" ? plan.interconnect.topology : { members: [] };
        expect(members.map((m) => m.cluster).sort()).toEqual(plan.clusters.map((c) => c.name).sort());
        for (const m of members) {
          for (const n of nodeRanges) {
            expect(overlaps(m.clusterCidr, n), `${m.cluster} pods ${m.clusterCidr} vs nodes ${n}`).toBe(false);
          }
        }
        for (const c of plan.addresses.clusters.filter((a) => a.cloud === "aws")) {
          const pods = c.subnets.filter((s) => s.tier === "pods");
          expect(pods.map((s) => s.zone)).toEqual(plan.clusters.find((p) => p.name === c.cluster)?.zones);
          pods.forEach((s, i) => {
            expect(inside(s.cidr, c.pods), `${s.cidr} in ${c.pods}`).toBe(true);
            pods.slice(i + 1).forEach((t) => expect(overlaps(s.cidr, t.cidr)).toBe(false));
          });
        }
      }),
    );
  });

  it("every cluster admits exactly each peer's pod and service ranges (global ranges with Globalnet), nothing wider", () => {
    fc.assert(
      fc.property(fleetArb, (f) => {
        const plan = planOf(f);
        for (const self of plan.addresses.clusters) {
          const admitted = plan.requirements[self.cluster]?.peerRanges ?? [];
          const peers = plan.addresses.clusters.filter((c) => c.cluster !== self.cluster);
          const expected = peers.flatMap((p) =>
            f.globalnet
              ? [`${p.cluster}/global/242.${p.slot}.0.0/16`]
              : [`${p.cluster}/pods/${p.pods}`, `${p.cluster}/services/${p.services}`],
          );
          expect(admitted.map((r) => `${r.cluster}/${r.role}/${r.cidr}`).sort()).toEqual(expected.sort());
          // Nothing wider: no admitted range reaches into the cluster's own ranges.
          for (const r of admitted) {
            for (const own of [self.nodes, self.pods, self.services]) {
              expect(overlaps(r.cidr, own), `${self.cluster} admits ${r.cidr}, over its own ${own}`).toBe(false);
            }
          }
        }
      }),
    );
  });
});
