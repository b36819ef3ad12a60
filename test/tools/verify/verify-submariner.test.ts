import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runVerifyCommand } from "../../../tools/verify/command";
import type { VerifyDocument } from "../../../tools/verify/report";
import { closedAddress, type StandIn, startStandIn } from "./stand-in";
import {
  BROKER,
  clusterObject,
  connection,
  gateway,
  listOf,
  MEMBERS,
  type MemberName,
  PATHS,
  submarinerFleet,
  submarinerOutputs,
} from "./submariner-fleet";

const scratch = mkdtempSync(join(tmpdir(), "verify-submariner-"));
let running: StandIn[] = [];

afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

async function verify(
  world: Record<MemberName, Map<string, unknown>>,
  format = "json",
  given: Partial<Record<MemberName, string>> = {},
) {
  const servers = { ...given } as Record<MemberName, string>;
  for (const m of MEMBERS.filter((m) => given[m.cluster] === undefined)) {
    const s = await startStandIn(Object.fromEntries(world[m.cluster]));
    running.push(s);
    servers[m.cluster] = s.url;
  }
  const file = join(scratch, `outputs-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(submarinerOutputs(servers)));
  const result = await runVerifyCommand(["--outputs", file, "--format", format], {
    pulumiOutputs: () => Promise.reject(new Error("the outputs file is given; the Pulumi CLI must not be asked")),
  });
  return { result, doc: format === "json" ? (JSON.parse(result.stdout) as VerifyDocument) : undefined };
}

describe("npm run verify on a Submariner fleet", () => {
  it("passes a healthy fleet: broker, registration, planned ranges, active gateways, every tunnel connected", async () => {
    const { result, doc } = await verify(submarinerFleet());
    expect(result.code).toBe(0);
    expect(doc?.environment).toBe("submariner");
    expect(doc?.clusters).toEqual(["aws-usw2", "gcp-usw1", "aws-cac1"]);
    expect(doc?.links.every((l) => l.status === "ok")).toBe(true);
    expect(doc?.links).toHaveLength(6);
    const gcp = doc?.checks.filter((c) => c.cluster === "gcp-usw1").map((c) => [c.check, c.peer, c.reason]);
    expect(gcp).toEqual([
      ["access", null, expect.stringMatching(/^read through stack outputs/)],
      ["registered", null, "Cluster and Endpoint gcp-usw1 in submariner-k8s-broker"],
      ["cidrs", null, "advertises 10.1.128.0/17 and 10.1.16.0/20"],
      ["gateway", null, "active gateway ip-10-1-0-10.gateway.internal"],
      ["tunnel", "aws-usw2", "connected to ip-10-0-112-10.gateway.internal"],
      ["tunnel", "aws-cac1", "connected to ip-10-2-112-10.gateway.internal"],
    ]);
    expect(doc?.checks).toContainEqual({
      cluster: "aws-usw2",
      peer: null,
      check: "broker",
      ok: true,
      reason: "broker namespace submariner-k8s-broker answers",
    });
  });

  it("reports a tunnel in error with Submariner's own status message, and colours that link red", async () => {
    const world = submarinerFleet();
    const [usw2, usw1, cac1] = MEMBERS;
    world["aws-cac1"].set(
      PATHS.gateways,
      listOf("Gateway", [
        gateway(cac1, [
          connection(usw2),
          connection(usw1, "error", 'Failed to successfully ping the remote endpoint IP "10.1.0.10"'),
        ]),
      ]),
    );
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    expect(doc?.failures).toEqual([
      {
        cluster: "aws-cac1",
        peer: "gcp-usw1",
        check: "tunnel",
        ok: false,
        reason:
          'tunnel to gcp-usw1 is error: Failed to successfully ping the remote endpoint IP "10.1.0.10" — check UDP 4500/4490 (and ESP) between the gateways and the IPsec pre-shared key',
      },
    ]);
    expect(doc?.links.filter((l) => l.status !== "ok")).toEqual([
      { from: "aws-cac1", to: "gcp-usw1", status: "broken" },
    ]);
    const markdown = await verify(world, "markdown");
    expect(markdown.result.code).toBe(1);
    // Links in order: usw2→usw1 (0), usw2→cac1 (1), usw1→usw2 (2), usw1→cac1 (3), cac1→usw2 (4), cac1→usw1 (5).
    expect(markdown.result.stdout).toContain("  c_aws_cac1 -->|broken| c_gcp_usw1\n");
    expect(markdown.result.stdout).toContain("  linkStyle 5 stroke:#d62728,stroke-width:3px\n");
    expect(markdown.result.stdout).toContain("| aws-cac1 | gcp-usw1 | tunnel | tunnel to gcp-usw1 is error: Failed");
  });

  it("reports a member advertising ranges other than the address plan's, and one not registered with the broker", async () => {
    const world = submarinerFleet();
    const [usw2, usw1] = MEMBERS;
    world[BROKER].set(PATHS.clusters, listOf("Cluster", [clusterObject(usw2, "10.0.0.0/16"), clusterObject(usw1)]));
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    expect(doc?.failures.map((f) => [f.cluster, f.check, f.reason])).toEqual([
      [
        "aws-usw2",
        "cidrs",
        "advertises cluster_cidr 10.0.0.0/16, planned 100.64.0.0/18 — routes to it are wrong; re-run pulumi up (the operator takes clusterCidr and serviceCidr from the plan)",
      ],
      [
        "aws-cac1",
        "registered",
        "no Cluster for aws-cac1 in the broker's submariner-k8s-broker — the operator has not joined: check the submariner-operator logs, the broker token and that aws-usw2's API server is reachable from aws-cac1",
      ],
    ]);
  });

  it("reports an unreachable broker cluster and leaves the links it cannot judge unknown", async () => {
    const { result, doc } = await verify(submarinerFleet(), "json", { "aws-usw2": await closedAddress() });
    expect(result.code).toBe(1);
    expect(doc?.failures.map((f) => [f.cluster, f.check])).toEqual([["aws-usw2", "access"]]);
    expect(doc?.links).toEqual([
      { from: "aws-usw2", to: "gcp-usw1", status: "unknown" },
      { from: "aws-usw2", to: "aws-cac1", status: "unknown" },
      { from: "gcp-usw1", to: "aws-usw2", status: "unknown" },
      { from: "gcp-usw1", to: "aws-cac1", status: "ok" },
      { from: "aws-cac1", to: "aws-usw2", status: "unknown" },
      { from: "aws-cac1", to: "gcp-usw1", status: "ok" },
    ]);
    // Without the broker nothing is said about registration; the tunnels are still read from each member.
    expect(doc?.checks.some((c) => c.check === "registered" || c.check === "broker")).toBe(false);
    expect(doc?.checks.filter((c) => c.check === "tunnel" && c.cluster === "gcp-usw1").every((c) => c.ok)).toBe(true);
  });
});
