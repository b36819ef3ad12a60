/**
 * What each interconnect requires of every cluster, as `planFleet` plans it: the cluster and network components read
 * only this, so it decides firewall rules, gateway node pools and GKE's datapath and control-plane attachment.
 */
import { describe, expect, it } from "vitest";
import { planFleet } from "../../../plan";
import { INTERCONNECTS } from "../../../plan/interconnect";
import { MESHES } from "../../../plan/spec";
import { clusterInput, specFrom } from "../../support/fixtures";

describe("interconnect requirements", () => {
  it("lists one module per mesh kind, each under its own kind", () => {
    expect(Object.keys(INTERCONNECTS).sort()).toEqual([...MESHES].sort());
    for (const kind of MESHES) expect(INTERCONNECTS[kind].kind).toBe(kind);
  });

  it("istio: only istiod's webhook port, called by the control plane (15012 serves primary-remote only), peering, no gateway nodes", () => {
    const plan = planFleet(specFrom({ mesh: "istio", clusters: [clusterInput(0), clusterInput(1)] }));
    // Alike but for who calls the API server (the other cluster's istiod, below).
    const withoutClients = (c: string): Record<string, unknown> =>
      Object.fromEntries(Object.entries(plan.requirements[c] ?? {}).filter(([k]) => k !== "apiClients"));
    expect({ "aws-c0": withoutClients("aws-c0"), "gcp-c1": withoutClients("gcp-c1") }).toEqual({
      "aws-c0": withoutClients("gcp-c1"),
      "gcp-c1": {
        ports: [
          expect.objectContaining({
            key: "istiod-webhook",
            port: 15017,
            from: "control-plane",
            calledByControlPlane: true,
          }),
        ],
        peerRanges: [],
        tunnelPeers: [],
        podsApartFromNodes: false,
        controlPlaneAttachment: "peering",
      },
    });
    expect(plan.requirements["gcp-c1"]?.ports.map((p) => p.port)).not.toContain(15012);
    expect(plan.interconnect.kind).toBe("istio");
  });

  it("submariner: IPsec from peers, VXLAN among nodes, peers' ranges, pods apart, gateway nodes, legacy datapath and PSC", () => {
    const plan = planFleet(
      specFrom({
        mesh: "submariner",
        clusters: [clusterInput(0), clusterInput(1)],
        submariner: { gatewayNodes: { count: 2, instanceTypes: { gcp: "e2-standard-2" } } },
      }),
    );
    const gcp = plan.requirements["gcp-c1"];
    expect(gcp?.ports.map((p) => `${p.key}:${p.from}`)).toEqual([
      "ipsec-nat-t:peers",
      "nat-discovery:peers",
      "ike:peers",
      "esp:peers",
      "ah:peers",
      "vxlan:nodes",
    ]);
    expect(gcp?.peerRanges).toEqual([
      { cluster: "aws-c0", role: "pods", cidr: "100.64.0.0/18" },
      { cluster: "aws-c0", role: "services", cidr: "10.0.128.0/20" },
    ]);
    expect(plan.requirements["aws-c0"]?.peerRanges).toEqual([
      { cluster: "gcp-c1", role: "pods", cidr: "10.1.128.0/17" },
      { cluster: "gcp-c1", role: "services", cidr: "10.1.16.0/20" },
    ]);
    expect(gcp).toMatchObject({
      podsApartFromNodes: true,
      gatewayNodes: {
        count: 2,
        instanceTypes: { gcp: "e2-standard-2" },
        label: "submariner.io/gateway",
        taint: "node-role.submariner.io/gateway",
        role: "Submariner gateway nodes",
        countKey: "submariner.gatewayNodes.count",
        staticAddresses: true,
        forwardsForeignTraffic: true,
        addressPool: 3,
      },
      tunnelPeers: ["aws-c0"],
      datapath: "legacy",
      controlPlaneAttachment: "private-service-connect",
    });
  });

  it("submariner: a dedicated broker cluster joins nothing, so it gets no gateway nodes", () => {
    const plan = planFleet(
      specFrom({
        mesh: "submariner",
        clusters: [clusterInput(0), clusterInput(1)],
        submariner: { brokerCluster: "aws-c0", dedicatedBrokerCluster: true },
      }),
    );
    expect(plan.requirements["aws-c0"]?.gatewayNodes).toMatchObject({ count: 0, addressPool: 0 });
    expect(plan.requirements["aws-c0"]?.tunnelPeers).toEqual([]);
    expect(plan.requirements["gcp-c1"]?.gatewayNodes).toMatchObject({ count: 2, addressPool: 3 });
    // The broker's cluster opens no tunnels, so it is no member's tunnel peer.
    expect(plan.requirements["gcp-c1"]?.tunnelPeers).toEqual([]);
  });

  it("submariner: every member's tunnel peers are the other members, by name, whatever the stack's order", () => {
    const clusters = [clusterInput(2), clusterInput(0), clusterInput(1)];
    const plan = planFleet(specFrom({ mesh: "submariner", clusters, submariner: { gatewayNodes: { count: 1 } } }));
    expect(Object.fromEntries(Object.entries(plan.requirements).map(([c, r]) => [c, r.tunnelPeers]))).toEqual({
      "aws-c0": ["aws-c2", "gcp-c1"],
      "gcp-c1": ["aws-c0", "aws-c2"],
      "aws-c2": ["aws-c0", "gcp-c1"],
    });
    expect(plan.requirements["aws-c0"]?.gatewayNodes?.addressPool).toBe(2);
  });

  it("submariner: an existing member must declare its gateway addresses, which the program cannot reserve", () => {
    const existing = {
      name: "kind-c3",
      cloud: "existing" as const,
      region: "on-prem",
      zones: ["rack-1"],
      slot: 3,
      cidrs: { nodes: "10.3.0.0/18", pods: "10.3.64.0/18", services: "10.3.128.0/18" },
      existing: { kubeconfig: "apiVersion: v1", endpoint: "https://kind-c3.example.com" },
    };
    expect(() => planFleet(specFrom({ mesh: "submariner", clusters: [clusterInput(0), existing] }))).toThrow(
      "multicluster-mesh:clusters[1].existing.gatewayAddresses: a Submariner member that the program reserves no " +
        "gateway addresses for must list them: its peers admit the tunnel ports from these alone (missing) — list the " +
        "public addresses its gateway nodes meet their peers from, e.g. [203.0.113.10/32]",
    );
    const declared = { ...existing, existing: { ...existing.existing, gatewayAddresses: ["203.0.113.10/32"] } };
    const plan = planFleet(specFrom({ mesh: "submariner", clusters: [clusterInput(0), declared] }));
    expect(plan.requirements["aws-c0"]?.tunnelPeers).toEqual(["kind-c3"]);
    // Istio has no tunnels: nothing to declare.
    expect(() => planFleet(specFrom({ mesh: "istio", clusters: [clusterInput(0), existing] }))).not.toThrow();
  });

  it("istio: every cluster's API server is read by every other cluster's istiod, listed by name", () => {
    const plan = planFleet(specFrom({ mesh: "istio", clusters: [clusterInput(2), clusterInput(0), clusterInput(1)] }));
    const istiod = (cluster: string): Record<string, unknown> => ({
      cluster,
      fromGateways: false,
      caller: "istiod (remote secret)",
    });
    expect(plan.requirements["gcp-c1"]?.apiClients).toEqual([istiod("aws-c0"), istiod("aws-c2")]);
    expect(plan.requirements["aws-c2"]?.apiClients).toEqual([istiod("aws-c0"), istiod("gcp-c1")]);
  });

  it("submariner: only the broker's API server is called, by every member (its own cluster too), also from gateways", () => {
    const clusters = [clusterInput(1), clusterInput(0), clusterInput(2)];
    const plan = planFleet(specFrom({ mesh: "submariner", clusters, submariner: { brokerCluster: "gcp-c1" } }));
    const member = (cluster: string): Record<string, unknown> => ({
      cluster,
      fromGateways: true,
      caller: "Submariner (broker)",
    });
    expect(plan.requirements["gcp-c1"]?.apiClients).toEqual([member("aws-c0"), member("aws-c2"), member("gcp-c1")]);
    expect(plan.requirements["aws-c0"]?.apiClients).toEqual([]);
    const dedicated = planFleet(
      specFrom({ mesh: "submariner", clusters, submariner: { brokerCluster: "gcp-c1", dedicatedBrokerCluster: true } }),
    );
    expect(dedicated.requirements["gcp-c1"]?.apiClients.map((c) => c.cluster)).toEqual(["aws-c0", "aws-c2"]);
  });

  it("refuses a private-only GKE endpoint that peers must call, naming the key; allows it where nobody calls", () => {
    const privateGcp = clusterInput(1, { gcp: { project: "acme-platform-dev", privateEndpoint: true } });
    expect(() =>
      planFleet(specFrom({ mesh: "istio", clusters: [clusterInput(0), privateGcp, clusterInput(2)] })),
    ).toThrow(
      "multicluster-mesh:clusters[1].gcp.privateEndpoint: the API server would have no public endpoint, yet aws-c0, " +
        "aws-c2 must reach it (istiod (remote secret)) from outside its network (true) — set it to false and restrict " +
        "the public endpoint with gcp.authorizedNetworks: the program adds those clusters' addresses",
    );
    // Alone, or a Submariner member that does not host the broker: nobody calls it.
    expect(() => planFleet(specFrom({ mesh: "istio", clusters: [privateGcp] }))).not.toThrow();
    expect(() =>
      planFleet(
        specFrom({
          mesh: "submariner",
          clusters: [clusterInput(0), privateGcp],
          submariner: { brokerCluster: "aws-c0" },
        }),
      ),
    ).not.toThrow();
    expect(() =>
      planFleet(
        specFrom({
          mesh: "submariner",
          clusters: [clusterInput(0), privateGcp],
          submariner: { brokerCluster: "gcp-c1" },
        }),
      ),
    ).toThrow(
      "clusters[1].gcp.privateEndpoint: the API server would have no public endpoint, yet aws-c0 must reach it",
    );
  });
});
