import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runVerifyCommand, type VerifyResult } from "../../../tools/verify/command";
import type { CheckResult, VerifyDocument } from "../../../tools/verify/report";
import { cacertsData, intermediateCa, rootCa } from "./certificates";
import {
  AWS_GATEWAY_HOST,
  AWS_GATEWAY_IPS,
  type Certificates,
  certificates,
  CLUSTERS,
  type ClusterName,
  ISTIOD_POD,
  istioCluster,
  istioOutputs,
  NOW,
  PATHS,
  remoteSecret,
} from "./istio-fleet";
import { closedAddress, type StandIn, startSilentStandIn, startStandIn } from "./stand-in";

const scratch = mkdtempSync(join(tmpdir(), "verify-istio-"));
let certs: Certificates;
let running: StandIn[] = [];

beforeAll(async () => {
  certs = await certificates();
});

afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

type World = Record<ClusterName, Map<string, unknown>>;

function healthyWorld(): World {
  return { "aws-use1": istioCluster("aws-use1", certs), "gcp-usc1": istioCluster("gcp-usc1", certs) };
}

interface Run {
  readonly result: VerifyResult;
  readonly doc: VerifyDocument | undefined;
  readonly progress: string[];
  readonly standIns: Record<ClusterName, StandIn | undefined>;
}

