/**
 * Shared by `npm run add-cluster` and `npm run retire-cluster`: where the stack file is, the environment's policy
 * config, and applying an edit: validate the edited file, plan it and the original under mocks, write it, and print
 * what the change adds, changes and removes (./plan-diff.ts).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { CONFIG_NAMESPACE, type Issue, renderIssue, renderValue, SpecError } from "../plan/issues";
import { planText } from "./plan-against";
import { PROJECT_ROOT, type CommandResult } from "./plan-command";
import { diffPlans } from "./plan-diff";
import { type PolicyConfig, PolicyConfigError, violationsFor } from "./policy-runner";
import { renderDiffText } from "./render-diff";

/** The stack file's text, or the refusal to print when it cannot be read. */
export function readStackText(file: string): string | CommandResult {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return {
      code: 2,
      stdout: "",
      stderr: `stack file ${file} cannot be read; pass --stack <env> or --config <file>\n`,
    };
  }
}

/** policies/config/<env>.json, or the pack's defaults when the environment has none. */
export function policyConfigOf(stack: string): PolicyConfig {
  const file = join(PROJECT_ROOT, "policies", "config", `${stack}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as PolicyConfig) : {};
}

/** `--flag: problem (value) — fix` for command-line problems; config problems keep their config key path. */
export function renderRefusal(issue: Issue): string {
  return issue.path.startsWith("--")
    ? `${issue.path}: ${issue.message} (${renderValue(issue.value)}) — ${issue.fix}`
    : renderIssue(issue);
}

export function refused(what: string, issues: readonly Issue[], usage?: string): CommandResult {
  const lines = [`${what}: refused`, ...issues.map((i) => `  ${renderRefusal(i)}`)];
  return { code: 2, stdout: "", stderr: `${lines.join("\n")}\n${usage ? `\n${usage}\n` : ""}` };
}

/** Validates `after`, shows its difference from `before`, and writes it unless `dryRun`. */
export async function applyStackChange(args: {
  readonly what: string;
  readonly file: string;
  readonly stack: string;
  readonly before: string;
  readonly after: string;
  readonly dryRun: boolean;
  readonly notes?: readonly string[];
}): Promise<CommandResult> {
  let base, head;
  try {
    base = await planText(args.before, basename(args.file), args.stack);
    head = await planText(args.after, `${basename(args.file)} after the change`, args.stack);
  } catch (e) {
    if (e instanceof SpecError) {
      return { code: 2, stdout: "", stderr: `${args.what}: refused, the result would not plan\n${e.message}\n` };
    }
    throw e;
  }
  let violations;
  try {
    violations = violationsFor(head.run, policyConfigOf(args.stack));
  } catch (e) {
    if (e instanceof PolicyConfigError) {
      return { code: 2, stdout: "", stderr: `${e.message}\n` };
    }
    throw e;
  }
  const diff = diffPlans(
    { resources: base.run.resources, clusters: base.spec.clusters.map((c) => c.name) },
    { resources: head.run.resources, clusters: head.spec.clusters.map((c) => c.name) },
    { project: CONFIG_NAMESPACE, stack: args.stack, against: `${basename(args.file)} before the change`, violations },
  );
  if (!args.dryRun) {
    writeFileSync(args.file, args.after);
  }
  const done = args.dryRun ? `${args.what} (dry run: ${args.file} is unchanged)` : `${args.what}: wrote ${args.file}`;
  const notes = (args.notes ?? []).map((n) => `note: ${n}`);
  const stdout = [done, ...notes, "", renderDiffText(diff)].join("\n");
  return { code: violations.some((v) => v.enforcement === "mandatory") ? 1 : 0, stdout, stderr: "" };
}
