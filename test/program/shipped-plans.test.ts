/**
 * The shipped stacks' plans, recorded: a refactor must leave every URN and every input of every shipped stack
 * exactly as it was, so no user sees a replacement. A change that is meant to alter what a stack builds updates
 * the recorded plan in the same commit (`npx vitest run test/program/shipped-plans.test.ts -u`), and the diff of
 * `test/program/plans/<env>.json` is what reviewers read.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";
import type { PlanDocument } from "../../tools/plan-document";

const STACKS = readdirSync(join(PROJECT_ROOT, "stacks"))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

describe.each(STACKS)("the recorded plan of %s", (stack) => {
  it("is reproduced exactly: same URNs, same inputs, same outputs and verdicts", async () => {
    const result = await runPlanCommand(["--stack", stack, "--format", "json"]);
    expect(result.code).toBe(0);
    const file = join(PROJECT_ROOT, "test", "program", "plans", `${stack}.json`);
    let recorded: PlanDocument | undefined;
    try {
      recorded = JSON.parse(readFileSync(file, "utf8")) as PlanDocument;
    } catch {
      recorded = undefined;
    }
    if (recorded !== undefined) {
      // Per-resource first, so a failure names the resource that moved rather than a 200 kB string diff.
      const actual = JSON.parse(result.stdout) as PlanDocument;
      expect(actual.resources.map((r) => r.urn)).toEqual(recorded.resources.map((r) => r.urn));
      const inputs = new Map(recorded.resources.map((r) => [r.urn, r]));
      for (const r of actual.resources) expect(r).toEqual(inputs.get(r.urn));
    }
    await expect(result.stdout).toMatchFileSnapshot(file);
  });
});
