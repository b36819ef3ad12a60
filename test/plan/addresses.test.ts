import { describe, expect, it } from "vitest";
import { checkAddresses, peerNodeRanges, planAddresses, SLOT_PREFIX } from "../../plan/addresses";
import { type Issue, renderIssue, SpecError } from "../../plan/issues";
import type { ClusterInput, FleetSpec } from "../../plan/spec";
import { clusterInput, fleetSpec, specFrom } from "../support/fixtures";

function spec(clusters: readonly ClusterInput[], extra: Record<string, unknown> = {}): FleetSpec {
  return specFrom({ mesh: "istio", clusters, ...extra });
}

function existing(name: string, slot: number, cidrs: { nodes: string; pods: string; services: string }): ClusterInput {
  return {
    name,
    cloud: "existing",
    region: "on-prem",
    zones: ["rack-1"],
    slot,
    cidrs,
    existing: { kubeconfig: "apiVersion: v1", endpoint: `https://${name}.example.com:6443` },
  };
}

function issue(path: string, message: string, fix: string, value: unknown): Issue {
  return { path, message, fix, value };
}

describe("planAddresses: the layout", () => {
  it("carves each cluster's ranges from its slot's /16 (AWS, GCP) and takes existing clusters' ranges as declared", () => {
    const plan = planAddresses(
      spec([
        clusterInput(0),
        clusterInput(1),
        existing("onprem", 9, { nodes: "192.168.0.0/20", pods: "172.16.0.0/16", services: "172.17.0.0/20" }),
      ]),
    );
    expect(plan).toEqual({
      space: "10.0.0.0/8",
      slotPrefix: SLOT_PREFIX,
      clusters: [
        {
          cluster: "aws-c0",
          cloud: "aws",
          slot: 0,
          nodes: "10.0.0.0/17",
          pods: "10.0.0.0/17",
          services: "10.0.128.0/20",
          subnets: [
            { zone: "us-east-1a", tier: "private", cidr: "10.0.0.0/20" },
            { zone: "us-east-1a", tier: "public", cidr: "10.0.112.0/24" },
            { zone: "us-east-1b", tier: "private", cidr: "10.0.16.0/20" },
            { zone: "us-east-1b", tier: "public", cidr: "10.0.113.0/24" },
            { zone: "us-east-1c", tier: "private", cidr: "10.0.32.0/20" },
            { zone: "us-east-1c", tier: "public", cidr: "10.0.114.0/24" },
          ],
        },
        {
          cluster: "gcp-c1",
          cloud: "gcp",
          slot: 1,
          nodes: "10.1.0.0/20",
          pods: "10.1.128.0/17",
          services: "10.1.16.0/20",
          controlPlane: "10.1.32.0/28",
          subnets: [],
        },
        {
          cluster: "onprem",
          cloud: "existing",
          slot: 9,
          nodes: "192.168.0.0/20",
          pods: "172.16.0.0/16",
          services: "172.17.0.0/20",
          subnets: [],
        },
      ],
    });
  });

  it("keys AWS subnets by zone letter, so zone order and gaps never move a subnet", () => {
    const plan = planAddresses(spec([clusterInput(0, { slot: 7, zones: ["us-east-1f", "us-east-1b"] })]));
    expect(plan.clusters[0]?.subnets).toEqual([
      { zone: "us-east-1f", tier: "private", cidr: "10.7.80.0/20" },
      { zone: "us-east-1f", tier: "public", cidr: "10.7.117.0/24" },
      { zone: "us-east-1b", tier: "private", cidr: "10.7.16.0/20" },
      { zone: "us-east-1b", tier: "public", cidr: "10.7.113.0/24" },
    ]);
  });

  it("counts slots from the first address of any private space", () => {
    const plan = planAddresses(spec([clusterInput(1, { slot: 15 })], { addressSpace: "172.16.0.0/12" }));
    expect(plan.clusters[0]).toMatchObject({
      nodes: "172.31.0.0/20",
      pods: "172.31.128.0/17",
      services: "172.31.16.0/20",
      controlPlane: "172.31.32.0/28",
    });
  });

  it("gives two EKS clusters different explicit service ranges, never EKS's shared defaults", () => {
    const plan = planAddresses(spec([clusterInput(0), clusterInput(2)]));
    const services = plan.clusters.map((c) => c.services);
    expect(services).toEqual(["10.0.128.0/20", "10.2.128.0/20"]);
    expect(services).not.toContain("10.100.0.0/16");
    expect(services).not.toContain("172.20.0.0/16");
  });

  it("honours overrides; an overridden VPC keeps the relative subnet layout", () => {
    const plan = planAddresses(
      spec([
        clusterInput(0, {
          cidrs: { nodes: "10.250.0.0/16", services: "192.168.0.0/20" },
          zones: ["us-east-1a", "us-east-1c"],
        }),
        clusterInput(1, {
          cidrs: {
            nodes: "172.16.0.0/22",
            pods: "172.18.0.0/16",
            services: "172.17.0.0/22",
            controlPlane: "172.19.0.16/28",
          },
        }),
      ]),
    );
    expect(plan.clusters[0]).toEqual({
      cluster: "aws-c0",
      cloud: "aws",
      slot: 0,
      nodes: "10.250.0.0/16",
      pods: "10.250.0.0/16",
      services: "192.168.0.0/20",
      subnets: [
        { zone: "us-east-1a", tier: "private", cidr: "10.250.0.0/19" },
        { zone: "us-east-1a", tier: "public", cidr: "10.250.224.0/23" },
        { zone: "us-east-1c", tier: "private", cidr: "10.250.64.0/19" },
        { zone: "us-east-1c", tier: "public", cidr: "10.250.228.0/23" },
      ],
    });
    expect(plan.clusters[1]).toMatchObject({
      nodes: "172.16.0.0/22",
      pods: "172.18.0.0/16",
      services: "172.17.0.0/22",
      controlPlane: "172.19.0.16/28",
    });
  });

  it("accepts an EKS pods override equal to the VPC", () => {
    const plan = planAddresses(spec([clusterInput(0, { cidrs: { nodes: "10.200.0.0/17", pods: "10.200.0.0/17" } })]));
    expect(plan.clusters[0]?.pods).toBe("10.200.0.0/17");
  });

  it("lists every other cluster's node range as peers", () => {
    const plan = planAddresses(fleetSpec(3));
    expect(peerNodeRanges(plan, "gcp-c1")).toEqual(["10.0.0.0/17", "10.2.0.0/17"]);
  });
});

