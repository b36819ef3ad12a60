import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { changedPaths, type DiffDocument } from "../../tools/plan-diff";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";

const PROD = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.prod.yaml"), "utf8");
const APSE2 = `    - name: aws-apse2
      cloud: aws
      region: ap-southeast-2
      zones: [ap-southeast-2a, ap-southeast-2b, ap-southeast-2c]
      slot: 4
`;
const GCP_EUW4 = `    - name: gcp-euw4
      cloud: gcp
      region: europe-west4
      zones: [europe-west4-a, europe-west4-b, europe-west4-c]
      slot: 3
      nodes: { instanceType: e2-standard-8, countPerZone: 2, maxPerZone: 6 }
      gcp: { project: acme-platform-prod }
`;
const OTHERS = ["aws-euw1", "aws-use1", "gcp-usc1"];
/** prod as shipped, but with the perimeter open (no peer allow lists). */
const OPEN = PROD.replace("      allowPeersOnly: true\n", "");

const scratch = mkdtempSync(join(tmpdir(), "plan-diff-"));

function write(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

/** Exit code 1: a mandatory policy violation (prod's perimeter opened), which the diff still reports. */
async function diff(file: string, against: string, format = "json", code = 0): Promise<DiffDocument> {
  const result = await runPlanCommand(["--config", file, "--stack", "prod", "--against", against, "--format", format]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(code);
  return JSON.parse(result.stdout) as DiffDocument;
}

function status(doc: DiffDocument): Record<string, [string, number, number, number]> {
  return Object.fromEntries(doc.clusters.map((c) => [c.cluster, [c.status, c.added, c.removed, c.changed]]));
}

function namesOf(doc: DiffDocument, cluster: string): string[] {
  return doc.resources.filter((r) => r.cluster === cluster).map((r) => `${r.change} ${r.type} ${r.name}`);
}

describe("changedPaths", () => {
  it("names the leaves that differ; a list that grows or shrinks is one change", () => {
    expect(
      changedPaths({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { b: 2, c: [1, 3] }, d: "x", e: 1 }, "inputs"),
    ).toEqual(["inputs.a.b", "inputs.a.c[1]", "inputs.e"]);
    expect(changedPaths({ r: ["1.1.1.1/32"] }, { r: ["1.1.1.1/32", "2.2.2.2/32"] }, "inputs")).toEqual(["inputs.r"]);
    expect(changedPaths({ a: [1] }, { a: [1] }, "inputs")).toEqual([]);
  });
});

describe("npm run plan -- --against <git ref>", () => {
  let repo: string;
  let file: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "plan-diff-repo-"));
    file = join(repo, "Pulumi.prod.yaml");
    writeFileSync(file, PROD);
    const git = (...args: string[]): void => {
      execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: repo });
    };
    git("init", "-q");
    git("add", "Pulumi.prod.yaml");
    git("commit", "-qm", "prod");
  });

  it("reports no change for an unchanged stack file", async () => {
    const doc = await diff(file, "HEAD");
    expect(Object.keys(doc)).toEqual(["project", "stack", "against", "summary", "resources", "clusters", "violations"]);
    expect(doc.against).toBe("HEAD");
    expect(doc.summary).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 240 });
    expect(doc.resources).toEqual([]);
    expect(status(doc)).toEqual({
      "aws-euw1": ["unchanged", 0, 0, 0],
      "aws-use1": ["unchanged", 0, 0, 0],
      "gcp-euw4": ["unchanged", 0, 0, 0],
      "gcp-usc1": ["unchanged", 0, 0, 0],
      shared: ["unchanged", 0, 0, 0],
    });
  });

  it("appending a cluster adds its resources and one remote secret per other cluster, and changes nothing else of the others but their gateways' allow lists, in place", async () => {
    writeFileSync(file, PROD + APSE2);
    const doc = await diff(file, "HEAD");
    expect(doc.summary).toEqual({ added: 81, removed: 0, changed: 4, unchanged: 236 });
    expect(status(doc)).toEqual({
      "aws-apse2": ["added", 77, 0, 0],
      "aws-euw1": ["allow-list-only", 1, 0, 1],
      "aws-use1": ["allow-list-only", 1, 0, 1],
      "gcp-euw4": ["allow-list-only", 1, 0, 1],
      "gcp-usc1": ["allow-list-only", 1, 0, 1],
      shared: ["unchanged", 0, 0, 0],
    });
    for (const c of [...OTHERS, "gcp-euw4"]) {
      expect(namesOf(doc, c)).toEqual([
        `changed kubernetes:core/v1:Service prod-${c}-eastwest-service`,
        `added kubernetes:core/v1:Secret prod-${c}-remote-secrets-aws-apse2`,
      ]);
      // The one changed path is the allow list: a Service updates it in place (no replacement).
      expect(doc.resources.filter((r) => r.cluster === c && r.change === "changed")).toEqual([
        expect.objectContaining({ paths: ["inputs.spec.loadBalancerSourceRanges"] }),
      ]);
    }
    expect(doc.resources.filter((r) => r.cluster === "aws-apse2").every((r) => r.name.includes("aws-apse2"))).toBe(
      true,
    );
    expect(
      doc.resources.filter((r) => r.cluster !== "aws-apse2" && r.change === "added").map((r) => r.pairsWith),
    ).toEqual(Array(4).fill("aws-apse2"));
  });

  it("refuses a ref that does not hold the stack file, with exit code 2", async () => {
    const result = await runPlanCommand(["--config", file, "--stack", "prod", "--against", "no-such-ref"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "--against: cannot read Pulumi.prod.yaml at no-such-ref: fatal: invalid object name 'no-such-ref'.\n",
    );
  });
});

