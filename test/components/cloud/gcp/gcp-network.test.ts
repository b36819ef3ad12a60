import * as gcp from "@pulumi/gcp";
import { describe, expect, it } from "vitest";
import { GcpNetwork, type GcpNetworkArgs } from "../../../../components/cloud/gcp/gcp-network";
import { planAddresses } from "../../../../plan/addresses";
import { gcpLabels } from "../../../../plan/names";
import type { ClusterInput, MeshKind } from "../../../../plan/spec";
import { answerResource } from "../../../../tools/mock-answers";
import { byName, byType, type MockRun, runUnderMocks } from "../../../../tools/mock-runtime";
import { clusterInput, requirementsOf, specFrom } from "../../../support/fixtures";

const PROJECT = "acme-platform-dev";
const STACK = "test";
const URN = `urn:pulumi:${STACK}::multicluster-mesh::`;
const COMPONENT = `${URN}multicluster-mesh:network:GcpNetwork::gcp-c1`;
const GCP_PROVIDER = `${URN}pulumi:providers:gcp::gcp-c1-gcp`;
const FIREWALL = "gcp:compute/firewall:Firewall";

function argsFor(mesh: MeshKind, cluster: ClusterInput = clusterInput(1), protect = false): GcpNetworkArgs {
  const fleet = specFrom({ mesh, clusters: [cluster], tags: { Team: "Platform" } });
  const spec = fleet.clusters[0];
  const addresses = planAddresses(fleet).clusters[0];
  if (spec === undefined || addresses === undefined) {
    throw new Error("fixture has no cluster");
  }
  const { ports, peerRanges } = requirementsOf(fleet);
  return {
    cluster: spec,
    addresses,
    ports,
    peerRanges,
    labels: gcpLabels(fleet, spec),
    protect,
    physicalName: `${STACK}-${spec.name}`,
  };
}

async function plan(args: GcpNetworkArgs): Promise<MockRun> {
  return runUnderMocks(
    () => {
      const provider = new gcp.Provider("gcp-c1-gcp", { project: PROJECT, region: "us-central1" });
      const network = new GcpNetwork("gcp-c1", args, { provider });
      return {
        networkSelfLink: network.networkSelfLink,
        networkName: network.networkName,
        subnetworkSelfLink: network.subnetworkSelfLink,
        podsRangeName: network.podsRangeName,
        servicesRangeName: network.servicesRangeName,
        natPublicIps: network.natPublicIps,
      };
    },
    { project: "multicluster-mesh", stack: STACK },
  );
}

/** The id the mock cloud gives a GCP resource. */
function idOf(type: string, name: string): string {
  return answerResource({ type, name, inputs: {}, providerInputs: { project: PROJECT } }).id;
}
const NETWORK_ID = idOf("gcp:compute/network:Network", "gcp-c1-network");
const inputs = (run: MockRun, name: string): Record<string, unknown> => byName(run, name).inputs;
const protectedNames = (run: MockRun): string[] =>
  run.resources
    .filter((r) => r.protect)
    .map((r) => r.name)
    .sort();
const firewalls = (run: MockRun): string[] =>
  byType(run, FIREWALL)
    .map((r) => r.name)
    .sort();

/** A firewall rule's essentials: protocol/ports, sources, direction, network. */
function ruleOf(run: MockRun, name: string): Record<string, unknown> {
  const i = inputs(run, name);
  return { network: i["network"], direction: i["direction"], sourceRanges: i["sourceRanges"], allows: i["allows"] };
}