describe("checkAddresses: the address space and slots", () => {
  it("reports a slot beyond the space with the space's capacity and a free slot", () => {
    expect(checkAddresses(spec([clusterInput(0), clusterInput(1, { slot: 256 })]))).toEqual([
      issue(
        "clusters[1].slot",
        "slot is outside the address space 10.0.0.0/8, which holds 256 slots (0–255)",
        "use a free slot from 0 to 255, e.g. 1",
        256,
      ),
    ]);
  });

  it("says so when the space has no free slot left", () => {
    expect(checkAddresses(spec([clusterInput(0), clusterInput(1)], { addressSpace: "192.168.0.0/16" }))).toEqual([
      issue(
        "clusters[1].slot",
        "slot is outside the address space 192.168.0.0/16, which holds only slot 0",
        "no slot of the space is free: remove a cluster or an override, or use a larger addressSpace starting at the same address",
        1,
      ),
    ]);
  });

  it.each([
    ["10.0.0.1/8", "host bits are set", "write the block as 10.0.0.0/8"],
    [
      "100.64.0.0/10",
      "the address space is not private (RFC 1918)",
      "use a block inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, e.g. 10.0.0.0/8",
    ],
    ["10.0.0.0/17", "the address space is smaller than one slot (/16)", "use a /16 or larger block, e.g. 10.0.0.0/8"],
  ])("rejects the address space %s", (space, message, fix) => {
    expect(checkAddresses(spec([clusterInput(0)], { addressSpace: space }))).toEqual([
      issue("addressSpace", message, fix, space),
    ]);
  });
});

