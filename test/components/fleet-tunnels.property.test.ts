/**
 * Over random Submariner fleets (AWS, GCP and existing clusters, random slots, order and gateway count), the whole
 * program under mocks: every cluster admits the tunnel ports (IKE, NAT-T, NAT discovery, ESP) exactly from each
 * other member's gateway address pool, one /32 per address (EKS: in one prefix list; GKE: in one rule's sources), and from nothing else.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { fleetProgram } from "../../program";
import { type ClusterInput, parseFleetSpec } from "../../plan/spec";
import { answerResource } from "../../tools/mock-answers";
import { byName, byType, type MockRun, type RecordedResource, runUnderMocks } from "../../tools/mock-runtime";
import { clusterInput } from "../support/fixtures";

const TUNNEL_KEYS = ["ipsec-nat-t", "nat-discovery", "ike", "esp"];
const SG_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const FIREWALL = "gcp:compute/firewall:Firewall";

interface Gen {
  readonly slot: number;
  readonly existing: boolean;
}

const fleetArb = fc.record({
  clusters: fc.uniqueArray(fc.record({ slot: fc.integer({ min: 0, max: 30 }), existing: fc.boolean() }), {
    selector: (g) => g.slot,
    minLength: 2,
    maxLength: 4,
  }),
  count: fc.integer({ min: 1, max: 2 }),
});

function toInput(g: Gen): ClusterInput {
  if (!g.existing) {
    return clusterInput(g.slot);
  }
  const name = `kind-c${g.slot}`;
  return {
    name,
    cloud: "existing",
    region: "on-prem",
    zones: ["rack-1", "rack-2"],
    slot: g.slot,
    cidrs: { nodes: `172.20.${g.slot}.0/24`, pods: `10.${g.slot}.64.0/18`, services: `10.${g.slot}.128.0/18` },
    existing: {
      kubeconfig: kubeconfigFor(name),
      endpoint: `https://${name}.example.com`,
      gatewayAddresses: [`192.0.2.${g.slot}/32`, `192.0.2.${100 + g.slot}/32`],
    },
  };
}

/** A kubeconfig whose current context is the cluster (an API server in its node range, a stand-in CA). */
function kubeconfigFor(name: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: `https://${name}.example.com`, "certificate-authority-data": "Q0E=" } }],
    contexts: [{ name, context: { cluster: name, user: "admin" } }],
    "current-context": name,
    users: [{ name: "admin", user: { token: "t" } }],
  });
}

/** The address the mock cloud gives a reserved pool address, as a /32. */
function poolSource(r: RecordedResource): string {
  const state = answerResource({ type: r.type, name: r.name, inputs: r.inputs, providerInputs: {} }).state;
  return `${String(state["publicIp"] ?? state["address"])}/32`;
}

/** Each cluster's gateway sources, in pool order: its reserved addresses, or an existing cluster's declared ones. */
function poolsOf(run: MockRun, clusters: readonly ClusterInput[]): Record<string, string[]> {
  const reserved = [...byType(run, "aws:ec2/eip:Eip"), ...byType(run, "gcp:compute/address:Address")];
  return Object.fromEntries(
    clusters.map((c) => {
      const declared = c.existing?.gatewayAddresses;
      if (declared !== undefined) {
        return [c.name, [...declared]];
      }
      const own = reserved
        .map((r) => ({ r, n: new RegExp(`^${c.name}-gateway-(?:eip|ip)-(\\d+)$`).exec(r.name)?.[1] }))
        .filter((x) => x.n !== undefined)
        .sort((a, b) => Number(a.n) - Number(b.n));
      return [c.name, own.map((x) => poolSource(x.r))];
    }),
  );
}

describe("tunnel ports over random Submariner fleets", () => {
  it("every cluster admits them exactly from each peer's pool, named by peer, and from nothing else", async () => {
    await fc.assert(
      fc.asyncProperty(fleetArb, async ({ clusters: gens, count }) => {
        const clusters = gens.map(toInput);
        const spec = parseFleetSpec({ mesh: "submariner", clusters, submariner: { gatewayNodes: { count } } }, "test");
        const run = await runUnderMocks(() => fleetProgram(spec), { project: "multicluster-mesh", stack: "test" });
        const pools = poolsOf(run, clusters);
        for (const c of clusters) {
          // Every member's pool holds one address more than its gateway nodes.
          expect(pools[c.name], c.name).toHaveLength(c.existing === undefined ? count + 1 : 2);
        }
        const peersOf = (name: string): string[] =>
          clusters
            .map((c) => c.name)
            .filter((p) => p !== name)
            .sort();
        for (const c of clusters.filter((x) => x.cloud === "aws")) {
          // One prefix list of the peers' addresses (peers by name, each pool in order), one rule per port from it.
          const list = byName(run, `${c.name}-peer-gateways`);
          expect((list.inputs["entries"] as { cidr: string }[]).map((e) => e.cidr)).toEqual(
            peersOf(c.name).flatMap((peer) => pools[peer] ?? []),
          );
          const rules = byType(run, SG_RULE).filter(
            (r) => r.name.startsWith(`${c.name}-gateway-sg-`) && r.inputs["ipProtocol"] !== "51",
          );
          expect(rules.map((r) => r.name).sort()).toEqual(
            TUNNEL_KEYS.map((key) => `${c.name}-gateway-sg-${key}`).sort(),
          );
          for (const r of rules) {
            expect(r.propertyDependencies?.["prefixListId"], r.name).toEqual([list.urn]);
            expect(r.inputs["cidrIpv4"], r.name).toBeUndefined();
          }
        }
        for (const c of clusters.filter((x) => x.cloud === "gcp")) {
          const rules = byType(run, FIREWALL).filter((r) => r.name.startsWith(`${c.name}-tunnel-`));
          expect(Object.fromEntries(rules.map((r) => [r.name, r.inputs["sourceRanges"]]))).toEqual({
            [`${c.name}-tunnel-peers`]: peersOf(c.name).flatMap((peer) => pools[peer] ?? []),
          });
        }
        // Nothing admits IKE, NAT-T, NAT discovery or ESP from anywhere.
        for (const r of [...byType(run, SG_RULE), ...byType(run, FIREWALL)]) {
          expect(r.inputs["cidrIpv4"], r.name).not.toBe("0.0.0.0/0");
          expect(r.inputs["sourceRanges"] ?? [], r.name).not.toContain("0.0.0.0/0");
        }
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});
