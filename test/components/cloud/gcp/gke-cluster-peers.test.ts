/**
 * GkeCluster and its peers: the tunnel ports from the tunnel peers' gateway addresses, and the authorized networks
 * that admit the clusters calling its API server.
 */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { GkeCluster } from "../../../../components/cloud/gcp/gke-cluster";
import { byType } from "../../../../tools/mock-runtime";
import { clusterInput } from "../../../support/fixtures";
import { argsFor, COMPONENT, inputs, NETWORK_LINK, PHYSICAL, plan, PROJECT } from "./gke-support";

describe("GkeCluster tunnel ports", () => {
  const peers = [clusterInput(0), clusterInput(2)];
  const sources = {
    "aws-c0": [pulumi.output("198.51.100.1/32"), pulumi.output("198.51.100.2/32"), pulumi.output("198.51.100.3/32")],
    "aws-c2": [pulumi.output("203.0.113.9/32")],
  };

  it("admits IKE, NAT-T, NAT discovery and ESP from the tunnel peers' gateway addresses alone, in one rule", async () => {
    const run = await plan({ mesh: "submariner", peers, peerGatewaySources: sources });
    const tunnel = byType(run, "gcp:compute/firewall:Firewall").filter((r) => r.name.includes("-tunnel-"));
    expect(tunnel.map((r) => r.name)).toEqual(["gcp-c1-tunnel-peers"]);
    expect(inputs(run, "gcp-c1-tunnel-peers")).toEqual({
      project: PROJECT,
      network: NETWORK_LINK,
      direction: "INGRESS",
      description:
        "gcp-c1: Submariner IPsec NAT-T, Submariner NAT discovery, Submariner IKE, Submariner IPsec ESP from the gateways of its peers",
      // Peers by name, each pool in order.
      sourceRanges: ["198.51.100.1/32", "198.51.100.2/32", "198.51.100.3/32", "203.0.113.9/32"],
      allows: [{ protocol: "udp", ports: ["4500", "4490", "500"] }, { protocol: "esp" }],
      targetTags: [`${PHYSICAL}-gateway`],
    });
    // Only the gateway nodes carry the tag the rule targets.
    expect(inputs(run, "gcp-c1-gateways")["nodeConfig"]).toMatchObject({ tags: [`${PHYSICAL}-gateway`] });
    expect(inputs(run, "gcp-c1-nodes")["nodeConfig"]).not.toHaveProperty("tags");
    for (const r of tunnel) expect(r.parent).toBe(COMPONENT);
  });

  it("opens no tunnel port without peers, and refuses a tunnel peer without gateway addresses", async () => {
    const alone = await plan({ mesh: "submariner" });
    expect(byType(alone, "gcp:compute/firewall:Firewall").filter((r) => r.name.includes("-tunnel-"))).toEqual([]);
    expect(() => new GkeCluster("gcp-c1", argsFor({ mesh: "submariner", peers, peerGatewaySources: {} }))).toThrow(
      "GkeCluster gcp-c1: no gateway sources for tunnel peer(s) aws-c0, aws-c2 — pass every peer's reserved addresses",
    );
  });
});

describe("GkeCluster authorized networks for the clusters that call its API server", () => {
  const peers = [clusterInput(0), clusterInput(2)];
  const egress = {
    "aws-c0": pulumi.output(["192.0.2.1", "192.0.2.2"]),
    "gcp-c1": pulumi.output(["192.0.2.5", "192.0.2.6"]),
    "aws-c2": pulumi.output(["192.0.2.9"]),
  };
  const gateways = {
    "aws-c0": [pulumi.output("198.18.0.1/32"), pulumi.output("198.18.0.2/32")],
    "gcp-c1": [pulumi.output("198.18.1.1/32")],
    "aws-c2": [pulumi.output("198.18.2.1/32")],
  };
  const office = { displayName: "office", cidrBlock: "198.51.100.0/24" };
  const entry = (displayName: string, cidrBlock: string): Record<string, string> => ({ displayName, cidrBlock });

  it("istio: adds every peer's egress addresses, named by peer, after the configured networks", async () => {
    const run = await plan({ peers, peerEgress: egress });
    expect(inputs(run, "gcp-c1-cluster")["masterAuthorizedNetworksConfig"]).toEqual({
      cidrBlocks: [
        office,
        entry("aws-c0-egress-1", "192.0.2.1/32"),
        entry("aws-c0-egress-2", "192.0.2.2/32"),
        entry("aws-c2-egress-1", "192.0.2.9/32"),
      ],
    });
  });

  it("submariner: the broker admits every member's egress and gateway addresses, its own included", async () => {
    const run = await plan({
      mesh: "submariner",
      peers,
      brokerCluster: "gcp-c1",
      peerEgress: egress,
      peerGatewaySources: gateways,
    });
    expect(inputs(run, "gcp-c1-cluster")["masterAuthorizedNetworksConfig"]).toEqual({
      cidrBlocks: [
        office,
        entry("aws-c0-egress-1", "192.0.2.1/32"),
        entry("aws-c0-egress-2", "192.0.2.2/32"),
        entry("aws-c0-gateway-1", "198.18.0.1/32"),
        entry("aws-c0-gateway-2", "198.18.0.2/32"),
        entry("aws-c2-egress-1", "192.0.2.9/32"),
        entry("aws-c2-gateway-1", "198.18.2.1/32"),
        entry("gcp-c1-egress-1", "192.0.2.5/32"),
        entry("gcp-c1-egress-2", "192.0.2.6/32"),
        entry("gcp-c1-gateway-1", "198.18.1.1/32"),
      ],
    });
    // A member that does not host the broker is called by nobody: its configured list stays as it is.
    const member = await plan({
      mesh: "submariner",
      peers,
      brokerCluster: "aws-c0",
      peerEgress: egress,
      peerGatewaySources: gateways,
    });
    expect(inputs(member, "gcp-c1-cluster")["masterAuthorizedNetworksConfig"]).toEqual({ cidrBlocks: [office] });
  });

  it("leaves an unrestricted control plane unrestricted, whoever calls it", async () => {
    const run = await plan({ cluster: clusterInput(1), peers, peerEgress: egress });
    expect(inputs(run, "gcp-c1-cluster")["masterAuthorizedNetworksConfig"]).toBeUndefined();
  });
});
