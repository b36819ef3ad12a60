/**
 * The benchmark's fast parts: the synthetic fleet generator, argument parsing and the report. Timing itself is
 * measured by `npm run bench`, never in tests.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as kubernetes from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../plan/issues";
import { parseFleetSpec } from "../../plan/spec";
import {
  type BenchRow,
  GOALS,
  defaultSizes,
  fleetLimit,
  MAX_SLOTS,
  type Measurement,
  memoryRatio,
  missedGoals,
  parseBenchArgs,
  parseChildArgs,
  parseChildOutput,
  ratio,
  refusal,
  registrationsOf,
  renderBenchJson,
  renderBenchText,
  replayProgram,
  sdkClassOf,
} from "../../tools/bench-command";
import { runUnderMocks } from "../../tools/mock-runtime";
import { fleetProgram } from "../../program";
import {
  AWS_REGIONS,
  GCP_REGIONS,
  syntheticCluster,
  syntheticFleetConfig,
  syntheticFleetSpec,
} from "../../tools/synthetic-fleet";

describe("synthetic fleets", () => {
  it.each([1, 2, 10, 25, 50])(
    "%i clusters: a valid Istio spec with unique names and slots, alternating clouds",
    (n) => {
      const spec = syntheticFleetSpec(n);
      expect(spec.mesh).toBe("istio");
      expect(spec.environment).toBe("bench");
      expect(spec.clusters).toHaveLength(n);
      expect(new Set(spec.clusters.map((c) => c.name)).size).toBe(n);
      expect(spec.clusters.map((c) => c.slot)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(spec.clusters.map((c) => c.cloud)).toEqual(
        Array.from({ length: n }, (_, i) => (i % 2 === 0 ? "aws" : "gcp")),
      );
      for (const c of spec.clusters) {
        expect(c.zones).toHaveLength(3);
        expect(c.name.length).toBeLessThanOrEqual(20);
      }
    },
  );

  it("puts every cluster in its own region while the region lists last (56 clusters)", () => {
    const most = 2 * Math.min(AWS_REGIONS.length, GCP_REGIONS.length);
    expect(most).toBeGreaterThanOrEqual(50);
    const spec = syntheticFleetSpec(most);
    expect(new Set(spec.clusters.map((c) => `${c.cloud}:${c.region}`)).size).toBe(most);
  });

  it("lists real regions once each, with zones of that region", () => {
    for (const list of [AWS_REGIONS, GCP_REGIONS]) {
      expect(new Set(list.map((r) => r.region)).size).toBe(list.length);
      for (const r of list) {
        expect(new Set(r.zones).size).toBe(3);
        for (const z of r.zones) {
          expect(z.startsWith(r.region)).toBe(true);
        }
      }
    }
    expect(AWS_REGIONS.find((r) => r.region === "ap-northeast-1")?.zones).toEqual([
      "ap-northeast-1a",
      "ap-northeast-1c",
      "ap-northeast-1d",
    ]);
    expect(GCP_REGIONS.find((r) => r.region === "us-east1")?.zones).toEqual(["us-east1-b", "us-east1-c", "us-east1-d"]);
  });

  it("describes each cluster as a stack file would", () => {
    expect(syntheticCluster(0)).toEqual({
      name: "aws-00",
      cloud: "aws",
      region: "us-east-1",
      zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
      slot: 0,
    });
    expect(syntheticCluster(3)).toEqual({
      name: "gcp-03",
      cloud: "gcp",
      region: "us-east1",
      zones: ["us-east1-b", "us-east1-c", "us-east1-d"],
      slot: 3,
      gcp: { project: "acme-fleet-bench" },
    });
  });

  it("refuses a size that is not a whole number of clusters", () => {
    expect(() => syntheticFleetConfig(0)).toThrow("fleet size must be a whole number of clusters, 1 or more (got 0)");
    expect(() => syntheticFleetConfig(2.5)).toThrow("(got 2.5)");
  });

  it("goes through the schema: defaults applied, and a broken config would throw a SpecError", () => {
    const spec = syntheticFleetSpec(3, "perf");
    expect(spec.istio.meshId).toBe("perf-mesh");
    expect(spec.clusters[1]?.network).toBe("gcp-01");
    expect(spec.clusters[0]?.aws?.natGateways).toBe("per-zone");
    // The same route rejects what a generator bug would produce, e.g. a zone outside the region.
    const broken = syntheticFleetConfig(2);
    (broken["clusters"] as { zones: string[] }[])[0]?.zones.splice(0, 1, "eu-west-1a");
    expect(() => parseFleetSpec(broken, "perf")).toThrow(SpecError);
  });
});

describe("parseBenchArgs", () => {
  it("defaults to Istio fleets over both clouds, at the default sizes, as text", () => {
    expect(parseBenchArgs([])).toEqual({ mesh: "istio", clouds: ["aws", "gcp"], format: "text" });
  });

  it("takes a mesh, clouds, sizes and a format", () => {
    expect(
      parseBenchArgs(["--mesh", "submariner", "--clouds", "gcp", "--sizes", "2, 4,4", "--format", "json"]),
    ).toEqual({
      mesh: "submariner",
      clouds: ["gcp"],
      sizes: [2, 4],
      format: "json",
    });
  });

  it("explains invalid arguments", () => {
    expect(parseBenchArgs(["--sizes", "2,x"])).toBe(
      '--sizes must list whole numbers of clusters, 1 or more, separated by commas (got "2,x")',
    );
    expect(parseBenchArgs(["--sizes", "0"])).toBe(
      '--sizes must list whole numbers of clusters, 1 or more, separated by commas (got "0")',
    );
    expect(parseBenchArgs(["--format", "csv"])).toBe('--format must be text or json (got "csv")');
    expect(parseBenchArgs(["--mesh", "linkerd"])).toBe('--mesh must be istio or submariner (got "linkerd")');
    expect(parseBenchArgs(["--clouds", "aws,azure"])).toBe(
      '--clouds must list aws and/or gcp, each once, separated by commas (got "aws,azure")',
    );
    expect(parseBenchArgs(["--clouds", "gcp,gcp"])).toMatch(/^--clouds must list/);
    expect(parseBenchArgs(["--nope"])).toMatch(/Unknown option '--nope'/);
    expect(parseBenchArgs(["--help"])).toBe("");
  });
});

const fleet: Measurement = {
  mode: "fleet",
  size: 10,
  resources: 1200,
  wallMs: 30_000,
  evalMs: 12_000,
  evalCpuMs: 11_000,
  maxRssKiB: 600 * 1024,
};
const baseline: Measurement = {
  mode: "baseline",
  size: 1200,
  resources: 1200,
  wallMs: 20_000,
  evalMs: 10_000,
  evalCpuMs: 10_000,
  maxRssKiB: 500 * 1024,
};

describe("the report", () => {
  it("reads the child's measurement from the last marked line", () => {
    const out = `warning: something\nbench-result ${JSON.stringify(fleet)}\n`;
    expect(parseChildOutput(out)).toEqual(fleet);
    expect(parseChildOutput("no result\n")).toBeUndefined();
  });

  it("computes the ratios of evaluation times and of peak memory, and the goals missed", () => {
    const row: BenchRow = { clusters: 10, fleet, baseline };
    expect(ratio(row)).toBeCloseTo(1.1, 10); // CPU time: 11 s over 10 s
    expect(ratio({ clusters: 10, fleet: { ...fleet, evalCpuMs: undefined }, baseline })).toBeCloseTo(1.2, 10);
    expect(memoryRatio(row)).toBeCloseTo(1.2, 10);
    expect(missedGoals(row)).toEqual([]);
    const slow: BenchRow = {
      clusters: 50,
      fleet: { ...fleet, wallMs: 121_000, evalCpuMs: 16_000, maxRssKiB: 2049 * 1024 },
      baseline,
    };
    expect(missedGoals(slow)).toEqual(["wall > 120 s", "RSS > 2048 MiB", "time ratio > 1.5", "RSS ratio > 1.5"]);
    expect(GOALS).toEqual({ wallSeconds: 120, peakRssMiB: 2048, ratio: 1.5 });
  });

  it("prints one aligned line per size, failures included", () => {
    const text = renderBenchText([
      { clusters: 10, fleet, baseline },
      { clusters: 50, error: "fleet 50: exit code 1\nstack trace" },
    ]);
    expect(text.split("\n")).toEqual([
      "clusters  resources  wall s  eval s  eval CPU s  peak RSS MiB  base eval s  base CPU s  base RSS MiB  ratio  RSS ratio  goals",
      "      10       1200    30.0   12.00       11.00           600        10.00       10.00           500   1.10       1.20  met",
      "      50          -       -       -           -             -            -           -             -      -          -  FAILED: fleet 50: exit code 1",
      "",
      "goals: wall <= 120 s, peak RSS <= 2048 MiB, ratio (eval CPU time / baseline eval CPU time) and RSS ratio (peak RSS / baseline peak RSS) <= 1.5",
      "",
    ]);
  });

  it("prints JSON with the ratio and the goals", () => {
    const parsed = JSON.parse(renderBenchJson([{ clusters: 10, fleet, baseline }])) as {
      goals: unknown;
      results: { clusters: number; ratio: number; memoryRatio: number; missedGoals: string[] }[];
    };
    expect(parsed.goals).toEqual(GOALS);
    expect(parsed.results[0]).toMatchObject({ clusters: 10, missedGoals: [] });
    expect(parsed.results[0]?.ratio).toBeCloseTo(1.1, 10);
    expect(parsed.results[0]?.memoryRatio).toBeCloseTo(1.2, 10);
  });
});

describe("the child's arguments", () => {
  it("reads a fleet task and a baseline task, and nothing else", () => {
    expect(parseChildArgs(["fleet", "submariner", "aws,gcp", "25", "/tmp/r.json"])).toEqual({
      mode: "fleet",
      mesh: "submariner",
      clouds: ["aws", "gcp"],
      clusters: 25,
      record: "/tmp/r.json",
    });
    expect(parseChildArgs(["fleet", "submariner", "azure", "25", "/tmp/r.json"])).toBeUndefined();
    expect(parseChildArgs(["baseline", "/tmp/r.json"])).toEqual({ mode: "baseline", record: "/tmp/r.json" });
    expect(parseChildArgs(["fleet", "linkerd", "gcp", "25", "/tmp/r.json"])).toBeUndefined();
    expect(parseChildArgs(["fleet", "istio", "gcp", "x", "/tmp/r.json"])).toBeUndefined();
    expect(parseChildArgs(["baseline"])).toBeUndefined();
    expect(parseChildArgs(["fleet", "istio", "gcp", "2"])).toBeUndefined();
  });
});

const packages = { aws, gcp, kubernetes, random, tls };

describe("the bare-SDK baseline", () => {
  it("finds the SDK class a program would use for every type the shipped stacks register", () => {
    const dir = join(__dirname, "../program/plans");
    const types = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      const plan = JSON.parse(readFileSync(join(dir, file), "utf8")) as { resources: { type: string }[] };
      for (const r of plan.resources) {
        types.add(r.type);
      }
    }
    const registered = [...types].filter((t) => !t.startsWith("multicluster-mesh:") && t !== "pulumi:pulumi:Stack");
    expect(registered.length).toBeGreaterThan(40);
    expect(registered.filter((t) => sdkClassOf(t, packages) === undefined)).toEqual([]);
    expect(sdkClassOf("aws:ec2/vpc:Vpc", packages)).toBe(aws.ec2.Vpc);
    expect(sdkClassOf("tls:index/privateKey:PrivateKey", packages)).toBe(tls.PrivateKey);
    expect(sdkClassOf("kubernetes:helm.sh/v3:Release", packages)).toBe(kubernetes.helm.v3.Release);
    expect(sdkClassOf("kubernetes:core/v1:Secret", packages)).toBe(kubernetes.core.v1.Secret);
    expect(sdkClassOf("kubernetes:networking.istio.io/v1:Gateway", packages)).toBe(
      kubernetes.apiextensions.CustomResource,
    );
    expect(sdkClassOf("pulumi:providers:gcp", packages)).toBe(gcp.Provider);
    expect(sdkClassOf("aws:ec2/noSuchThing:NoSuchThing", packages)).toBeUndefined();
    expect(sdkClassOf("nonsense", packages)).toBeUndefined();
  });

  it("replays a fleet's registrations: the same types, names, inputs and providers, flat", async () => {
    const spec = syntheticFleetSpec(2, "bench", "submariner");
    const fleet = await runUnderMocks(() => fleetProgram(spec), {
      project: "multicluster-mesh",
      stack: "bench",
      revealSecrets: true,
    });
    const registrations = registrationsOf(fleet.resources);
    const replay = await runUnderMocks(replayProgram(registrations, packages), {
      project: "multicluster-mesh",
      stack: "bench",
      revealSecrets: true,
    });
    const key = (r: { type: string; name: string }): string => `${r.type}::${r.name}`;
    expect(replay.resources.map(key).sort()).toEqual(fleet.resources.map(key).sort());
    const custom = fleet.resources.filter((r) => !r.type.startsWith("multicluster-mesh:") && r.parent !== null);
    for (const r of custom) {
      const twin = replay.resources.find((x) => key(x) === key(r));
      expect(twin?.inputs, key(r)).toEqual(r.inputs);
      // Flat, so the provider's URN lacks the fleet's parent chain: its name identifies it.
      expect(twin?.provider?.split("::").pop(), key(r)).toEqual(r.provider?.split("::").pop());
    }
  }, 60_000);

  it("refuses a token no SDK class registers rather than replay something lighter", () => {
    expect(() =>
      replayProgram(
        [{ type: "aws:ec2/noSuchThing:NoSuchThing", name: "x", inputs: {}, provider: null, urn: "u" }],
        packages,
      ),
    ).toThrow("bench baseline: no SDK class registers aws:ec2/noSuchThing:NoSuchThing");
  });
});

describe("where the accepted fleets end", () => {
  it("finds the largest accepted fleet of each mesh and clouds, and the reason the next size is refused", () => {
    expect(MAX_SLOTS).toBe(256);
    const istio = fleetLimit("istio", ["aws", "gcp"]);
    expect(istio.largest).toBe(64);
    expect(istio.next.reason).toContain("an Istio multi-primary mesh takes at most 64 clusters");
    // Every EKS gateway group admits 4 tunnel ports from 3 addresses per peer: 4·3·83 + 3 AH = 999 ≤ EC2's 1000.
    expect(fleetLimit("submariner", ["aws", "gcp"]).largest).toBe(84);
    const gke = fleetLimit("submariner", ["gcp"]);
    expect(gke.largest).toBe(256);
    expect(gke.next.reason).toContain("clusters[256].slot: slot is outside the address space 10.0.0.0/8");
    expect(refusal(84, "submariner", ["aws"])).toBeUndefined();
  });

  it("measures the default steps below the largest fleet, then the largest", () => {
    expect(defaultSizes(64)).toEqual([2, 10, 25, 50, 64]);
    expect(defaultSizes(84)).toEqual([2, 10, 25, 50, 84]);
    expect(defaultSizes(256)).toEqual([2, 10, 25, 50, 128, 256]);
    expect(defaultSizes(5)).toEqual([2, 5]);
  });
});