describe("npm run plan -- --against <stack file>", () => {
  const base = write("base.yaml", PROD);
  const openBase = write("open.yaml", OPEN);

  it("removing a cluster removes its resources and the remote secret for it in each other cluster, and drops it from their allow lists", async () => {
    const doc = await diff(write("Pulumi.prod.yaml", PROD.replace(GCP_EUW4, "")), base);
    expect(doc.summary).toEqual({ added: 0, removed: 44, changed: 3, unchanged: 193 });
    expect(status(doc)).toEqual({
      "aws-euw1": ["allow-list-only", 0, 1, 1],
      "aws-use1": ["allow-list-only", 0, 1, 1],
      "gcp-euw4": ["removed", 0, 41, 0],
      "gcp-usc1": ["allow-list-only", 0, 1, 1],
      shared: ["unchanged", 0, 0, 0],
    });
    for (const c of OTHERS) {
      expect(namesOf(doc, c)).toEqual([
        `changed kubernetes:core/v1:Service prod-${c}-eastwest-service`,
        `removed kubernetes:core/v1:Secret prod-${c}-remote-secrets-gcp-euw4`,
      ]);
    }
  });

  it("names the side whose config is invalid, with exit code 2", async () => {
    const broken = write("broken.yaml", PROD.replace("      slot: 3\n", "      slot: 0\n"));
    const result = await runPlanCommand(["--stack", "prod", "--against", broken]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "invalid stack config: 1 problem\n" +
        `  multicluster-mesh:clusters[3].slot: duplicate slot, already used by clusters[0] [in ${broken}] (0) — give every cluster its own slot; use the next unused number for a new cluster and never reuse one\n`,
    );
  });

  it("reordering the clusters changes nothing", async () => {
    const reordered = PROD.replace(GCP_EUW4, "").replace(
      "  multicluster-mesh:clusters:\n",
      `  multicluster-mesh:clusters:\n${GCP_EUW4}`,
    );
    expect(reordered).not.toBe(PROD);
    const doc = await diff(write("Pulumi.prod.yaml", reordered), base);
    expect(doc.summary).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 240 });
    expect(doc.clusters.every((c) => c.status === "unchanged")).toBe(true);
  });

  it("with the perimeter open, an appended cluster changes nothing of the others", async () => {
    const doc = await diff(write("Pulumi.prod.yaml", OPEN + APSE2), openBase, "json", 1);
    expect(doc.summary).toEqual({ added: 81, removed: 0, changed: 0, unchanged: 240 });
    expect([...new Set(doc.violations.map((v) => `${v.policy}:${v.enforcement}`))]).toEqual([
      "gateway-perimeter-closed:mandatory",
    ]);
    for (const c of [...OTHERS, "gcp-euw4"]) {
      expect(status(doc)[c]).toEqual(["unchanged", 1, 0, 0]);
    }
  });

  it("renders the difference for a pull request (markdown) and a terminal (text)", async () => {
    // The open perimeter keeps the other clusters untouched (and violates prod's gateway-perimeter-closed: exit 1).
    const head = write("Pulumi.prod.yaml", OPEN + APSE2);
    const md = await runPlanCommand(["--config", head, "--against", openBase, "--format", "markdown"]);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain("## Change: stack `prod` against `");
    expect(md.stdout).toContain(
      "81 added, 0 removed, 0 changed, 240 unchanged; **5 mandatory policy violation(s)** (see the plan summary).",
    );
    expect(md.stdout).toContain(
      "| aws-use1 | nothing of it changes; gains 1 resource pairing it with aws-apse2 | 1 | 0 | 0 |",
    );
    expect(md.stdout).toContain(
      "| + | aws-use1 | `kubernetes:core/v1:Secret` | `prod-aws-use1-remote-secrets-aws-apse2` |  |",
    );
    const text = await runPlanCommand(["--config", head, "--against", openBase]);
    expect(text.stdout.split("\n")[0]).toBe(
      `multicluster-mesh · stack prod · against ${openBase}: 81 added, 0 removed, 0 changed, 240 unchanged`,
    );
    expect(text.stdout).toContain("\n+ aws-use1  kubernetes:core/v1:Secret  prod-aws-use1-remote-secrets-aws-apse2\n");
  });
});