describe("GcpNetwork with Istio", () => {
  const args = argsFor("istio");

  it("creates exactly the network, subnetwork, two NAT addresses, router, NAT and the intra-cluster rule", async () => {
    const run = await plan(args);
    expect(
      run.resources
        .filter((r) => r.parent === COMPONENT)
        .map((r) => `${r.type}::${r.name}`)
        .sort(),
    ).toEqual([
      "gcp:compute/address:Address::gcp-c1-nat-ip",
      "gcp:compute/address:Address::gcp-c1-nat-ip-2",
      "gcp:compute/firewall:Firewall::gcp-c1-internal",
      "gcp:compute/network:Network::gcp-c1-network",
      "gcp:compute/router:Router::gcp-c1-router",
      "gcp:compute/routerNat:RouterNat::gcp-c1-nat",
      "gcp:compute/subnetwork:Subnetwork::gcp-c1-subnet",
    ]);
  });

  it("parents every child on the component and resolves the GCP provider passed to the component", async () => {
    const run = await plan(args);
    const children = run.resources.filter((r) => r.type.startsWith("gcp:"));
    expect(children).toHaveLength(7);
    for (const r of children) {
      expect(r.parent, r.name).toBe(COMPONENT);
      expect(r.provider, r.name).toBe(GCP_PROVIDER);
    }
  });

  it("builds a custom-mode network and a subnetwork with the planned primary and named secondary ranges", async () => {
    const run = await plan(args);
    expect(inputs(run, "gcp-c1-network")).toMatchObject({ autoCreateSubnetworks: false, routingMode: "REGIONAL" });
    expect(inputs(run, "gcp-c1-subnet")).toMatchObject({
      network: NETWORK_ID,
      region: "us-central1",
      ipCidrRange: "10.1.0.0/20",
      secondaryIpRanges: [
        { rangeName: "pods", ipCidrRange: "10.1.128.0/17" },
        { rangeName: "services", ipCidrRange: "10.1.16.0/20" },
      ],
      privateIpGoogleAccess: true,
    });
  });

  it("egresses through Cloud NAT on two reserved, labelled addresses (one and its headroom)", async () => {
    const run = await plan(args);
    for (const name of ["gcp-c1-nat-ip", "gcp-c1-nat-ip-2"]) {
      expect(inputs(run, name), name).toMatchObject({
        region: "us-central1",
        addressType: "EXTERNAL",
        labels: { team: "platform", "multicluster-mesh-environment": "test", "multicluster-mesh-cluster": "gcp-c1" },
      });
    }
    expect(inputs(run, "gcp-c1-router")).toMatchObject({ network: NETWORK_ID, region: "us-central1" });
    expect(inputs(run, "gcp-c1-nat")).toMatchObject({
      router: "gcp-c1-router",
      region: "us-central1",
      natIpAllocateOption: "MANUAL_ONLY",
      natIps: [
        `https://www.googleapis.com/mock/projects/${PROJECT}/gcp-c1-nat-ip`,
        `https://www.googleapis.com/mock/projects/${PROJECT}/gcp-c1-nat-ip-2`,
      ],
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      enableDynamicPortAllocation: true,
      minPortsPerVm: 1024,
      maxPortsPerVm: 16384,
      enableEndpointIndependentMapping: false,
    });
  });

  it("allocates NAT ports between the cluster's configured minimum and maximum per node", async () => {
    const cluster = { ...clusterInput(1), gcp: { project: PROJECT, nat: { minPortsPerVm: 256, maxPortsPerVm: 2048 } } };
    const run = await plan(argsFor("istio", cluster));
    expect(inputs(run, "gcp-c1-nat")).toMatchObject({ minPortsPerVm: 256, maxPortsPerVm: 2048 });
  });

  it("allows TCP, UDP and ICMP among the cluster's own node and pod ranges, and opens no mesh ports", async () => {
    const run = await plan(args);
    expect(firewalls(run)).toEqual(["gcp-c1-internal"]);
    expect(ruleOf(run, "gcp-c1-internal")).toEqual({
      network: NETWORK_ID,
      direction: "INGRESS",
      sourceRanges: ["10.1.0.0/20", "10.1.128.0/17"],
      allows: [{ protocol: "tcp" }, { protocol: "udp" }, { protocol: "icmp" }],
    });
  });

  it("outputs the network and subnetwork links and the secondary range names", async () => {
    const run = await plan(args);
    expect(run.outputs).toEqual({
      networkSelfLink: `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/gcp-c1-network`,
      networkName: "gcp-c1-network",
      subnetworkSelfLink: `https://www.googleapis.com/compute/v1/projects/${PROJECT}/regions/us-central1/subnetworks/gcp-c1-subnet`,
      podsRangeName: "pods",
      servicesRangeName: "services",
      natPublicIps: [expect.stringMatching(/^203\.0\.113\.\d+$/), expect.stringMatching(/^203\.0\.113\.\d+$/)],
    });
  });
});

