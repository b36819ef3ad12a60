/**
 * GKE's limit on authorized networks, checked before anything is built: the program adds the egress (and, for
 * Submariner, gateway) addresses of every cluster that calls a restricted GKE API server, and the count it checks is
 * the count the clouds' networks reserve.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFleet } from "../../plan";
import { CLOUD_TRAITS } from "../../plan/cloud";
import { GCP_NAT_ADDRESSES } from "../../plan/cloud/gcp";
import { GKE_AUTHORIZED_NETWORKS_LIMIT } from "../../plan/control-plane-reach";
import { renderIssue } from "../../plan/issues";
import { parseFleetSpec } from "../../plan/spec";
import { NAT_ADDRESS_SUFFIXES } from "../../components/cloud/gcp/gcp-network";
import { PROJECT_ROOT } from "../../tools/plan-command";
import { syntheticFleetConfig } from "../../tools/synthetic-fleet";

/** An Istio fleet of `n` synthetic clusters whose GKE clusters restrict their API servers to one office range. */
function restricted(n: number): ReturnType<typeof parseFleetSpec> {
  const raw = syntheticFleetConfig(n);
  const clusters = (raw["clusters"] as Record<string, unknown>[]).map((c) =>
    c["cloud"] === "gcp"
      ? { ...c, gcp: { ...(c["gcp"] as object), authorizedNetworks: [{ name: "office", cidr: "198.51.100.0/24" }] } }
      : c,
  );
  return parseFleetSpec({ ...raw, clusters }, "limits");
}

describe("GKE authorized networks", () => {
  it("refuses a restricted GKE control plane whose callers would take it past GKE's 100, naming the key", () => {
    expect(GKE_AUTHORIZED_NETWORKS_LIMIT).toBe(100);
    // 40 clusters: 20 EKS peers × 3 NAT addresses + 19 GKE peers × 2 + 1 configured = 99.
    expect(checkFleet(restricted(40))).toEqual([]);
    const issues = checkFleet(restricted(41));
    expect(issues).toHaveLength(20); // every GKE cluster of the 41
    expect(renderIssue(issues[0] as (typeof issues)[number])).toBe(
      "multicluster-mesh:clusters[1].gcp.authorizedNetworks: the control plane of GKE cluster gcp-01 would need 102 authorized networks (1 configured, 101 for the egress and gateway addresses of the clusters that call it), more than GKE's 100 for a private cluster (1) — configure fewer networks (e.g. one wider office range), or split the fleet into smaller environments",
    );
  });

  it("counts the egress addresses the networks reserve: a NAT address per AWS zone (or one), GCP's two", () => {
    expect(GCP_NAT_ADDRESSES).toBe(NAT_ADDRESS_SUFFIXES.length);
    const prod = JSON.parse(readFileSync(join(PROJECT_ROOT, "test/program/plans/prod.json"), "utf8")) as {
      resources: { type: string; name: string }[];
    };
    const spec = parseFleetSpec(
      { mesh: "istio", clusters: syntheticFleetConfig(2)["clusters"] as unknown[] },
      "limits",
    );
    const [aws, gcp] = spec.clusters;
    expect(CLOUD_TRAITS.aws.egressAddresses(aws as never)).toBe(3);
    expect(CLOUD_TRAITS.aws.egressAddresses({ ...(aws as object), aws: { natGateways: "single" } } as never)).toBe(1);
    expect(CLOUD_TRAITS.gcp.egressAddresses(gcp as never)).toBe(2);
    expect(CLOUD_TRAITS.existing.egressAddresses(gcp as never)).toBe(0);
    // The shipped prod stack: per-zone NAT on its EKS clusters (3 zones), two NAT addresses per GKE cluster.
    const eips = prod.resources.filter((r) => r.type === "aws:ec2/eip:Eip" && r.name.includes("-nat-eip-"));
    const nat = prod.resources.filter((r) => r.type === "gcp:compute/address:Address" && r.name.includes("-nat-ip"));
    expect(eips.length % 3).toBe(0);
    expect(nat.length % GCP_NAT_ADDRESSES).toBe(0);
    expect(eips.length).toBeGreaterThan(0);
    expect(nat.length).toBeGreaterThan(0);
  });
});
