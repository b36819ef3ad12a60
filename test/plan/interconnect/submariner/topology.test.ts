import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClusterAddresses } from "../../../../plan/addresses-types";
import { isInside, overlaps } from "../../../../plan/cidr";
import { SpecError } from "../../../../plan/issues";
import { submarinerSchema, type SubmarinerSpec } from "../../../../plan/spec";
import {
  brokerServer,
  checkSubmarinerTopology,
  hostAt,
  lowestSlotCluster,
  planSubmarinerTopology,
  type SubmarinerTopology,
} from "../../../../plan/interconnect/submariner/topology";
import { slotAddresses as addresses } from "../../../support/fixtures";

const AWS0 = addresses("aws-use1", "aws", 0);
const GCP1 = addresses("gcp-usc1", "gcp", 1);
const AWS2 = addresses("aws-euw1", "aws", 2);
const FLEET = [AWS0, GCP1, AWS2];

function spec(raw: Record<string, unknown> = {}): SubmarinerSpec {
  return submarinerSchema.parse(raw);
}

function planError(s: SubmarinerSpec, clusters: readonly ClusterAddresses[]): string {
  try {
    planSubmarinerTopology(s, clusters);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error("expected planSubmarinerTopology to throw");
}

function membersByName(t: SubmarinerTopology): Record<string, unknown> {
  return Object.fromEntries(t.members.map((m) => [m.cluster, m]));
}

describe("planSubmarinerTopology on a three-cluster fleet (AWS, GCP, AWS)", () => {
  const topology = planSubmarinerTopology(spec(), FLEET);

  it("puts the broker in the lowest slot and joins every cluster, with the plan's ranges", () => {
    expect(topology).toEqual({
      brokerCluster: "aws-use1",
      brokerNamespace: "submariner-k8s-broker",
      brokerInWorkloadCluster: true,
      globalnet: false,
      members: [
        {
          cluster: "aws-use1",
          clusterId: "aws-use1",
          cloud: "aws",
          slot: 0,
          clusterCidr: "10.0.0.0/16",
          serviceCidr: "10.1.0.0/20",
        },
        {
          cluster: "gcp-usc1",
          clusterId: "gcp-usc1",
          cloud: "gcp",
          slot: 1,
          clusterCidr: "10.6.0.0/16",
          serviceCidr: "10.5.0.0/20",
          kubeDnsStub: { domain: "clusterset.local", lighthouseDnsIp: "10.5.0.12" },
        },
        {
          cluster: "aws-euw1",
          clusterId: "aws-euw1",
          cloud: "aws",
          slot: 2,
          clusterCidr: "10.8.0.0/16",
          serviceCidr: "10.9.0.0/20",
        },
      ],
    });
  });

  it("gives only GKE clusters a kube-dns stub, at an address inside their service range", () => {
    const stubs = topology.members.filter((m) => m.kubeDnsStub !== undefined);
    expect(stubs.map((m) => m.cluster)).toEqual(["gcp-usc1"]);
    for (const m of stubs) {
      expect(isInside(`${m.kubeDnsStub?.lighthouseDnsIp}/32`, m.serviceCidr)).toBe(true);
    }
  });

  it("honours an explicit broker cluster", () => {
    expect(planSubmarinerTopology(spec({ brokerCluster: "aws-euw1" }), FLEET).brokerCluster).toBe("aws-euw1");
  });

  it("leaves a dedicated broker cluster out of the members and clears the advisory flag", () => {
    const t = planSubmarinerTopology(spec({ brokerCluster: "aws-use1", dedicatedBrokerCluster: true }), FLEET);
    expect(t.brokerCluster).toBe("aws-use1");
    expect(t.brokerInWorkloadCluster).toBe(false);
    expect(t.members.map((m) => m.cluster)).toEqual(["gcp-usc1", "aws-euw1"]);
  });
});

describe("broker placement is stable", () => {
  it("does not move when a cluster is appended or the list is reordered", () => {
    const before = planSubmarinerTopology(spec(), FLEET);
    const appended = planSubmarinerTopology(spec(), [...FLEET, addresses("gcp-euw4", "gcp", 3)]);
    const reordered = planSubmarinerTopology(spec(), [AWS2, GCP1, AWS0]);
    expect(appended.brokerCluster).toBe("aws-use1");
    expect(reordered.brokerCluster).toBe("aws-use1");
    expect(appended.members.slice(0, 3)).toEqual(before.members);
    expect(membersByName(reordered)).toEqual(membersByName(before));
  });

  it("follows the lowest slot, not the first listed cluster", () => {
    expect(lowestSlotCluster([addresses("b", "aws", 7), addresses("a", "gcp", 3), addresses("c", "aws", 5)])).toBe("a");
    expect(lowestSlotCluster([])).toBeUndefined();
  });

  it("property: any order of any clusters gives the same broker and the same members; appending keeps both", () => {
    const fleet = fc
      .uniqueArray(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 8 })
      .chain((slots) =>
        fc.tuple(
          fc.constant(slots.map((slot, i) => addresses(`c${slot}`, i % 2 === 0 ? "aws" : "gcp", slot))),
          fc.shuffledSubarray(slots, { minLength: slots.length, maxLength: slots.length }),
        ),
      );
    fc.assert(
      fc.property(fleet, ([clusters, order]) => {
        const shuffled = order.map((slot) => clusters.find((c) => c.slot === slot) as ClusterAddresses);
        const a = planSubmarinerTopology(spec(), clusters);
        const b = planSubmarinerTopology(spec(), shuffled);
        expect(b.brokerCluster).toBe(a.brokerCluster);
        expect(membersByName(b)).toEqual(membersByName(a));
        const newSlot = Math.max(...clusters.map((c) => c.slot)) + 1;
        const c = planSubmarinerTopology(spec(), [...clusters, addresses(`c${newSlot}`, "gcp", newSlot)]);
        expect(c.brokerCluster).toBe(a.brokerCluster);
        expect(c.members.slice(0, clusters.length)).toEqual(a.members);
      }),
    );
  });
});

