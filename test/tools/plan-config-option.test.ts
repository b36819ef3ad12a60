/**
 * `npm run plan -- --config <file>`: which stack a file is for (and so which policy config), and files written the
 * ways Pulumi accepts them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";
import type { PlanDocument } from "../../tools/plan-document";

const DEV_FILE = join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml");
const PROD_FILE = join(PROJECT_ROOT, "stacks", "Pulumi.prod.yaml");
const scratch = mkdtempSync(join(tmpdir(), "plan-config-"));

/** Writes a copy of a shipped stack file under another name. */
function variant(name: string, from: string, edit: (text: string) => string): string {
  const file = join(scratch, `Pulumi.${name}.yaml`);
  writeFileSync(file, edit(readFileSync(from, "utf8")));
  return file;
}

describe("npm run plan -- --config: which stack a file is for", () => {
  it("refuses a file whose name names no stack unless --stack says which (exit 2)", async () => {
    const file = join(scratch, "prod-candidate.yaml");
    writeFileSync(file, readFileSync(PROD_FILE, "utf8"));
    const result = await runPlanCommand(["--config", file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toBe(
      `--config ${file}: the file name names no stack (Pulumi names stack files Pulumi.<stack>.yaml) — rename it, or pass --stack <stack> to say which stack it is for`,
    );
    const named = await runPlanCommand(["--config", file, "--stack", "prod", "--format", "json"]);
    expect(named.code).toBe(0);
    const doc = JSON.parse(named.stdout) as PlanDocument;
    expect(doc.stack).toBe("prod");
    expect(doc.stackFile).toBe(file);
    expect(doc.policyConfig?.file).toBe("policies/config/prod.json");
  });

  it("takes the stack from Pulumi.<stack>.yaml, and its policy config with it", async () => {
    const file = variant("staging", PROD_FILE, (t) => t);
    const result = await runPlanCommand(["--config", file, "--format", "markdown"]);
    expect(result.code).toBe(0);
    const md = result.stdout.split("\n");
    expect(md[0]).toBe("## Plan: multicluster-mesh, stack `staging`");
    expect(md).toContain(`Stack file: \`${file}\`.`);
    expect(md.find((l) => l.startsWith("Policy config: "))).toMatch(
      /^Policy config: policies\/config\/staging\.json \(/,
    );
  });

  it("plans a file with a byte-order mark, CRLF line ends, anchors and merge keys", async () => {
    const text = readFileSync(DEV_FILE, "utf8")
      .replace("  multicluster-mesh:clusters:\n", "  multicluster-mesh:clusters:\n")
      .replace(
        "      nodes: { instanceType: t3.large, countPerZone: 1, maxPerZone: 2 }",
        "      nodes: &small { instanceType: t3.large, countPerZone: 1, maxPerZone: 2 }",
      )
      .replace(
        "      nodes: { instanceType: e2-standard-2, countPerZone: 1, maxPerZone: 2 }",
        "      nodes: { <<: *small, instanceType: e2-standard-2 }",
      );
    expect(text).toContain("<<: *small");
    const file = join(scratch, "Pulumi.dev.yaml");
    writeFileSync(file, "\uFEFF" + text.replace(/\n/g, "\r\n"));
    const result = await runPlanCommand(["--config", file, "--format", "json"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const planned = JSON.parse(result.stdout) as PlanDocument;
    const shipped = JSON.parse((await runPlanCommand(["--stack", "dev", "--format", "json"])).stdout) as PlanDocument;
    expect(planned.resources).toEqual(shipped.resources);
  });
});
