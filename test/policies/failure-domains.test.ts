/**
 * The failure-domain breaks a reviewer found passing a prod preview: existing clusters judged by their declared
 * facts, egress with a single point of failure, two clouds in one metro, locality failover off. Each is stopped in
 * prod (mandatory), advisory where the environment's config says so, and the shipped fleets pass.
 */
import { zonesOf } from "../../plan/regions";
import { describe, expect, it } from "vitest";
import dev from "../../policies/config/dev.json";
import local from "../../policies/config/local.json";
import prod from "../../policies/config/prod.json";
import staging from "../../policies/config/staging.json";
import { violationsFor } from "../../tools/policy-runner";
import { clusters, edit, istioSpec, type RawCluster, record, stackSpec, submarinerSpec, urnIn } from "./support";

type Raw = Record<string, unknown>;

/** The violations of one rule under a shipped environment config. */
async function under(
  config: Record<string, unknown>,
  run: Awaited<ReturnType<typeof record>>,
  policy: string,
): Promise<{ enforcement: string; message: string }[]> {
  return violationsFor(run, config)
    .filter((v) => v.policy === policy)
    .map((v) => ({ enforcement: v.enforcement, message: v.message }));
}

/** The shipped local stack (two kind clusters), its clusters edited. */
function localSpec(edit: (c: RawCluster[]) => RawCluster[] = (c) => c) {
  return stackSpec("local", clusters(edit));
}

/** The local stack's clusters made production-like: own regions, three zones, own node networks. */
function distinctExisting(c: RawCluster[]): RawCluster[] {
  return c.map((x, i) => ({
    ...x,
    region: `site-${i + 1}`,
    zones: ["rack-a", "rack-b", "rack-c"],
    cidrs: { ...(x["cidrs"] as Raw), nodes: `192.168.${i + 1}.0/24` },
  }));
}

describe("existing clusters: the rules read their declared region, zones and node network", () => {
  it("stops two existing clusters declaring one region in prod, and warns on the shipped local stack", async () => {
    const shared = await record(localSpec((c) => distinctExisting(c).map((x) => ({ ...x, region: "dc-1" }))));
    expect(await under(prod, shared, "distinct-regions")).toEqual([
      {
        enforcement: "mandatory",
        message:
          'clusters kind-east, kind-west: share a region, so one regional outage takes them all down ("dc-1") — move all but one of them to other regions (multicluster-mesh:clusters[].region)',
      },
    ]);
    const shipped = await record(localSpec());
    expect(await under(local, shipped, "distinct-regions")).toEqual([
      expect.objectContaining({ enforcement: "advisory", message: expect.stringContaining('("local")') }),
    ]);
    expect(await under(prod, await record(localSpec(distinctExisting)), "distinct-regions")).toEqual([]);
  });

  it("stops an existing cluster declaring a single zone in prod, at its ExistingCluster", async () => {
    const run = await record(
      localSpec((c) => distinctExisting(c).map((x, i) => (i === 0 ? { ...x, zones: ["rack-a"] } : x))),
    );
    const found = violationsFor(run, prod).filter((v) => v.policy === "nodes-span-zones");
    expect(found).toEqual([
      {
        policy: "nodes-span-zones",
        enforcement: "mandatory",
        urn: urnIn(run, "kind-east"),
        message:
          'cluster kind-east: declares its nodes in 1 zone(s), fewer than minZones 3 (["rack-a"]) — spread kind-east\'s nodes over at least 3 zones and list them in multicluster-mesh:clusters[].zones',
      },
    ]);
    expect(await under(local, await record(localSpec()), "nodes-span-zones")).toEqual([]);
  });

  it("stops existing clusters sharing one node network in prod; local.json allows it for kind", async () => {
    const run = await record(
      localSpec((c) =>
        distinctExisting(c).map((x) => ({ ...x, cidrs: { ...(x["cidrs"] as Raw), nodes: "172.18.0.0/16" } })),
      ),
    );
    expect(await under(prod, run, "vpc-per-cluster")).toEqual([
      {
        enforcement: "mandatory",
        message:
          'clusters kind-east, kind-west: declare one node network, so one network outage or misconfiguration takes them all down (["172.18.0.0/16","172.18.0.0/16"]) — run them on separate node networks and declare each in multicluster-mesh:clusters[].cidrs.nodes (a laptop stack sets allowSharedNodeNetwork in its policy config)',
      },
    ]);
    expect(await under(local, await record(localSpec()), "vpc-per-cluster")).toEqual([]);
    expect(await under(prod, await record(localSpec(distinctExisting)), "vpc-per-cluster")).toEqual([]);
  });
});