describe("Globalnet", () => {
  it("is off by default: no member has a global range", () => {
    const t = planSubmarinerTopology(spec(), FLEET);
    expect(t.globalnet).toBe(false);
    expect(t.members.every((m) => m.globalCidr === undefined)).toBe(true);
  });

  it("when on, gives each cluster the /16 of 242.0.0.0/8 numbered by its slot", () => {
    const t = planSubmarinerTopology(spec({ globalnet: true }), [AWS2, GCP1, AWS0]);
    expect(t.globalnet).toBe(true);
    expect(t.members.map((m) => [m.cluster, m.globalCidr])).toEqual([
      ["aws-euw1", "242.2.0.0/16"],
      ["gcp-usc1", "242.1.0.0/16"],
      ["aws-use1", "242.0.0.0/16"],
    ]);
  });

  it("property: global ranges never overlap and never move when clusters are added", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: 2, maxLength: 10 }), (slots) => {
        const clusters = slots.map((s) => addresses(`c${s}`, "aws", s));
        const t = planSubmarinerTopology(spec({ globalnet: true }), clusters);
        const ranges = t.members.map((m) => m.globalCidr as string);
        ranges.forEach((r, i) => ranges.slice(i + 1).forEach((q) => expect(overlaps(r, q)).toBe(false)));
        const first = planSubmarinerTopology(spec({ globalnet: true }), clusters.slice(0, 1));
        expect(first.members[0]?.globalCidr).toBe(ranges[0]);
      }),
    );
  });
});

describe("problems are reported together, by config path", () => {
  it("an unknown broker cluster", () => {
    expect(planError(spec({ brokerCluster: "nope" }), FLEET)).toBe(
      [
        "invalid stack config: 1 problem",
        '  multicluster-mesh:submariner.brokerCluster: names no cluster of this stack ("nope") — use one of: aws-use1, gcp-usc1, aws-euw1',
      ].join("\n"),
    );
  });

  it("a Globalnet slot beyond 242.0.0.0/8 and a GKE service range too small for the Lighthouse address", () => {
    const tiny = { ...addresses("gcp-tiny", "gcp", 1), services: "10.5.0.0/29" };
    expect(planError(spec({ globalnet: true }), [AWS0, tiny, addresses("aws-far", "aws", 256)])).toBe(
      [
        "invalid stack config: 2 problems",
        "  multicluster-mesh:clusters[1].cidrs.services: too small for the fixed Lighthouse DNS address (offset 12) " +
          '("10.5.0.0/29") — give the cluster a service range of /28 or larger',
        "  multicluster-mesh:clusters[2].slot: Globalnet numbers each cluster's /16 of 242.0.0.0/8 by slot, which holds 256 " +
          "(256) — use a slot below 256, or turn submariner.globalnet off",
      ].join("\n"),
    );
  });

  it("a dedicated broker cluster with nothing to join, and an empty fleet", () => {
    expect(checkSubmarinerTopology(spec({ brokerCluster: "aws-use1", dedicatedBrokerCluster: true }), [AWS0])).toEqual([
      {
        path: "submariner.dedicatedBrokerCluster",
        message: "the dedicated broker cluster is the only cluster, so nothing would join",
        fix: "add the clusters that should join, or set dedicatedBrokerCluster: false",
        value: true,
      },
    ]);
    expect(checkSubmarinerTopology(spec(), [])).toEqual([
      { path: "clusters", message: "no clusters to join", fix: "list at least one cluster", value: [] },
    ]);
  });
});

describe("brokerServer: host[:port][/path] as Submariner's broker.server wants it", () => {
  it.each([
    ["https://ABCDEF.gr7.us-east-1.eks.amazonaws.com", "ABCDEF.gr7.us-east-1.eks.amazonaws.com"],
    ["https://198.51.100.7", "198.51.100.7"],
    ["https://east-control-plane:6443", "east-control-plane:6443"],
    ["https://east-control-plane:6443/", "east-control-plane:6443"],
    ["HTTPS://rancher.example.com/k8s/clusters/c-m-4x7/", "rancher.example.com/k8s/clusters/c-m-4x7"],
    ["api.example.com:443", "api.example.com:443"],
  ])("%s → %s", (endpoint, server) => {
    expect(brokerServer(endpoint)).toBe(server);
  });

  it.each(["http://api.example.com", "https://", ""])("rejects %j", (endpoint) => {
    expect(() => brokerServer(endpoint)).toThrow(`not an https API server endpoint: ${JSON.stringify(endpoint)}`);
  });
});

describe("hostAt", () => {
  it.each([
    ["10.4.0.0/20", 12, "10.4.0.12"],
    ["172.20.0.0/16", 0, "172.20.0.0"],
    ["10.0.254.0/23", 300, "10.0.255.44"],
  ])("%s + %i → %s", (cidr, offset, ip) => {
    expect(hostAt(cidr, offset)).toBe(ip);
  });

  it("refuses an offset outside the block", () => {
    expect(() => hostAt("10.5.0.0/29", 12)).toThrow("offset 12 is outside 10.5.0.0/29");
  });
});