describe("checkAddresses: overrides and sizes", () => {
  it.each([
    [
      { nodes: "10.200.0.0/15" },
      "clusters[0].cidrs.nodes",
      "a VPC must be between /16 and /28",
      "use a /16 to /21 block (the planned VPC is a /17)",
      "10.200.0.0/15",
    ],
    [
      { nodes: "10.200.0.0/24" },
      "clusters[0].cidrs.nodes",
      "the VPC is too small for a private and a public subnet per zone letter a–g (it needs a /21 or larger)",
      "use a /16 to /21 block (the planned VPC is a /17)",
      "10.200.0.0/24",
    ],
    [
      { services: "10.201.0.0/25" },
      "clusters[0].cidrs.services",
      "an EKS service range must be between /12 and /24",
      "use a /12 to /24 block, e.g. a /20",
      "10.201.0.0/25",
    ],
    [
      { services: "10.192.0.0/11" },
      "clusters[0].cidrs.services",
      "an EKS service range must be between /12 and /24",
      "use a /12 to /24 block, e.g. a /20",
      "10.192.0.0/11",
    ],
    [
      { services: "100.64.0.0/16" },
      "clusters[0].cidrs.services",
      "the services range is not private (RFC 1918)",
      "use a range inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, or remove it to use the range planned from slot 0",
      "100.64.0.0/16",
    ],
    [
      { services: "10.0.128.1/20" },
      "clusters[0].cidrs.services",
      "host bits are set",
      "write the block as 10.0.128.0/20",
      "10.0.128.1/20",
    ],
    [
      { services: "10.0.64.0/20" },
      "clusters[0].cidrs.services",
      "the services range 10.0.64.0/20 overlaps the same cluster's nodes range 10.0.0.0/17",
      "give each range of the cluster its own block, or remove clusters[0].cidrs.services to use the range planned from slot 0",
      "10.0.64.0/20",
    ],
    [
      { pods: "10.9.0.0/17" },
      "clusters[0].cidrs.pods",
      "EKS pods take addresses from the VPC (VPC CNI), so the pods range is the VPC range",
      "remove clusters[0].cidrs.pods (set clusters[0].cidrs.nodes to choose the VPC)",
      "10.9.0.0/17",
    ],
    [
      { controlPlane: "10.9.0.0/28" },
      "clusters[0].cidrs.controlPlane",
      "only GKE clusters have a control-plane range",
      "remove clusters[0].cidrs.controlPlane",
      "10.9.0.0/28",
    ],
  ])("EKS %j", (cidrs, path, message, fix, value) => {
    expect(checkAddresses(spec([clusterInput(0, { cidrs })]))).toEqual([issue(path, message, fix, value)]);
  });

  it.each([
    [
      { cidrs: { services: "10.1.16.0/28" } },
      "clusters[0].cidrs.services",
      "a GKE services range must be a /27 or larger",
      "use a /27 or larger block (the planned one is a /20)",
      "10.1.16.0/28",
    ],
    [
      { cidrs: { controlPlane: "10.1.32.0/27" } },
      "clusters[0].cidrs.controlPlane",
      "a GKE control-plane range must be a /28",
      "use a /28 block, or remove it to use the range planned from slot 1",
      "10.1.32.0/27",
    ],
    [
      { cidrs: { nodes: "10.1.0.0/29" } },
      "clusters[0].cidrs.nodes",
      "the nodes range 10.1.0.0/29 holds 4 nodes (GCP reserves 4 addresses), fewer than nodes.maxPerZone × zones = 3 × 3 = 9",
      "set clusters[0].cidrs.nodes to a /28 or larger, or lower clusters[0].nodes.maxPerZone",
      "10.1.0.0/29",
    ],
    [
      { cidrs: { pods: "10.200.0.0/21" } },
      "clusters[0].cidrs.pods",
      "the pods range 10.200.0.0/21 holds 8 nodes with 110 pods each (a /24 per node), fewer than nodes.maxPerZone × zones = 3 × 3 = 9",
      "set clusters[0].cidrs.pods to a /20 or larger, or lower clusters[0].nodes.maxPerZone or nodes.maxPodsPerNode",
      "10.200.0.0/21",
    ],
    [
      // 150 nodes: NAT ports of 256 per node still fit one NAT address (1024, the default, would not).
      { nodes: { maxPerZone: 50 }, gcp: { project: "acme-platform-dev", nat: { minPortsPerVm: 256 } } },
      "clusters[0].nodes.maxPerZone",
      "the pods range 10.1.128.0/17 holds 128 nodes with 110 pods each (a /24 per node), fewer than nodes.maxPerZone × zones = 50 × 3 = 150",
      "set clusters[0].cidrs.pods to a /16 or larger, or lower clusters[0].nodes.maxPerZone or nodes.maxPodsPerNode",
      50,
    ],
    [
      { cidrs: { pods: "10.1.0.0/20" } },
      "clusters[0].cidrs.pods",
      "the pods range 10.1.0.0/20 overlaps the same cluster's nodes range 10.1.0.0/20",
      "give each range of the cluster its own block, or remove clusters[0].cidrs.pods to use the range planned from slot 1",
      "10.1.0.0/20",
    ],
  ])("GKE %j", (overrides, path, message, fix, value) => {
    expect(checkAddresses(spec([clusterInput(1, overrides)]))).toEqual([issue(path, message, fix, value)]);
  });

  it("sizes GKE pod blocks as twice the pods per node, rounded up to a power of two", () => {
    // 64 pods per node → a /25 per node, so a /21 holds 16 nodes: enough for 3 × 3.
    expect(
      checkAddresses(spec([clusterInput(1, { cidrs: { pods: "10.200.0.0/21" }, nodes: { maxPodsPerNode: 64 } })])),
    ).toEqual([]);
    // 65 pods per node → a /24 per node: a /21 holds only 8.
    expect(
      checkAddresses(spec([clusterInput(1, { cidrs: { pods: "10.200.0.0/21" }, nodes: { maxPodsPerNode: 65 } })])),
    ).toHaveLength(1);
  });

  it("rejects zone letters the subnet layout has no room for", () => {
    expect(checkAddresses(spec([clusterInput(0, { zones: ["us-east-1a", "us-east-1h"] })]))).toEqual([
      issue(
        "clusters[0].zones[1]",
        "zone letter h is beyond the subnet layout, which keys subnets by zone letter and has room for a–g",
        "use zones a–g of the region (there is no per-subnet override)",
        "us-east-1h",
      ),
    ]);
  });
});

