/**
 * Invariants of the address plan over random fleets: random address spaces, slots, clouds, zone subsets and orders.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClusterAddresses } from "../../plan/addresses-types";
import { checkAddresses, planAddresses, SLOT_PREFIX } from "../../plan/addresses";
import { IPv4CidrRange, IPv4Prefix, Validator } from "ip-num";
import { type ClusterInput, type FleetSpec, parseFleetSpec } from "../../plan/spec";

const SPACES = [
  { space: "10.0.0.0/8", slots: 256 },
  { space: "172.16.0.0/12", slots: 16 },
  { space: "10.64.0.0/10", slots: 64 },
] as const;

const LETTERS = ["a", "b", "c", "d", "e", "f", "g"];

interface Gen {
  readonly slot: number;
  readonly cloud: "aws" | "gcp" | "existing";
  readonly letters: readonly string[];
}

interface GenFleet {
  readonly space: string;
  readonly slots: number;
  readonly clusters: readonly Gen[];
}

function clusterArb(slots: number): fc.Arbitrary<Gen> {
  return fc.record({
    slot: fc.integer({ min: 0, max: slots - 1 }),
    cloud: fc.constantFrom("aws" as const, "gcp" as const, "existing" as const),
    letters: fc.shuffledSubarray(LETTERS, { minLength: 2 }),
  });
}

const fleetArb: fc.Arbitrary<GenFleet> = fc
  .constantFrom(...SPACES)
  .chain(({ space, slots }) =>
    fc
      .uniqueArray(clusterArb(slots), { selector: (c) => c.slot, minLength: 1, maxLength: Math.min(12, slots) })
      .map((clusters) => ({ space, slots, clusters })),
  );

// The oracle is ip-num itself, not the planner's helpers (plan/cidr.ts), so a bug there cannot hide here.
const range = (text: string): IPv4CidrRange => IPv4CidrRange.fromCidr(text);
const overlaps = (a: string, b: string): boolean => range(a).isOverlapping(range(b));
const isInside = (inner: string, outer: string): boolean => range(inner).inside(range(outer));
const aligned = (text: string): boolean => Validator.isValidIPv4CidrRange(text)[0];
const split = (parent: string, prefix: number): string[] =>
  range(parent)
    .splitInto(IPv4Prefix.fromNumber(BigInt(prefix)))
    .map((r) => r.toCidrString());

function slotBlock(space: string, slot: number): string {
  return split(space, SLOT_PREFIX)[slot] as string;
}

/** A generated cluster as stack config; existing clusters declare ranges inside their own slot block. */
function toInput(space: string, g: Gen): ClusterInput {
  const name = `c${g.slot}`;
  if (g.cloud === "aws") {
    return { name, cloud: "aws", region: "us-east-1", zones: g.letters.map((l) => `us-east-1${l}`), slot: g.slot };
  }
  if (g.cloud === "gcp") {
    const zones = g.letters.map((l) => `us-central1-${l}`);
    // Any zone letter, to exercise the layout: the table of real zones is beside the point here.
    const gcp = { project: "acme-platform-dev" };
    return { name, cloud: "gcp", region: "us-central1", zones, slot: g.slot, gcp, allowUnlistedRegion: true };
  }
  const block = slotBlock(space, g.slot);
  return {
    name,
    cloud: "existing",
    region: "on-prem",
    zones: ["rack-1"],
    slot: g.slot,
    cidrs: { nodes: split(block, 18)[0], pods: split(block, 18)[1], services: split(block, 18)[2] },
    existing: { kubeconfig: "apiVersion: v1", endpoint: `https://${name}.example.com` },
  };
}

function specOf(space: string, clusters: readonly ClusterInput[], extra: Record<string, unknown> = {}): FleetSpec {
  return parseFleetSpec({ mesh: "istio", addressSpace: space, clusters, ...extra }, "prop");
}

function rangesOf(c: ClusterAddresses): string[] {
  const all = [c.nodes, c.pods, c.services, ...(c.controlPlane === undefined ? [] : [c.controlPlane])];
  return [...new Set(all)];
}