describe("GcpNetwork with Submariner", () => {
  it("opens AH to private peers and VXLAN to its own ranges; the tunnel ports are the cluster's (per peer)", async () => {
    const run = await plan(argsFor("submariner"));
    expect(firewalls(run)).toEqual(["gcp-c1-internal", "gcp-c1-mesh-ah", "gcp-c1-mesh-vxlan"]);
    const rule = (sourceRanges: string[], allow: Record<string, unknown>): Record<string, unknown> => ({
      network: NETWORK_ID,
      direction: "INGRESS",
      sourceRanges,
      allows: [allow],
    });
    const own = ["10.1.0.0/20", "10.1.128.0/17"];
    expect(ruleOf(run, "gcp-c1-mesh-ah")).toEqual(
      rule(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], { protocol: "ah" }),
    );
    expect(ruleOf(run, "gcp-c1-mesh-vxlan")).toEqual(rule(own, { protocol: "udp", ports: ["4800"] }));
    expect(inputs(run, "gcp-c1-mesh-vxlan")["description"]).toBe("gcp-c1: Submariner VXLAN between nodes and gateways");
    for (const name of firewalls(run)) {
      expect(byName(run, name).parent).toBe(COMPONENT);
      expect(byName(run, name).provider).toBe(GCP_PROVIDER);
    }
  });

  it("reserves the gateway nodes' pool: one regional external address per place, labelled with the pool", async () => {
    const run = await plan({ ...argsFor("submariner"), gatewayAddressPool: 3 });
    const pool = byType(run, "gcp:compute/address:Address").filter((r) => r.name.includes("-gateway-ip-"));
    expect(pool.map((r) => r.name)).toEqual(["gcp-c1-gateway-ip-1", "gcp-c1-gateway-ip-2", "gcp-c1-gateway-ip-3"]);
    for (const r of pool) {
      expect(r.inputs).toEqual({
        region: "us-central1",
        addressType: "EXTERNAL",
        labels: { ...argsFor("submariner").labels, "multicluster-mesh-gateway-pool": "test-gcp-c1" },
        description: "multicluster-mesh: gateway node address of cluster gcp-c1",
      });
      expect(r.parent).toBe(COMPONENT);
    }
    // No pool without gateway nodes.
    expect(byType(await plan(argsFor("submariner")), "gcp:compute/address:Address").map((r) => r.name)).toEqual([
      "gcp-c1-nat-ip",
      "gcp-c1-nat-ip-2",
    ]);
  });

  it("admits every protocol from exactly its peers' pod and service ranges", async () => {
    const fleet = specFrom({ mesh: "submariner", clusters: [clusterInput(0), clusterInput(1)] });
    const own = argsFor("submariner");
    const run = await plan({ ...own, peerRanges: requirementsOf(fleet, "gcp-c1").peerRanges });
    expect(firewalls(run)).toContain("gcp-c1-mesh-peers");
    expect(ruleOf(run, "gcp-c1-mesh-peers")).toEqual({
      network: NETWORK_ID,
      direction: "INGRESS",
      sourceRanges: ["100.64.0.0/18", "10.0.128.0/20"],
      allows: [{ protocol: "all" }],
    });
    // A single cluster has no peers, so no rule.
    expect(firewalls(await plan(own))).not.toContain("gcp-c1-mesh-peers");
  });

  it("uses overridden ranges in the subnetwork and the intra-cluster rules", async () => {
    const run = await plan(
      argsFor("submariner", clusterInput(1, { cidrs: { nodes: "172.16.0.0/22", pods: "172.18.0.0/16" } })),
    );
    expect(inputs(run, "gcp-c1-subnet")).toMatchObject({
      ipCidrRange: "172.16.0.0/22",
      secondaryIpRanges: [
        { rangeName: "pods", ipCidrRange: "172.18.0.0/16" },
        { rangeName: "services", ipCidrRange: "10.1.16.0/20" },
      ],
    });
    expect(ruleOf(run, "gcp-c1-mesh-vxlan")["sourceRanges"]).toEqual(["172.16.0.0/22", "172.18.0.0/16"]);
  });
});

describe("GcpNetwork protection", () => {
  it("protects the VPC network and nothing else when protect is true", async () => {
    const run = await plan(argsFor("submariner", clusterInput(1), true));
    expect(protectedNames(run)).toEqual(["gcp-c1-network"]);
  });

  it("protects nothing when protect is false", async () => {
    const run = await plan(argsFor("submariner", clusterInput(1), false));
    expect(run.resources.filter((r) => r.type.startsWith("gcp:compute/"))).toHaveLength(9);
    expect(protectedNames(run)).toEqual([]);
  });
});

describe("GcpNetwork arguments", () => {
  it("rejects a non-GCP cluster and someone else's addresses, listing both problems, before registering anything", () => {
    const args = argsFor("istio");
    const aws = specFrom({ mesh: "istio", clusters: [clusterInput(0)] }).clusters[0];
    if (aws === undefined) {
      throw new Error("fixture has no cluster");
    }
    expect(() => new GcpNetwork("gcp-c1", { ...args, cluster: aws })).toThrow(
      "GcpNetwork gcp-c1: the cluster's cloud is aws, not gcp — create an AwsNetwork or none; " +
        "the addresses belong to cluster gcp-c1, not aws-c0 — pass the cluster's own ClusterAddresses",
    );
  });
});