describe("checkAddresses: overlaps between clusters", () => {
  it("names both clusters and both ranges when two overrides collide, reported at the newer one (higher slot)", () => {
    const issues = checkAddresses(
      spec([
        clusterInput(1, { cidrs: { pods: "10.200.0.0/16" } }),
        clusterInput(3, { cidrs: { pods: "10.200.128.0/17" } }),
      ]),
    );
    expect(issues).toEqual([
      issue(
        "clusters[1].cidrs.pods",
        "the pods range 10.200.128.0/17 of cluster gcp-c3 overlaps the pods range 10.200.0.0/16 of cluster gcp-c1 (clusters[0]); gcp-c3 has the higher slot (3 > 1), so it is the newer cluster to change and gcp-c1 stays as it is",
        "choose a pods range that overlaps no other cluster, or remove clusters[1].cidrs.pods to use the range planned from slot 3",
        "10.200.128.0/17",
      ),
    ]);
  });

  it("blames the newer cluster (higher slot), wherever it sits in the list, even when the older one brought its range", () => {
    const issues = checkAddresses(spec([clusterInput(1), clusterInput(0, { cidrs: { services: "10.1.16.0/20" } })]));
    expect(issues).toEqual([
      issue(
        "clusters[0].slot",
        "the services range 10.1.16.0/20 of cluster gcp-c1 overlaps the services range 10.1.16.0/20 of cluster aws-c0 (clusters[1])" +
          "; gcp-c1 has the higher slot (1 > 0), so it is the newer cluster to change and aws-c0 stays as it is",
        "move cluster gcp-c1 to a free slot, e.g. 2 (its ranges are carved from its slot)",
        "10.1.16.0/20",
      ),
    ]);
  });

  it("tells a new existing cluster to correct its declared range, not the live cluster to move", () => {
    const issues = checkAddresses(
      spec([
        clusterInput(1),
        existing("onprem", 4, { nodes: "10.1.0.0/20", pods: "10.50.0.0/16", services: "10.51.0.0/16" }),
      ]),
    );
    expect(issues.map(renderIssue)).toEqual([
      'multicluster-mesh:clusters[1].cidrs.nodes: the nodes range 10.1.0.0/20 of cluster onprem overlaps the nodes range 10.1.0.0/20 of cluster gcp-c1 (clusters[0]); onprem has the higher slot (4 > 1), so it is the newer cluster to change and gcp-c1 stays as it is ("10.1.0.0/20") — correct clusters[1].cidrs.nodes if the cluster does not use it; existing clusters with overlapping ranges cannot share one flat network; clusters on one shared node network (e.g. kind on one Docker network) declare the identical range',
    ]);
  });

  it("moves a planned cluster off an existing cluster's declared range, suggesting a free slot", () => {
    const issues = checkAddresses(
      spec([
        existing("onprem", 0, { nodes: "10.2.0.0/24", pods: "10.3.0.0/16", services: "10.4.0.0/16" }),
        clusterInput(3),
      ]),
    );
    expect(issues.map(renderIssue)).toEqual([
      'multicluster-mesh:clusters[1].slot: the nodes range 10.3.0.0/20 of cluster gcp-c3 overlaps the pods range 10.3.0.0/16 of cluster onprem (clusters[0]); gcp-c3 has the higher slot (3 > 0), so it is the newer cluster to change and onprem stays as it is ("10.3.0.0/20") — move cluster gcp-c3 to a free slot, e.g. 1 (its ranges are carved from its slot)',
      'multicluster-mesh:clusters[1].slot: the pods range 10.3.128.0/17 of cluster gcp-c3 overlaps the pods range 10.3.0.0/16 of cluster onprem (clusters[0]); gcp-c3 has the higher slot (3 > 0), so it is the newer cluster to change and onprem stays as it is ("10.3.128.0/17") — move cluster gcp-c3 to a free slot, e.g. 1 (its ranges are carved from its slot)',
      'multicluster-mesh:clusters[1].slot: the services range 10.3.16.0/20 of cluster gcp-c3 overlaps the pods range 10.3.0.0/16 of cluster onprem (clusters[0]); gcp-c3 has the higher slot (3 > 0), so it is the newer cluster to change and onprem stays as it is ("10.3.16.0/20") — move cluster gcp-c3 to a free slot, e.g. 1 (its ranges are carved from its slot)',
      'multicluster-mesh:clusters[1].slot: the controlPlane range 10.3.32.0/28 of cluster gcp-c3 overlaps the pods range 10.3.0.0/16 of cluster onprem (clusters[0]); gcp-c3 has the higher slot (3 > 0), so it is the newer cluster to change and onprem stays as it is ("10.3.32.0/28") — move cluster gcp-c3 to a free slot, e.g. 1 (its ranges are carved from its slot)',
    ]);
  });

  const a = existing("site-a", 0, { nodes: "192.168.0.0/24", pods: "10.42.0.0/16", services: "10.43.0.0/16" });
  const b = existing("site-b", 1, { nodes: "192.168.1.0/24", pods: "10.42.0.0/16", services: "10.43.0.0/16" });

  it("rejects overlapping pod and service ranges of existing clusters, pointing at Globalnet under Submariner", () => {
    const issues = checkAddresses(spec([a, b], { mesh: "submariner" }));
    expect(issues).toEqual([
      issue(
        "clusters[1].cidrs.pods",
        "the pods range 10.42.0.0/16 of cluster site-b overlaps the pods range 10.42.0.0/16 of cluster site-a (clusters[0]); site-b has the higher slot (1 > 0), so it is the newer cluster to change and site-a stays as it is",
        "correct clusters[1].cidrs.pods if the cluster does not use it; existing clusters with overlapping ranges cannot share one flat network; with Submariner, submariner.globalnet: true lets pod and service ranges overlap",
        "10.42.0.0/16",
      ),
      issue(
        "clusters[1].cidrs.services",
        "the services range 10.43.0.0/16 of cluster site-b overlaps the services range 10.43.0.0/16 of cluster site-a (clusters[0]); site-b has the higher slot (1 > 0), so it is the newer cluster to change and site-a stays as it is",
        "correct clusters[1].cidrs.services if the cluster does not use it; existing clusters with overlapping ranges cannot share one flat network; with Submariner, submariner.globalnet: true lets pod and service ranges overlap",
        "10.43.0.0/16",
      ),
    ]);
  });

  it("lets existing clusters declare one shared node network (kind on one Docker network), never a partial overlap", () => {
    const east = existing("kind-east", 1, { nodes: "172.18.0.0/16", pods: "10.1.0.0/17", services: "10.1.128.0/20" });
    const west = existing("kind-west", 2, { nodes: "172.18.0.0/16", pods: "10.2.0.0/17", services: "10.2.128.0/20" });
    expect(checkAddresses(spec([east, west]))).toEqual([]);
    const partial = existing("kind-west", 2, {
      nodes: "172.18.0.0/17",
      pods: "10.2.0.0/17",
      services: "10.2.128.0/20",
    });
    expect(checkAddresses(spec([east, partial]))).toEqual([
      issue(
        "clusters[1].cidrs.nodes",
        "the nodes range 172.18.0.0/17 of cluster kind-west overlaps the nodes range 172.18.0.0/16 of cluster kind-east (clusters[0]); kind-west has the higher slot (2 > 1), so it is the newer cluster to change and kind-east stays as it is",
        "correct clusters[1].cidrs.nodes if the cluster does not use it; existing clusters with overlapping ranges cannot share one flat network; clusters on one shared node network (e.g. kind on one Docker network) declare the identical range",
        "172.18.0.0/17",
      ),
    ]);
  });

  it("lets pod and service ranges overlap under Submariner with Globalnet, never node ranges", () => {
    expect(checkAddresses(spec([a, b], { mesh: "submariner", submariner: { globalnet: true } }))).toEqual([]);
    const sameNodes = existing("site-c", 2, {
      nodes: "192.168.0.0/23",
      pods: "10.44.0.0/16",
      services: "10.45.0.0/16",
    });
    expect(
      checkAddresses(spec([a, sameNodes], { mesh: "submariner", submariner: { globalnet: true } })).map((i) => i.path),
    ).toEqual(["clusters[1].cidrs.nodes"]);
  });

  it("still rejects overlapping pod ranges with Globalnet under Istio (Globalnet is Submariner's)", () => {
    expect(checkAddresses(spec([a, b], { submariner: { globalnet: true } })).map((i) => i.path)).toEqual([
      "clusters[1].cidrs.pods",
      "clusters[1].cidrs.services",
    ]);
  });

  it("lets an existing cluster use one range for nodes and pods (VPC CNI), but not for services", () => {
    expect(
      checkAddresses(
        spec([existing("eks-old", 0, { nodes: "10.9.0.0/16", pods: "10.9.0.0/16", services: "172.20.0.0/16" })]),
      ),
    ).toEqual([]);
    expect(
      checkAddresses(
        spec([existing("eks-old", 0, { nodes: "10.9.0.0/16", pods: "10.9.0.0/16", services: "10.9.0.0/20" })]),
      ).map((i) => i.message),
    ).toEqual([
      "the services range 10.9.0.0/20 overlaps the same cluster's nodes range 10.9.0.0/16",
      "the services range 10.9.0.0/20 overlaps the same cluster's pods range 10.9.0.0/16",
    ]);
  });
});