function byCluster(clusters: readonly ClusterAddresses[]): Map<string, ClusterAddresses> {
  return new Map(clusters.map((c) => [c.cluster, c]));
}

describe("address plan invariants", () => {
  it("no range of one cluster overlaps any range of another; a cluster's own ranges are disjoint", () => {
    fc.assert(
      fc.property(fleetArb, (f) => {
        const plan = planAddresses(
          specOf(
            f.space,
            f.clusters.map((g) => toInput(f.space, g)),
          ),
        );
        plan.clusters.forEach((a, i) => {
          const own = rangesOf(a);
          own.forEach((r, k) =>
            own.slice(k + 1).forEach((s) => expect(overlaps(r, s), `${a.cluster}: ${r} vs ${s}`).toBe(false)),
          );
          for (const b of plan.clusters.slice(i + 1)) {
            for (const r of own) {
              for (const s of rangesOf(b)) {
                expect(overlaps(r, s), `${a.cluster} ${r} vs ${b.cluster} ${s}`).toBe(false);
              }
            }
          }
        });
      }),
    );
  });

  it("every range lies inside its parent: slot block inside the space, planned ranges in the slot, subnets in the VPC", () => {
    fc.assert(
      fc.property(fleetArb, (f) => {
        const plan = planAddresses(
          specOf(
            f.space,
            f.clusters.map((g) => toInput(f.space, g)),
          ),
        );
        expect(plan.space).toBe(f.space);
        for (const c of plan.clusters) {
          const block = slotBlock(f.space, c.slot);
          expect(isInside(block, f.space)).toBe(true);
          for (const r of [...rangesOf(c), ...c.subnets.map((s) => s.cidr)]) {
            expect(aligned(r), `${c.cluster} ${r} aligned`).toBe(true);
            expect(isInside(r, block), `${c.cluster} ${r} in ${block}`).toBe(true);
          }
          const gen = f.clusters.find((g) => g.slot === c.slot) as Gen;
          if (c.cloud === "aws") {
            expect(c.pods).toBe(c.nodes);
            expect(c.subnets.map((s) => `${s.zone}/${s.tier}`)).toEqual(
              gen.letters.flatMap((l) => [`us-east-1${l}/private`, `us-east-1${l}/public`]),
            );
            c.subnets.forEach((s, k) => {
              expect(isInside(s.cidr, c.nodes)).toBe(true);
              c.subnets.slice(k + 1).forEach((t) => expect(overlaps(s.cidr, t.cidr)).toBe(false));
            });
          } else {
            expect(c.subnets).toEqual([]);
          }
          expect(c.controlPlane !== undefined).toBe(c.cloud === "gcp");
        }
      }),
    );
  });

  it("adding, removing or reordering clusters leaves every other cluster's ranges unchanged", () => {
    const arb = fleetArb.chain((f) =>
      fc.record({
        f: fc.constant(f),
        kept: fc.shuffledSubarray([...f.clusters], { minLength: 0 }),
        added: fc.uniqueArray(clusterArb(f.slots), { selector: (c) => c.slot, maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ f, kept, added }) => {
        // New clusters take slots (and so names) no cluster of the original fleet ever had.
        const taken = new Set(f.clusters.map((g) => g.slot));
        const fresh = added.filter((g) => !taken.has(g.slot));
        fc.pre(kept.length + fresh.length > 0);
        const before = byCluster(
          planAddresses(
            specOf(
              f.space,
              f.clusters.map((g) => toInput(f.space, g)),
            ),
          ).clusters,
        );
        const after = planAddresses(
          specOf(
            f.space,
            [...kept, ...fresh].map((g) => toInput(f.space, g)),
          ),
        ).clusters;
        for (const c of after) {
          const old = before.get(c.cluster);
          if (old !== undefined) {
            expect(c).toEqual(old);
          }
        }
      }),
    );
  });

  it("adding, removing or reordering zones never moves another zone's subnets", () => {
    const arb = fc.record({
      slot: fc.integer({ min: 0, max: 255 }),
      a: fc.shuffledSubarray(LETTERS, { minLength: 2 }),
      b: fc.shuffledSubarray(LETTERS, { minLength: 2 }),
    });
    fc.assert(
      fc.property(arb, ({ slot, a, b }) => {
        const plan = (letters: readonly string[]): ClusterAddresses =>
          planAddresses(specOf("10.0.0.0/8", [toInput("10.0.0.0/8", { slot, cloud: "aws", letters })]))
            .clusters[0] as ClusterAddresses;
        const key = (c: ClusterAddresses): Map<string, string> =>
          new Map(c.subnets.map((s) => [`${s.zone}/${s.tier}`, s.cidr]));
        const [pa, pb] = [key(plan(a)), key(plan(b))];
        for (const [k, v] of pa) {
          if (pb.has(k)) {
            expect(pb.get(k)).toBe(v);
          }
        }
      }),
    );
  });

  it("honours an override outside the space that collides with nothing", () => {
    const arb = fleetArb.chain((f) =>
      fc.record({ f: fc.constant(f), pick: fc.nat({ max: f.clusters.length - 1 }), index: fc.nat({ max: 15 }) }),
    );
    fc.assert(
      fc.property(arb, ({ f, pick, index }) => {
        const target = f.clusters[pick] as Gen;
        fc.pre(target.cloud !== "existing");
        const override = split("192.168.0.0/16", 20)[index] as string;
        const inputs = f.clusters.map((g) =>
          g === target ? { ...toInput(f.space, g), cidrs: { services: override } } : toInput(f.space, g),
        );
        const plan = planAddresses(specOf(f.space, inputs));
        expect(plan.clusters[pick]?.services).toBe(override);
      }),
    );
  });

  it("rejects two overrides that collide, naming both clusters and both ranges, on the newer (higher slot) one", () => {
    const arb = fleetArb
      .filter((f) => f.clusters.length >= 2)
      .chain((f) =>
        fc.record({
          f: fc.constant(f),
          picks: fc.uniqueArray(fc.nat({ max: f.clusters.length - 1 }), { minLength: 2, maxLength: 2 }),
        }),
      );
    fc.assert(
      fc.property(arb, ({ f, picks }) => {
        const [i, j] = [...picks].sort((x, y) => x - y) as [number, number];
        fc.pre(f.clusters[i]?.cloud !== "existing" && f.clusters[j]?.cloud !== "existing");
        const [wide, narrow] = ["192.168.0.0/20", "192.168.8.0/21"];
        const inputs = f.clusters.map((g, k) => {
          const input = toInput(f.space, g);
          return k === i
            ? { ...input, cidrs: { services: wide } }
            : k === j
              ? { ...input, cidrs: { services: narrow } }
              : input;
        });
        const spec = specOf(f.space, inputs);
        // Reported on the newer cluster: the higher slot.
        const [older, newer] = (f.clusters[i]?.slot ?? 0) < (f.clusters[j]?.slot ?? 0) ? [i, j] : [j, i];
        const [mine, theirs] = [spec.clusters[newer], spec.clusters[older]];
        const [myRange, theirRange] = newer === j ? [narrow, wide] : [wide, narrow];
        expect(checkAddresses(spec)).toEqual([
          {
            path: `clusters[${newer}].cidrs.services`,
            message:
              `the services range ${myRange} of cluster ${mine?.name} overlaps the services range ${theirRange} of cluster ${theirs?.name} (clusters[${older}]); ` +
              `${mine?.name} has the higher slot (${mine?.slot} > ${theirs?.slot}), so it is the newer cluster to change and ${theirs?.name} stays as it is`,
            fix: `choose a services range that overlaps no other cluster, or remove clusters[${newer}].cidrs.services to use the range planned from slot ${mine?.slot}`,
            value: myRange,
          },
        ]);
        expect(() => planAddresses(spec)).toThrow(
          `of cluster ${mine?.name} overlaps the services range ${theirRange} of cluster ${theirs?.name}`,
        );
      }),
    );
  });
});
