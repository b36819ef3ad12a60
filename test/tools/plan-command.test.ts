import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { stringify } from "yaml";
import * as runtime from "../../tools/mock-runtime";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";
import type { PlanDocument } from "../../tools/plan-document";
import { plural } from "../../tools/render-text";
import { syntheticFleetConfig } from "../../tools/synthetic-fleet";
import { MAX_ISTIO_CLUSTERS } from "../../plan/interconnect/istio/topology";

const DEV_FILE = join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml");
const PROD_FILE = join(PROJECT_ROOT, "stacks", "Pulumi.prod.yaml");
const scratch = mkdtempSync(join(tmpdir(), "plan-command-"));

/** Writes a variant of a shipped stack file, as a new user would edit it. */
function variant(name: string, from: string, edit: (text: string) => string): string {
  const file = join(scratch, `Pulumi.${name}.yaml`);
  writeFileSync(file, edit(readFileSync(from, "utf8")));
  return file;
}

describe("npm run plan -- --format json (the DESIGN.md contract)", () => {
  let doc: PlanDocument;
  beforeAll(async () => {
    const result = await runPlanCommand(["--stack", "dev", "--format", "json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    doc = JSON.parse(result.stdout) as PlanDocument;
  });

  it("is one document with exactly the contract's keys", () => {
    // The contract's keys first and unchanged; later additions are new top-level keys only.
    expect(Object.keys(doc)).toEqual([
      "project",
      "stack",
      "resources",
      "outputs",
      "violations",
      "stackFile",
      "policyConfig",
    ]);
    expect(doc.project).toBe("multicluster-mesh");
    expect(doc.stack).toBe("dev");
  });

  it("names the stack file and the policy config it used, with every policy's enforcement level", () => {
    expect(doc.stackFile).toBe("stacks/Pulumi.dev.yaml");
    expect(doc.policyConfig?.file).toBe("policies/config/dev.json");
    expect(doc.policyConfig?.enforcement["protect-stateful-resources"]).toBe("disabled");
    expect(doc.policyConfig?.enforcement["vpc-per-cluster"]).toBe("advisory");
    expect(Object.keys(doc.policyConfig?.enforcement ?? {}).length).toBeGreaterThan(10);
  });

  it("lists every resource with exactly the contract's fields", () => {
    for (const r of doc.resources) {
      expect(Object.keys(r)).toEqual(["urn", "type", "name", "parent", "provider", "protect", "dependsOn", "inputs"]);
      expect(r.urn).toMatch(/^urn:pulumi:dev::multicluster-mesh::/);
      expect(r.urn.endsWith(`::${r.name}`)).toBe(true);
    }
    const urns = new Set(doc.resources.map((r) => r.urn));
    for (const r of doc.resources) {
      if (r.parent !== null) expect(urns).toContain(r.parent);
      if (r.provider !== null) expect(urns).toContain(r.provider);
      for (const d of r.dependsOn) expect(urns).toContain(d);
    }
    const vpc = doc.resources.find((r) => r.type === "aws:ec2/vpc:Vpc");
    expect(vpc?.inputs["cidrBlock"]).toBe("10.0.0.0/17");
    expect(vpc?.provider).toBe(
      "urn:pulumi:dev::multicluster-mesh::multicluster-mesh:index:Fleet$pulumi:providers:aws::aws-use1-aws",
    );
  });

  it("gives every custom resource an explicit provider of its own cluster, never a default provider", () => {
    const custom = doc.resources.filter(
      (r) =>
        !r.type.startsWith("multicluster-mesh:") &&
        !r.type.startsWith("pulumi:") &&
        !r.type.startsWith("tls:") &&
        !r.type.startsWith("random:"),
    );
    expect(custom.length).toBeGreaterThan(50);
    for (const r of custom) {
      expect(r.provider, r.urn).toMatch(
        /[:$]pulumi:providers:(aws|gcp|kubernetes)::(aws-use1|gcp-usc1)-(aws|gcp|k8s)$/,
      );
    }
  });

  it("replaces every secret by [secret]: no token, key or kubeconfig leaks", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain("ZXlKaGJHY2lPaUpTVXpJMU5pSjk"); // base64 of a mocked service-account token
    expect(text).not.toContain("eyJhbGciOiJSUzI1NiJ9");
    const remote = doc.resources.filter((r) => r.name.includes("remote-secret"));
    expect(remote.length).toBeGreaterThan(0);
    const cluster = doc.outputs["clusters"] as Record<string, { kubeconfig: unknown }>;
    expect(cluster["aws-use1"]?.kubeconfig).toBe("[secret]");
  });

  it("exports what a platform team needs", () => {
    const clusters = doc.outputs["clusters"] as Record<string, Record<string, unknown>>;
    expect(Object.keys(clusters)).toEqual(["aws-use1", "gcp-usc1"]);
    expect(clusters["aws-use1"]).toMatchObject({
      cloud: "aws",
      region: "us-east-1",
      ranges: { nodes: "10.0.0.0/17", pods: "10.0.0.0/17", services: "10.0.128.0/20" },
    });
    expect(clusters["aws-use1"]?.["endpoint"]).toMatch(/^https:\/\/.+\.eks\.amazonaws\.com$/);
    expect(clusters["aws-use1"]?.["gatewayAddress"]).toMatch(/\.elb\.us-east-1\.amazonaws\.com$/);
    expect(clusters["gcp-usc1"]?.["gatewayAddress"]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(doc.outputs["rootCertificate"]).toMatch(/^-----BEGIN CERTIFICATE-----/);
    // Every CA's end date: the root's 10 years and each intermediate's 2 from the mock clock (2026-01-01); each
    // intermediate's path length as read from the certificate in its cacerts.
    expect(doc.outputs["certificates"]).toEqual({
      roots: { "root-1": "2035-12-30T00:00:00.000Z" },
      intermediates: { "aws-use1": "2028-01-01T00:00:00.000Z", "gcp-usc1": "2028-01-01T00:00:00.000Z" },
      pathLengths: { "aws-use1": 0, "gcp-usc1": 0 },
    });
    expect((doc.outputs["addressPlan"] as { space: string }).space).toBe("10.0.0.0/8");
    expect((doc.outputs["topology"] as { kind: string }).kind).toBe("istio");
  });
});

describe("npm run plan: text format", () => {
  it("shows per cluster its cloud, region, zones and ranges, resources by type, and the policy verdict", async () => {
    const result = await runPlanCommand(["--stack", "dev"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe("multicluster-mesh · stack dev · mesh istio · 2 clusters");
    expect(lines).toContain(
      "  aws-use1  0     aws    us-east-1    us-east-1a,us-east-1b        10.0.0.0/17  10.0.0.0/17    10.0.128.0/20  -",
    );
    expect(lines).toContain(
      "  gcp-usc1  1     gcp    us-central1  us-central1-a,us-central1-b  10.1.0.0/20  10.1.128.0/17  10.1.16.0/20   10.1.32.0/28",
    );
    expect(result.stdout).toMatch(/^Resources: \d+$/m);
    expect(result.stdout).toMatch(/^ {2}2 {6}kubernetes:networking\.istio\.io\/v1:Gateway$/m);
    // dev shares one NAT gateway across its zones (aws.natGateways: single), which dev's config only advises against.
    expect(lines).toContain("Policies: 1 violation (0 mandatory)");
    expect(lines.filter((l) => l.startsWith("  [advisory] egress-per-zone: cluster aws-use1: "))).toHaveLength(1);
  });

  it("says which stack file and policy config it used, and shows gateways, trust and protection", async () => {
    const result = await runPlanCommand(["--stack", "prod"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[1]).toBe("Stack file: stacks/Pulumi.prod.yaml");
    expect(lines[2]).toMatch(
      /^Policy config: policies\/config\/prod\.json \(mandatory: address-ranges-disjoint, .*; advisory: submariner-broker-dedicated\)$/,
    );
    expect(lines).toContain("Gateways");
    expect(lines.find((l) => l.startsWith("  gcp-usc1  203.0.113."))).toMatch(/ {2}-$/);
    expect(lines).toContain("Trust: 1 root root-1 (generated); issuer root-1");
    expect(lines).toContain(
      "  intermediates: aws-use1: generated, gcp-usc1: generated, aws-euw1: generated, gcp-euw4: generated",
    );
    expect(lines).toContain("Protection: 16 protected resources");
    expect(lines).toContain("  2  aws:eks/cluster:Cluster");
  });

  it("names the pack's defaults when the stack has no policy config, and Submariner's gateway nodes and their addresses", async () => {
    const file = variant("nopolicy", join(PROJECT_ROOT, "stacks", "Pulumi.submariner.yaml"), (t) => t);
    const result = await runPlanCommand(["--config", file]);
    const lines = result.stdout.split("\n");
    expect(lines[2]).toMatch(/^Policy config: none \(the pack's defaults\) \(/);
    const gateways = lines.slice(lines.indexOf("Gateways"));
    expect(gateways.find((l) => l.startsWith("  aws-usw2 "))).toBe(
      "  aws-usw2  -        2 nodes (Submariner gateway nodes), 3 reserved public IPs",
    );
  });

  it("counts in the right plural", () => {
    expect([0, 1, 2].map((n) => plural(n, "violation"))).toEqual(["0 violations", "1 violation", "2 violations"]);
  });
});

describe("npm run plan: markdown for a shipped stack", () => {
  it.each(["dev", "submariner"])(
    "%s: tables, a well-formed Mermaid diagram, verdicts and cost lines",
    async (stack) => {
      const result = await runPlanCommand(["--stack", stack, "--format", "markdown"]);
      expect(result.code).toBe(0);
      const md = result.stdout;
      expect(md.split("\n")[0]).toBe(`## Plan: multicluster-mesh, stack \`${stack}\``);
      expect(md).toContain(
        "| Cluster | Slot | Cloud | Region | Zones | Nodes / VPC | Pods | Services | Control plane |",
      );
      // Every table row has as many cells as its header.
      const tables = md.split("\n\n").filter((block) => block.startsWith("| "));
      expect(tables.length).toBeGreaterThanOrEqual(3);
      for (const table of tables) {
        const widths = table.split("\n").map((row) => row.split(/(?<!\\)\|/).length);
        expect(new Set(widths).size, table).toBe(1);
      }
      const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(md)?.[1] ?? "";
      expect(mermaid.split("\n")[0]).toBe("flowchart LR");
      const subgraphs = (mermaid.match(/^\s*subgraph /gm) ?? []).length;
      expect(subgraphs).toBeGreaterThan(0);
      expect((mermaid.match(/^\s*end$/gm) ?? []).length).toBe(subgraphs);
      for (const line of mermaid.split("\n").slice(1)) {
        expect(line, line).toMatch(
          /^\s*(subgraph [A-Za-z0-9_]+\[".*"\]|end|[A-Za-z0-9_]+[[(].*[)\]]|[A-Za-z0-9_]+ (-->|-\.->|---|<-->) [A-Za-z0-9_]+)$/,
        );
      }
      expect(md).toMatch(/\| EKS control plane \| \d+ \| \$0\.10\/h per cluster \| \$\d+\.\d\d \|/);
      expect(md).toMatch(/\| \*\*Total\*\* \| {2}\| {2}\| \*\*\$[\d,]+\.\d\d\*\* \|/);
      expect(md).toContain("checked 2026-11-21");
    },
  );
});

describe("deliberately broken copies of prod: exit 1, the rule named", () => {
  const cases: [string, (t: string) => string, string][] = [
    [
      "two clusters in one region",
      (t) => t.replace("region: eu-west-1", "region: us-east-1").replace(/eu-west-1([abc])/g, "us-east-1$1"),
      "distinct-regions",
    ],
    [
      "a cluster in two zones",
      (t) => t.replace("zones: [us-east-1a, us-east-1b, us-east-1c]", "zones: [us-east-1a, us-east-1b]"),
      "nodes-span-zones",
    ],
    [
      "one east-west gateway replica",
      (t) => t.replace(/replicas: 3\n\s+maxReplicas: 6\n\s+minAvailable: 2/, "replicas: 1"),
      "eastwest-gateway-per-cluster",
    ],
    [
      "clusters left unprotected",
      (t) => t.replace("multicluster-mesh:protect: true", "multicluster-mesh:protect: false"),
      "protect-stateful-resources",
    ],
  ];

  it.each(cases)("%s", async (label, edit, rule) => {
    const file = variant("prod", PROD_FILE, edit);
    const original = readFileSync(PROD_FILE, "utf8");
    expect(readFileSync(file, "utf8"), "the edit must change the stack").not.toBe(original);
    const result = await runPlanCommand(["--config", file, "--stack", "prod", "--format", "json"]);
    expect(result.code, label).toBe(1);
    const doc = JSON.parse(result.stdout) as PlanDocument;
    expect(doc.violations.filter((v) => v.enforcement === "mandatory").map((v) => v.policy)).toContain(rule);
  });
});

describe("npm run plan: exit codes", () => {
  it("exits 2 on invalid arguments, with the usage", async () => {
    for (const argv of [["--format", "xml"], ["--bogus"], ["--stack", "../etc"], ["extra"]]) {
      const result = await runPlanCommand(argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("usage: npm run plan --");
    }
  });

  it("exits 2 naming the stack file when it does not exist", async () => {
    const result = await runPlanCommand(["--stack", "nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("stack file");
    expect(result.stderr).toContain("Pulumi.nope.yaml cannot be read");
  });

  it("exits 2 on a bad policy config, naming it", async () => {
    const bad = join(scratch, "policy.json");
    writeFileSync(bad, JSON.stringify({ "no-such-rule": "mandatory" }));
    const result = await runPlanCommand(["--stack", "dev", "--policy-config", bad]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no-such-rule");
  });
});

describe("broken stack files, as a new user would write them: exit 2, every problem named, nothing registered", () => {
  const cases: [string, (t: string) => string, string][] = [
    [
      "duplicate name",
      (t) => t.replace("name: gcp-usc1", "name: aws-use1"),
      'multicluster-mesh:clusters[1].name: duplicate cluster name, already used by clusters[0] ("aws-use1") — give every cluster its own name',
    ],
    [
      "duplicate slot",
      (t) => t.replace("slot: 1", "slot: 0"),
      "multicluster-mesh:clusters[1].slot: duplicate slot, already used by clusters[0] (0) — give every cluster its own slot; use the next unused number for a new cluster and never reuse one",
    ],
    [
      "zone outside the region",
      (t) => t.replace("zones: [us-east-1a, us-east-1b]", "zones: [us-east-1a, us-west-2b]"),
      'multicluster-mesh:clusters[0].zones[1]: zone is not in region us-east-1 ("us-west-2b") — use zones of us-east-1 such as us-east-1a, or change the region',
    ],
    [
      "unknown cloud",
      (t) => t.replace("cloud: gcp", "cloud: azure"),
      'multicluster-mesh:clusters[1].cloud: unknown cloud ("azure") — use aws, gcp or existing',
    ],
    [
      "a name with capitals",
      (t) => t.replace("name: aws-use1", "name: AWS-use1"),
      `multicluster-mesh:clusters[0].name: cluster name must be a DNS label ("AWS-use1") — use lowercase letters, digits and '-', starting with a letter and not ending with '-'`,
    ],
    [
      "a name with underscores",
      (t) => t.replace("name: gcp-usc1", "name: gcp_usc1"),
      `multicluster-mesh:clusters[1].name: cluster name must be a DNS label ("gcp_usc1") — use lowercase letters, digits and '-', starting with a letter and not ending with '-'`,
    ],
    [
      "no clusters",
      (t) => t.slice(0, t.indexOf("  multicluster-mesh:clusters:")) + "  multicluster-mesh:clusters: []\n",
      "multicluster-mesh:clusters: no clusters ([]) — list at least one cluster (two or more make a mesh)",
    ],
    [
      "a slot outside the address space",
      (t) => t.replace("slot: 1", "slot: 300"),
      "multicluster-mesh:clusters[1].slot:",
    ],
  ];

  it.each(cases)("%s", async (label, edit, expected) => {
    const spy = vi.spyOn(runtime, "runUnderMocks");
    const file = variant(label.replace(/\W+/g, "-"), DEV_FILE, edit);
    const result = await runPlanCommand(["--config", file, "--stack", "dev", "--format", "json"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(expected);
    expect(result.stderr.split("\n")[0]).toMatch(/^invalid stack config: \d+ problems?$/);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it("one cluster more than an Istio mesh takes: refused before any resource, with the cap and why", async () => {
    const config = syntheticFleetConfig(MAX_ISTIO_CLUSTERS + 1);
    const file = join(scratch, "Pulumi.big.yaml");
    writeFileSync(
      file,
      stringify({ config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`multicluster-mesh:${k}`, v])) }),
    );
    const spy = vi.spyOn(runtime, "runUnderMocks");
    const result = await runPlanCommand(["--config", file, "--format", "json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "invalid stack config: 1 problem\n  multicluster-mesh:clusters: an Istio multi-primary mesh takes at most 64 clusters: every cluster holds a remote secret for every other (4160 secrets for 65 clusters) and every istiod watches all 64 other API servers (65) — split the fleet into environments (stacks) of at most 64 clusters each, or use mesh: submariner\n",
    );
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it("(the spy above does see the command's evaluation when the config is valid)", async () => {
    const spy = vi.spyOn(runtime, "runUnderMocks");
    const result = await runPlanCommand(["--stack", "dev", "--format", "json"]);
    expect(result.code).toBe(0);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it("reports every problem of a file at once", async () => {
    const file = variant("many", DEV_FILE, (t) =>
      t
        .replace("name: gcp-usc1", "name: aws-use1")
        .replace("cloud: gcp", "cloud: azure")
        .replace("slot: 1", "slot: -1"),
    );
    const result = await runPlanCommand(["--config", file]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("invalid stack config: 3 problems");
  });
});

describe("the CLI itself (tools/plan.ts)", () => {
  const run = promisify(execFile);
  it("prints the JSON document and exits 0 for the default stack", async () => {
    const { stdout } = await run(
      join(PROJECT_ROOT, "node_modules", ".bin", "tsx"),
      [join(PROJECT_ROOT, "tools", "plan.ts"), "--format", "json"],
      {
        cwd: PROJECT_ROOT,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    expect((JSON.parse(stdout) as PlanDocument).stack).toBe("dev");
  });

  it("exits 2 on an invalid stack file, with nothing on stdout", async () => {
    const file = variant("cli-bad", DEV_FILE, (t) => t.replace("slot: 1", "slot: 0"));
    const failure = await run(
      join(PROJECT_ROOT, "node_modules", ".bin", "tsx"),
      [join(PROJECT_ROOT, "tools", "plan.ts"), "--config", file],
      {
        cwd: PROJECT_ROOT,
      },
    ).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2, stdout: "" });
    expect((failure as { stderr: string }).stderr).toContain("duplicate slot");
  });
});