describe("egress-per-zone", () => {
  it("stops aws.natGateways: single in prod, advisory in dev", async () => {
    const run = await record(
      istioSpec(clusters((c) => [{ ...(c[0] as RawCluster), aws: { natGateways: "single" } }, c[1] as RawCluster])),
    );
    const message =
      'cluster aws-use1: egresses through 1 NAT gateway(s) for 3 zones, so losing that zone cuts the whole cluster\'s egress, including its traffic to the other clusters (["aws-use1-nat"]) — set multicluster-mesh:clusters[].aws.natGateways to per-zone (one NAT gateway in every zone)';
    expect(await under(prod, run, "egress-per-zone")).toEqual([{ enforcement: "mandatory", message }]);
    expect(await under(dev, run, "egress-per-zone")).toEqual([{ enforcement: "advisory", message }]);
  });

  it("stops a Cloud NAT on a single reserved address in prod, and passes automatic allocation", async () => {
    const run = await record(istioSpec());
    const nat = "gcp-usc1-nat";
    const single = edit(run)
      .set(nat, "natIps", [(edit(run).get(nat, "natIps") as unknown[])[0]])
      .run();
    expect(await under(prod, single, "egress-per-zone")).toEqual([
      {
        enforcement: "mandatory",
        message:
          "cluster gcp-usc1: Cloud NAT egresses through 1 reserved address(es), fewer than minNatAddresses 2: no headroom, so exhausting its ports cuts the cluster's egress (gcp-usc1-nat) — reserve at least 2 addresses for the Cloud NAT (the GcpNetwork component reserves two)",
      },
    ]);
    const auto = edit(run).set(nat, "natIpAllocateOption", "AUTO_ONLY").set(nat, "natIps", undefined).run();
    expect(await under(prod, auto, "egress-per-zone")).toEqual([]);
  });

  it("passes the shipped fleets, whose egress is per zone with headroom", async () => {
    for (const config of [dev, staging, prod]) {
      expect(await under(config, await record(istioSpec()), "egress-per-zone")).toEqual([]);
      expect(await under(config, await record(submarinerSpec()), "egress-per-zone")).toEqual([]);
    }
  });
});

describe("distinct-metros", () => {
  /** prod's aws-use1 (us-east-1, northern Virginia) with its GCP cluster moved to a region given. */
  const gcpIn = (region: string) =>
    record(
      istioSpec(
        clusters((c) => [
          c[0] as RawCluster,
          { ...(c[1] as RawCluster), region, zones: (zonesOf("gcp", region) ?? []).slice(0, 3) },
        ]),
      ),
    );

  it("stops AWS us-east-1 and GCP us-east4 (both northern Virginia) in staging and prod, advisory in dev", async () => {
    const run = await gcpIn("us-east4");
    const message =
      'clusters aws-use1, gcp-usc1: are in one metro area (Northern Virginia), so one power, network or disaster event there takes them all down (["aws us-east-1","gcp us-east4"]) — move all but one of them to regions in other metros (multicluster-mesh:clusters[].region)';
    expect(await under(prod, run, "distinct-metros")).toEqual([{ enforcement: "mandatory", message }]);
    expect(await under(staging, run, "distinct-metros")).toEqual([{ enforcement: "mandatory", message }]);
    expect(await under(dev, run, "distinct-metros")).toEqual([{ enforcement: "advisory", message }]);
  });

  it("passes regions in different metros (us-east-1 and us-east1, South Carolina), and the shipped fleets", async () => {
    expect(await under(prod, await gcpIn("us-east1"), "distinct-metros")).toEqual([]);
    expect(await under(prod, await record(stackSpec("prod")), "distinct-metros")).toEqual([]);
    expect(await under(prod, await record(submarinerSpec()), "distinct-metros")).toEqual([]);
  });
});

describe("locality-failover", () => {
  it("stops istio.localityFailover: false in prod, advisory in dev, and passes the default", async () => {
    const off = await record(
      istioSpec((raw) => ({ ...raw, istio: { ...(raw["istio"] as Raw), localityFailover: false } })),
    );
    const message =
      "clusters aws-use1, gcp-usc1: run without locality failover, so when a cluster's endpoints fail its callers are not sent to another cluster (meshConfig.localityLbSetting.enabled is not true) — set multicluster-mesh:istio.localityFailover to true (the default)";
    expect(await under(prod, off, "locality-failover")).toEqual([{ enforcement: "mandatory", message }]);
    expect(await under(dev, off, "locality-failover")).toEqual([{ enforcement: "advisory", message }]);
    expect(await under(prod, await record(istioSpec()), "locality-failover")).toEqual([]);
    expect(await under(prod, await record(submarinerSpec()), "locality-failover")).toEqual([]);
  });
});