/** Starts a stand-in per cluster (or uses the given server), writes the outputs file, runs verify. */
async function verify(
  world: World,
  args: string[] = [],
  servers: Partial<Record<ClusterName, string>> = {},
): Promise<Run> {
  const standIns: Partial<Record<ClusterName, StandIn>> = {};
  const urls: Partial<Record<ClusterName, string>> = { ...servers };
  for (const c of CLUSTERS) {
    if (urls[c] === undefined) {
      const s = await startStandIn(Object.fromEntries(world[c]));
      running.push(s);
      standIns[c] = s;
      urls[c] = s.url;
    }
  }
  const file = join(scratch, `outputs-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(istioOutputs(urls as Record<ClusterName, string>, certs.root)));
  const progress: string[] = [];
  const result = await runVerifyCommand(["--stack", "dev", "--outputs", file, "--format", "json", ...args], {
    progress: (line) => progress.push(line),
    resolveHost: (host) => Promise.resolve(host === AWS_GATEWAY_HOST ? AWS_GATEWAY_IPS : []),
    now: () => NOW,
    pulumiOutputs: () => Promise.reject(new Error("the outputs file is given; the Pulumi CLI must not be asked")),
  });
  const doc = args.includes("--format") ? undefined : (JSON.parse(result.stdout) as VerifyDocument);
  return { result, doc, progress, standIns: { "aws-use1": standIns["aws-use1"], "gcp-usc1": standIns["gcp-usc1"] } };
}

function failures(doc: VerifyDocument | undefined): Omit<CheckResult, "ok">[] {
  return (doc?.failures ?? []).map(({ cluster, peer, check, reason }) => ({ cluster, peer, check, reason }));
}

describe("npm run verify on a healthy Istio fleet", () => {
  it("passes every check, exits 0 and reports every link ok", async () => {
    const { result, doc, progress, standIns } = await verify(healthyWorld());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(doc?.healthy).toBe(true);
    expect(doc?.failures).toEqual([]);
    expect(doc?.links).toEqual([
      { from: "aws-use1", to: "gcp-usc1", status: "ok" },
      { from: "gcp-usc1", to: "aws-use1", status: "ok" },
    ]);
    const checks = doc?.checks.filter((c) => c.cluster === "gcp-usc1").map((c) => [c.check, c.peer, c.reason]);
    expect(checks).toEqual([
      ["access", null, expect.stringMatching(/^read through stack outputs \(http:\/\/127\.0\.0\.1:\d+\)$/)],
      ["istiod", null, "istiod 1.28.0, revision default, 1/1 ready"],
      [
        "cacerts",
        null,
        expect.stringMatching(/^intermediate signed by the environment's root, pathlen:0, valid until 2036-11-2\d$/),
      ],
      ["eastwest-gateway", null, "east-west gateway ready at 203.0.113.79"],
      ["remote-secret", "aws-use1", "Secret istio-system/istio-remote-secret-aws-use1 present"],
      ["remote-sync", "aws-use1", "aws-use1 synced"],
      ["gateway-address", "aws-use1", `aws-use1 via ${AWS_GATEWAY_HOST}`],
    ]);
    expect(progress).toHaveLength(2);
    expect(progress.every((l) => /^verify \[\d\/2\] (aws-use1|gcp-usc1): read in \d+\.\d s$/.test(l))).toBe(true);
    // It asked istiod through the API server's pod proxy, as istioctl remote-clusters asks each istiod, and only read.
    const asked = standIns["gcp-usc1"]?.requests ?? [];
    expect(asked).toContain(`GET ${PATHS.clusterz(ISTIOD_POD["gcp-usc1"])}`);
    const podList = asked.find((r) => r.startsWith(`GET ${PATHS.pods}?`)) ?? "";
    const query = new URLSearchParams(podList.slice(podList.indexOf("?") + 1));
    expect([query.get("labelSelector"), query.get("fieldSelector")]).toEqual([
      "app=istiod,istio.io/rev=default",
      "status.phase=Running",
    ]);
    expect(asked.every((r) => r.startsWith("GET "))).toBe(true);
  });

  it("prints a text matrix and a markdown report with a Mermaid diagram", async () => {
    const text = await verify(healthyWorld(), ["--format", "text"]);
    expect(text.result.code).toBe(0);
    expect(text.result.stdout).toContain("fleet dev (istio): healthy\n");
    expect(text.result.stdout).toContain(
      ["from \\ to  aws-use1  gcp-usc1", "aws-use1   -         ok", "gcp-usc1   ok        -", ""].join("\n"),
    );
    const markdown = await verify(healthyWorld(), ["--format", "markdown"]);
    expect(markdown.result.stdout).toContain("## Fleet health: dev (istio): ✅ healthy");
    expect(markdown.result.stdout).toContain("| **aws-use1** | — | ✅ ok |");
    expect(markdown.result.stdout).toContain("  c_aws_use1 -->|ok| c_gcp_usc1\n");
    expect(markdown.result.stdout).toContain("  linkStyle 0 stroke:#2ca02c,stroke-width:2px\n");
  });
});

describe("npm run verify reports each Istio failure with its cluster, check and reason (exit 1)", () => {
  it("a missing remote secret", async () => {
    const world = healthyWorld();
    world["gcp-usc1"].delete(PATHS.remoteSecret("aws-use1"));
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    expect(failures(doc)).toEqual([
      {
        cluster: "gcp-usc1",
        peer: "aws-use1",
        check: "remote-secret",
        reason:
          "Secret istio-system/istio-remote-secret-aws-use1 not found — this cluster's istiod cannot read aws-use1; run pulumi up to create it",
      },
    ]);
    expect(doc?.links).toContainEqual({ from: "gcp-usc1", to: "aws-use1", status: "broken" });
    expect(doc?.links).toContainEqual({ from: "aws-use1", to: "gcp-usc1", status: "ok" });
    const text = await verify(world, ["--format", "text"]);
    expect(text.result.code).toBe(1);
    expect(text.result.stdout).toContain("fleet dev (istio): BROKEN, 1 failure\n");
    expect(text.result.stdout).toContain("gcp-usc1   BROKEN    -\n");
    expect(text.result.stdout).toContain(
      "failures:\n  gcp-usc1 → aws-use1  remote-secret  Secret istio-system/istio-remote-secret-aws-use1 not found — ",
    );
  });

  it("a remote secret pointing at the wrong API server", async () => {
    const world = healthyWorld();
    world["aws-use1"].set(PATHS.remoteSecret("gcp-usc1"), remoteSecret("gcp-usc1", "https://203.0.113.9"));
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    expect(failures(doc)).toEqual([
      {
        cluster: "aws-use1",
        peer: "gcp-usc1",
        check: "remote-secret",
        reason:
          "Secret istio-system/istio-remote-secret-gcp-usc1 points at https://203.0.113.9, but gcp-usc1's API server is https://203.0.113.161 — run pulumi up to rewrite it",
      },
    ]);
  });

  it("a peer not synced", async () => {
    const world = healthyWorld();
    world["aws-use1"].set(PATHS.clusterz(ISTIOD_POD["aws-use1"]), [
      { id: "aws-use1", secretName: "", syncStatus: "synced" },
      { id: "gcp-usc1", secretName: "istio-system/istio-remote-secret-gcp-usc1", syncStatus: "timeout" },
    ]);
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    expect(failures(doc)).toEqual([
      {
        cluster: "aws-use1",
        peer: "gcp-usc1",
        check: "remote-sync",
        reason:
          "istiod pod istiod-7d4b9c8f6-x2k4q reports gcp-usc1 as timeout — it cannot finish reading gcp-usc1's API server (reachability, token, RBAC)",
      },
    ]);
  });

  it("a gateway without an address", async () => {
    const world = healthyWorld();
    const service = world["gcp-usc1"].get(PATHS.gatewayService) as Record<string, unknown>;
    world["gcp-usc1"].set(PATHS.gatewayService, { ...service, status: { loadBalancer: {} } });
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    expect(failures(doc)).toEqual([
      {
        cluster: "gcp-usc1",
        peer: null,
        check: "eastwest-gateway",
        reason:
          "Service istio-system/istio-eastwestgateway has no load balancer address — check its events (kubectl -n istio-system describe svc istio-eastwestgateway): on EKS the AWS Load Balancer Controller, on GKE the subnet's quota",
      },
    ]);
    expect(doc?.links).toEqual([
      { from: "aws-use1", to: "gcp-usc1", status: "broken" },
      { from: "gcp-usc1", to: "aws-use1", status: "broken" },
    ]);
  });

  it("istiod sending a peer's traffic to an address its gateway no longer has", async () => {
    const world = healthyWorld();
    const networkz = world["aws-use1"].get(PATHS.networkz(ISTIOD_POD["aws-use1"])) as {
      Network: string;
      Addr: string;
    }[];
    world["aws-use1"].set(
      PATHS.networkz(ISTIOD_POD["aws-use1"]),
      networkz.map((g) => (g.Network === "gcp-usc1" ? { ...g, Addr: "203.0.113.50" } : g)),
    );
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    expect(failures(doc)).toEqual([
      {
        cluster: "aws-use1",
        peer: "gcp-usc1",
        check: "gateway-address",
        reason:
          "istiod pod istiod-7d4b9c8f6-x2k4q sends gcp-usc1 traffic to 203.0.113.50, but gcp-usc1's east-west load balancer is 203.0.113.79",
      },
    ]);
  });

  it("an expiring intermediate", async () => {
    const world = healthyWorld();
    const expiring = await intermediateCa(certs.root, "aws-use1", NOW, 10);
    world["aws-use1"].set(PATHS.cacerts, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cacerts" },
      data: cacertsData(expiring, certs.root),
    });
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    const day = new Date(NOW.getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(failures(doc)).toEqual([
      {
        cluster: "aws-use1",
        peer: null,
        check: "cacerts",
        reason: `intermediate CA (O=Istio, CN=Intermediate CA, L=aws-use1) expires on ${day}, in 10 days (window 30) — rotate it (README "Trust")`,
      },
    ]);
    // A window of 5 days accepts it.
    expect((await verify(world, ["--expiry-days", "5"])).result.code).toBe(0);
  });

  it("an intermediate without path length 0 (as the tls provider alone writes it), and one allowing 1", async () => {
    for (const [pathLength, what] of [
      [null, "no path-length constraint"],
      [1, "path length 1"],
    ] as const) {
      const world = healthyWorld();
      const unconstrained = await intermediateCa(certs.root, "aws-use1", NOW, 3650, pathLength);
      world["aws-use1"].set(PATHS.cacerts, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "cacerts" },
        data: cacertsData(unconstrained, certs.root),
      });
      const { result, doc } = await verify(world);
      expect(result.code).toBe(1);
      expect(failures(doc)).toEqual([
        {
          cluster: "aws-use1",
          peer: null,
          check: "cacerts",
          reason: `intermediate CA (O=Istio, CN=Intermediate CA, L=aws-use1) has ${what}, so it could sign further CAs — re-run pulumi up to re-issue it with pathlen:0, or bring one issued with basicConstraints = critical, CA:true, pathlen:0`,
        },
      ]);
    }
  });

  it("a foreign intermediate", async () => {
    const world = healthyWorld();
    const foreignRoot = await rootCa("Other Root CA", NOW);
    const foreign = await intermediateCa(foreignRoot, "gcp-usc1", NOW, 3650);
    world["gcp-usc1"].set(PATHS.cacerts, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "cacerts" },
      data: cacertsData(foreign, foreignRoot),
    });
    const { result, doc } = await verify(world);
    expect(result.code).toBe(1);
    expect(failures(doc)).toEqual([
      {
        cluster: "gcp-usc1",
        peer: null,
        check: "cacerts",
        reason:
          "intermediate CA (O=Istio, CN=Intermediate CA, L=gcp-usc1) is not signed by the environment's root (issuer: O=Istio, CN=Other Root CA) — cross-cluster mTLS fails; re-issue it from the environment's root (pulumi up) or fix trust.intermediates",
      },
    ]);
  });

  it("an unreachable cluster, while the other is still checked", async () => {
    const { result, doc, progress } = await verify(healthyWorld(), [], { "gcp-usc1": await closedAddress() });
    expect(result.code).toBe(1);
    const [unreachable, ...rest] = failures(doc);
    expect(unreachable).toMatchObject({ cluster: "gcp-usc1", peer: null, check: "access" });
    expect(unreachable?.reason).toMatch(
      /^cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.* — is the API server up and reachable from here\?$/,
    );
    expect(rest).toEqual([]);
    expect(doc?.checks.filter((c) => c.cluster === "aws-use1" && c.ok).map((c) => c.check)).toEqual([
      "access",
      "istiod",
      "cacerts",
      "eastwest-gateway",
      "remote-secret",
      "remote-sync",
    ]);
    expect(doc?.links).toEqual([
      { from: "aws-use1", to: "gcp-usc1", status: "unknown" },
      { from: "gcp-usc1", to: "aws-use1", status: "unknown" },
    ]);
    expect(progress).toContainEqual(expect.stringMatching(/^verify \[\d\/2\] gcp-usc1: unreachable: cannot reach/));
  });

  it("a cluster that never answers, cut off by the per-cluster timeout", async () => {
    const silent = await startSilentStandIn();
    running.push(silent);
    const started = Date.now();
    const { result, doc } = await verify(healthyWorld(), ["--timeout", "0.5"], { "aws-use1": silent.url });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.code).toBe(1);
    expect(failures(doc)).toEqual([
      {
        cluster: "aws-use1",
        peer: null,
        check: "access",
        reason: "no answer within 0.5 s (--timeout) — is the API server up and reachable from here?",
      },
    ]);
    expect(silent.requests.length).toBeGreaterThan(0);
    expect(doc?.checks.filter((c) => c.cluster === "gcp-usc1").every((c) => c.ok)).toBe(true);
  });
});
