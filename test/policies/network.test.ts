import { describe, expect, it } from "vitest";
import { clusters, edit, istioSpec, messagesOf, record, stackSpec, urnIn, violationsOf } from "./support";

const istio = () => record(istioSpec());
/** prod's four clusters: two EKS, two GKE in one project. */
const prod = () => record(stackSpec("prod"));

const SHARE =
  "give every cluster its own VPC/network from its own address slot; connect clusters through their gateways, not a shared network";

describe("vpc-per-cluster", () => {
  it("passes clusters with networks of their own", async () => {
    expect(messagesOf(await prod(), "vpc-per-cluster")).toEqual([]);
  });

  it("fails a cluster without a network of its own", async () => {
    const base = await istio();
    expect(violationsOf(edit(base).remove("gcp-usc1-network").run(), "vpc-per-cluster")).toEqual([
      {
        policy: "vpc-per-cluster",
        enforcement: "mandatory",
        urn: urnIn(base, "gcp-usc1-cluster"),
        message:
          'cluster gcp-usc1: has no VPC or network of its own (GKE cluster "prod-gcp-usc1") — create a network for gcp-usc1 (tagged/labelled with its cluster name) instead of reusing one',
      },
    ]);
  });

  it("fails a cluster whose resources depend on another cluster's subnets", async () => {
    const base = await prod();
    const run = edit(base)
      .change("aws-euw1-cluster", (r) => ({
        propertyDependencies: { ...r.propertyDependencies, vpcConfig: [urnIn(base, "aws-use1-private-us-east-1a")] },
      }))
      .run();
    expect(violationsOf(run, "vpc-per-cluster")).toEqual([
      {
        policy: "vpc-per-cluster",
        enforcement: "mandatory",
        urn: urnIn(base, "aws-euw1-cluster"),
        message: `clusters aws-euw1, aws-use1: share a network (aws-euw1-cluster uses aws-use1's aws-use1-private-us-east-1a) — ${SHARE}`,
      },
    ]);
  });

  it("fails a GKE cluster naming another cluster's network, and two networks with one name in one project", async () => {
    const base = await prod();
    const borrowed = edit(base)
      .set("gcp-euw4-cluster", "network", "projects/acme-platform-prod/global/networks/gcp-usc1-network")
      .run();
    expect(messagesOf(borrowed, "vpc-per-cluster")).toEqual([
      `clusters gcp-euw4, gcp-usc1: share a network (GKE cluster "prod-gcp-euw4" uses network "gcp-usc1-network") — ${SHARE}`,
    ]);

    const named = edit(base).set("gcp-euw4-network", "name", "shared").set("gcp-usc1-network", "name", "shared");
    expect(messagesOf(named.run(), "vpc-per-cluster")).toEqual([
      `clusters gcp-euw4, gcp-usc1: share a network (network "acme-platform-prod/shared") — ${SHARE}`,
    ]);
    named.set("gcp-euw4-network", "project", "acme-platform-eu");
    expect(messagesOf(named.run(), "vpc-per-cluster")).toEqual([]);
  });
});

describe("address-ranges-disjoint", () => {
  const FIX =
    "give each cluster its own address slot (multicluster-mesh:clusters[].slot) or disjoint multicluster-mesh:clusters[].cidrs";

  it("passes the ranges planned from the slots", async () => {
    expect(messagesOf(await prod(), "address-ranges-disjoint")).toEqual([]);
  });

  it("fails overlapping ranges once per pair of clusters, naming the widest overlap first", async () => {
    // The stack schema refuses overlapping cidrs, so the recorded ranges are edited.
    const base = await istio();
    const run = edit(base)
      .set("gcp-usc1-subnet", "ipCidrRange", "10.0.16.0/20")
      .set("gcp-usc1-cluster", "privateClusterConfig.masterIpv4CidrBlock", "10.0.128.0/28")
      .run();
    expect(violationsOf(run, "address-ranges-disjoint")).toEqual([
      {
        policy: "address-ranges-disjoint",
        enforcement: "mandatory",
        urn: urnIn(base, "gcp-usc1-subnet"),
        message: `clusters aws-use1, gcp-usc1: have overlapping address ranges (aws-use1 VPC cidrBlock 10.0.0.0/17 overlaps gcp-usc1 subnetwork ipCidrRange 10.0.16.0/20 and 2 more overlap(s)) — ${FIX}`,
      },
    ]);
  });

  it("compares secondary ranges, EKS service ranges and GKE control-plane ranges", async () => {
    const base = await istio();
    const services = edit(base)
      .set("gcp-usc1-subnet", "secondaryIpRanges", [
        { rangeName: "pods", ipCidrRange: "10.1.128.0/17" },
        { rangeName: "services", ipCidrRange: "10.0.136.0/21" },
      ])
      .run();
    expect(messagesOf(services, "address-ranges-disjoint")).toEqual([
      `clusters aws-use1, gcp-usc1: have overlapping address ranges (aws-use1 EKS serviceIpv4Cidr 10.0.128.0/20 overlaps gcp-usc1 secondary range services 10.0.136.0/21) — ${FIX}`,
    ]);
    const master = edit(base).set("gcp-usc1-cluster", "privateClusterConfig.masterIpv4CidrBlock", "10.0.48.0/28").run();
    expect(messagesOf(master, "address-ranges-disjoint")).toEqual([
      `clusters aws-use1, gcp-usc1: have overlapping address ranges (aws-use1 VPC cidrBlock 10.0.0.0/17 overlaps gcp-usc1 GKE masterIpv4CidrBlock 10.0.48.0/28) — ${FIX}`,
    ]);
  });

  it("fails an unset EKS service range in a fleet, unless requireEksServiceCidr is off", async () => {
    const run = edit(await istio())
      .set("aws-use1-cluster", "kubernetesNetworkConfig", undefined)
      .run();
    expect(messagesOf(run, "address-ranges-disjoint")).toEqual([
      "cluster aws-use1: EKS service range is not set, so EKS picks 10.100.0.0/16 or 172.20.0.0/16, the same for every cluster (EKS cluster prod-aws-use1: kubernetesNetworkConfig.serviceIpv4Cidr missing) — set it from the address plan (multicluster-mesh:clusters[].cidrs.services); it can only be set when the cluster is created",
    ]);
    expect(messagesOf(run, "address-ranges-disjoint", { requireEksServiceCidr: false })).toEqual([]);
    const alone = await record(istioSpec(clusters((c) => c.slice(0, 1))));
    expect(
      messagesOf(
        edit(alone).set("aws-use1-cluster", "kubernetesNetworkConfig", undefined).run(),
        "address-ranges-disjoint",
      ),
    ).toEqual([]);
  });
});