describe("planAddresses: failure", () => {
  it("throws one SpecError carrying every issue, ordered by path", () => {
    const bad = spec([
      clusterInput(0, { cidrs: { services: "10.0.0.1/20" } }),
      clusterInput(1, { slot: 300 }),
      clusterInput(2, { cidrs: { controlPlane: "10.2.32.0/28" } }),
    ]);
    let caught: unknown;
    try {
      planAddresses(bad);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SpecError);
    expect((caught as SpecError).issues.map((i) => i.path)).toEqual([
      "clusters[0].cidrs.services",
      "clusters[1].slot",
      "clusters[2].cidrs.controlPlane",
    ]);
    expect((caught as SpecError).message).toBe(
      [
        "invalid stack config: 3 problems",
        '  multicluster-mesh:clusters[0].cidrs.services: host bits are set ("10.0.0.1/20") — write the block as 10.0.0.0/20',
        "  multicluster-mesh:clusters[1].slot: slot is outside the address space 10.0.0.0/8, which holds 256 slots (0–255) (300) — use a free slot from 0 to 255, e.g. 1",
        '  multicluster-mesh:clusters[2].cidrs.controlPlane: only GKE clusters have a control-plane range ("10.2.32.0/28") — remove clusters[2].cidrs.controlPlane',
      ].join("\n"),
    );
  });
});
