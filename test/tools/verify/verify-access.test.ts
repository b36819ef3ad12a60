import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { pulumiCliOutputs } from "../../../tools/verify/access";
import { runVerifyCommand, USAGE } from "../../../tools/verify/command";
import type { VerifyDocument } from "../../../tools/verify/report";
import { type StandIn, startStandIn } from "./stand-in";

const scratch = mkdtempSync(join(tmpdir(), "verify-access-"));
const noPulumi = () => Promise.resolve({ unavailable: "the Pulumi CLI is not installed" });
let running: StandIn[] = [];

afterEach(async () => {
  await Promise.all(running.map((s) => s.close()));
  running = [];
});

describe("npm run verify without cluster access", () => {
  it("exits 2 at once, saying for every cluster what it needs", async () => {
    const started = Date.now();
    const result = await runVerifyCommand(["--stack", "dev"], { pulumiOutputs: noPulumi, env: {} });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      [
        "verify needs read access to every cluster of dev:",
        "  aws-use1: no kubeconfig — pass --outputs <file of pulumi stack output --json --show-secrets>, log in to Pulumi, or --context aws-use1=<kubeconfig context>",
        "  gcp-usc1: no kubeconfig — pass --outputs <file of pulumi stack output --json --show-secrets>, log in to Pulumi, or --context gcp-usc1=<kubeconfig context>",
        "(stack outputs: the Pulumi CLI is not installed)",
        "",
      ].join("\n"),
    );
  });

  it("says so when the outputs were exported without --show-secrets", async () => {
    const file = join(scratch, "hidden.json");
    writeFileSync(
      file,
      JSON.stringify({
        environment: "dev",
        clusters: { "aws-use1": { kubeconfig: "[secret]" }, "gcp-usc1": { kubeconfig: "[secret]" } },
      }),
    );
    const result = await runVerifyCommand(["--outputs", file], { pulumiOutputs: noPulumi, env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "  aws-use1: the stack outputs hide its kubeconfig — export them with pulumi stack output --json --show-secrets\n",
    );
  });

  it("refuses outputs of another environment", async () => {
    const file = join(scratch, "prod-outputs.json");
    writeFileSync(file, JSON.stringify({ environment: "prod", clusters: {} }));
    expect(await runVerifyCommand(["--stack", "dev", "--outputs", file])).toEqual({
      code: 2,
      stdout: "",
      stderr: "--outputs: the outputs are environment prod's, not dev's — pass the matching --stack or outputs file\n",
    });
  });

  it("finds the Pulumi CLI missing by running it", async () => {
    expect(await pulumiCliOutputs(scratch, { PATH: scratch })("dev")).toEqual({
      unavailable: "the Pulumi CLI is not installed",
    });
  });

  it("exits 2 on bad arguments and on an outputs file that is not JSON", async () => {
    const bad = await runVerifyCommand(["--format", "yaml"]);
    expect(bad).toEqual({
      code: 2,
      stdout: "",
      stderr: `--format must be one of text, json, markdown (got "yaml")\n\n${USAGE}\n`,
    });
    expect((await runVerifyCommand(["--timeout", "0"])).stderr).toMatch(
      /^--timeout must be a positive number \(got "0"\)/,
    );
    expect((await runVerifyCommand(["--context", "aws-use1"])).stderr).toMatch(
      /^--context must be <cluster>=<kubeconfig context> \(got "aws-use1"\)/,
    );
    const file = join(scratch, "broken.json");
    writeFileSync(file, "{ not json");
    const notJson = await runVerifyCommand(["--outputs", file]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(
      /^--outputs: .*broken\.json is not JSON \(.*\) — give the output of pulumi stack output --json --show-secrets\n$/,
    );
    expect((await runVerifyCommand(["--stack", "nope"])).code).toBe(2);
    const unknown = await runVerifyCommand(["--stack", "dev", "--context", "aws-usw9=x"], { pulumiOutputs: noPulumi });
    expect(unknown.stderr).toBe("--context names no cluster of dev: aws-usw9 (clusters: aws-use1, gcp-usc1)\n");
  });

  it("exits 2 on a stack file the planners refuse, naming the bad key", async () => {
    const root = join(__dirname, "..", "..", "..");
    const file = join(scratch, "Pulumi.dev.yaml");
    writeFileSync(file, readFileSync(join(root, "stacks", "Pulumi.dev.yaml"), "utf8").replace("slot: 1", "slot: 0"));
    const result = await runVerifyCommand(["--config", file], { pulumiOutputs: noPulumi });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("multicluster-mesh:clusters[1].slot: duplicate slot");
  });

  it("prints its usage with --help and exits 0", async () => {
    expect(await runVerifyCommand(["--help"])).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: "" });
  });
});

describe("npm run verify through kubeconfig contexts (existing clusters, no stack outputs)", () => {
  it("reaches each cluster through its context of KUBECONFIG and reports what it finds there", async () => {
    const east = await startStandIn({});
    const west = await startStandIn({});
    running.push(east, west);
    const kubeconfig = join(scratch, "kubeconfig");
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          { name: "kind-east", cluster: { server: east.url, "insecure-skip-tls-verify": true } },
          { name: "kind-west", cluster: { server: west.url, "insecure-skip-tls-verify": true } },
        ],
        contexts: [
          { name: "kind-east", context: { cluster: "kind-east", user: "admin" } },
          { name: "kind-west", context: { cluster: "kind-west", user: "admin" } },
        ],
        "current-context": "kind-east",
        users: [{ name: "admin", user: { token: "local" } }],
      }),
    );
    const result = await runVerifyCommand(
      ["--stack", "local", "--context", "kind-east=kind-east", "--context", "kind-west=kind-west", "--format", "json"],
      { env: { KUBECONFIG: kubeconfig }, pulumiOutputs: noPulumi },
    );
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout) as VerifyDocument;
    expect(doc.checks.filter((c) => c.check === "access").map((c) => [c.cluster, c.ok, c.reason])).toEqual([
      ["kind-east", true, `read through context kind-east (${east.url})`],
      ["kind-west", true, `read through context kind-west (${west.url})`],
    ]);
    expect(doc.failures).toContainEqual({
      cluster: "kind-west",
      peer: null,
      check: "istiod",
      ok: false,
      reason:
        "Deployment istio-system/istiod not found — Istio is not installed at the planned revision; run pulumi up",
    });
    expect(east.requests).toContain("GET /apis/apps/v1/namespaces/istio-system/deployments/istiod");
    expect(west.requests).toContain("GET /apis/apps/v1/namespaces/istio-system/deployments/istiod");
  });
});

describe("the CLI itself (tools/verify.ts)", () => {
  it("exits 2 without access, with nothing on stdout, when no Pulumi CLI is on the PATH", async () => {
    const root = join(__dirname, "..", "..", "..");
    const failure = await promisify(execFile)(
      process.execPath,
      [join(root, "node_modules", "tsx", "dist", "cli.mjs"), join(root, "tools", "verify.ts"), "--stack", "dev"],
      { cwd: root, env: { PATH: scratch, HOME: scratch } },
    ).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2, stdout: "" });
    expect((failure as { stderr: string }).stderr).toContain("verify needs read access to every cluster of dev:\n");
    expect((failure as { stderr: string }).stderr).toContain("(stack outputs: the Pulumi CLI is not installed)\n");
  });
});
