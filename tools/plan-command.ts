/**
 * `npm run plan -- [--stack <env>] [--config <stack yaml file>] [--against <git ref | stack file>] [--format text|json|markdown] [--policy-config <file>]`
 *
 * Evaluates the real program offline under the mock runtime and runs the policy pack over the result. With
 * `--against`, also plans the stack file as it was (./plan-against.ts) and reports the difference instead.
 * Exit codes: 0 planned with no mandatory violation; 1 at least one mandatory violation; 2 invalid arguments or
 * invalid config (every bad key path is named, and nothing is registered).
 */
import { PROJECT_ROOT, stackAndFile } from "./stack-file";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { type FleetPlan, planFleet } from "../plan";
import { CONFIG_NAMESPACE, SpecError } from "../plan/issues";
import { type FleetSpec, parseFleetSpec } from "../plan/spec";
import { fleetProgram } from "../program";
import { encryptedConfigFromStackYaml, rawConfigFromStackYaml, readStackFile } from "../stacks/load";
import { runUnderMocks } from "./mock-runtime";
import { diffAgainst, readAgainst } from "./plan-against";
import type { PlanDocument, PolicyConfigUsed } from "./plan-document";
import { enforcementLevels, type PolicyConfig, PolicyConfigError, violationsFor } from "./policy-runner";
import { renderDiffMarkdown, renderDiffText } from "./render-diff";
import { renderMarkdown } from "./render-markdown";
import { renderText } from "./render-text";
import { type StandIns, standInsFor } from "./stand-ins";

export const USAGE = `usage: npm run plan -- [--stack <env>] [--config <stack yaml file>] [--against <git ref | stack file>]
                     [--format text|json|markdown] [--policy-config <file>]

  --stack <env>            environment to plan (default dev): reads stacks/Pulumi.<env>.yaml
  --config <file>          plan this stack file instead (same schema as the shipped stacks); its stack is
                           --stack, else <stack> of its name Pulumi.<stack>.yaml
  --against <ref|file>     report what changed against the stack file at a git ref (e.g. origin/main) or in a file
  --format <fmt>           text (default), json (the plan document) or markdown (a pull-request summary)
  --policy-config <file>   policy pack config (default policies/config/<env>.json when it exists)

exit codes: 0 planned, no mandatory violation; 1 mandatory violation; 2 invalid arguments or config`;

export interface CommandResult {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

const FORMATS = ["text", "json", "markdown"] as const;
type Format = (typeof FORMATS)[number];

/** The project root (this file lives in tools/). */

export { PROJECT_ROOT };

interface Options {
  readonly stack: string;
  readonly file: string;
  readonly format: Format;
  readonly policyConfigFile?: string;
  readonly against?: string;
}

function parseOptions(argv: readonly string[]): Options | string {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        config: { type: "string" },
        format: { type: "string" },
        "policy-config": { type: "string" },
        against: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return (e as Error).message;
  }
  if (values["help"]) {
    return "";
  }
  const format = (values["format"] as string | undefined) ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    return `--format must be one of ${FORMATS.join(", ")} (got ${JSON.stringify(format)})`;
  }
  const configFile = values["config"] as string | undefined;
  const located = stackAndFile(values["stack"] as string | undefined, configFile);
  if (typeof located === "string") {
    return located;
  }
  const { stack, file } = located;
  const policyConfigFile = values["policy-config"] as string | undefined;
  const against = values["against"] as string | undefined;
  if (against === "") {
    return "--against needs a git ref (e.g. origin/main) or a stack file";
  }
  return {
    stack,
    file,
    format: format as Format,
    ...(policyConfigFile ? { policyConfigFile: resolve(policyConfigFile) } : {}),
    ...(against !== undefined ? { against } : {}),
  };
}

/** A path as documents show it: relative to the project when inside it, else as given. */
function shown(file: string): string {
  const inside = relative(PROJECT_ROOT, file);
  return inside.startsWith("..") || isAbsolute(inside) ? file : inside.split(sep).join("/");
}

/** The policy config for an environment: an explicit file, policies/config/<env>.json, or the pack's defaults. */
function loadPolicyConfig(options: Options): { config: PolicyConfig; file: string | null } | string {
  const file = options.policyConfigFile ?? join(PROJECT_ROOT, "policies", "config", `${options.stack}.json`);
  if (!existsSync(file)) {
    return options.policyConfigFile ? `--policy-config: ${file} does not exist` : { config: {}, file: null };
  }
  try {
    return { config: JSON.parse(readFileSync(file, "utf8")) as PolicyConfig, file: shown(file) };
  } catch (e) {
    return `policy config ${file} is not valid JSON: ${(e as Error).message}`;
  }
}

/** Runs the plan command; never exits the process (tools/plan.ts does). */
export async function runPlanCommand(argv: readonly string[]): Promise<CommandResult> {
  const options = parseOptions(argv);
  if (typeof options === "string") {
    return options === ""
      ? { code: 0, stdout: `${USAGE}\n`, stderr: "" }
      : { code: 2, stdout: "", stderr: `${options}\n\n${USAGE}\n` };
  }
  const loaded = loadPolicyConfig(options);
  if (typeof loaded === "string") {
    return { code: 2, stdout: "", stderr: `${loaded}\n` };
  }
  const policyConfig = loaded.config;
  // Plan first: every config and address problem is found before the program registers anything.
  let spec: FleetSpec;
  let plan: FleetPlan;
  let standIns: StandIns;
  try {
    const text = readStackFile(options.file);
    standIns = await standInsFor(encryptedConfigFromStackYaml(text, options.file));
    spec = parseFleetSpec(rawConfigFromStackYaml(text, options.file, standIns.values), options.stack);
    plan = planFleet(spec);
  } catch (e) {
    if (e instanceof SpecError) {
      return { code: 2, stdout: "", stderr: `${e.message}\n` };
    }
    throw e;
  }
  const run = await runUnderMocks(() => fleetProgram(spec), { project: CONFIG_NAMESPACE, stack: options.stack });
  let violations: PlanDocument["violations"];
  let enforcement: PolicyConfigUsed["enforcement"];
  try {
    violations = violationsFor(run, policyConfig);
    enforcement = enforcementLevels(policyConfig);
  } catch (e) {
    if (e instanceof PolicyConfigError) {
      return { code: 2, stdout: "", stderr: `${e.message}\n` };
    }
    throw e;
  }
  // Exactly the contract's fields per resource (the runtime records more for the policy runner).
  const resources = run.resources.map(({ urn, type, name, parent, provider, protect, dependsOn, inputs }) => ({
    urn,
    type,
    name,
    parent,
    provider,
    protect,
    dependsOn,
    inputs,
  }));
  const doc: PlanDocument = {
    project: run.project,
    stack: run.stack,
    resources,
    outputs: run.outputs,
    violations,
    stackFile: shown(options.file),
    policyConfig: { file: loaded.file, enforcement },
    ...(standIns.list.length > 0 ? { standIns: standIns.list } : {}),
  };
  const code = violations.some((v) => v.enforcement === "mandatory") ? 1 : 0;
  if (options.against !== undefined) {
    return againstResult({ spec, run, violations }, { ...options, against: options.against }, code);
  }
  const stdout =
    options.format === "json"
      ? `${JSON.stringify(doc, null, 2)}\n`
      : options.format === "markdown"
        ? renderMarkdown(doc, plan)
        : renderText(doc, plan);
  return { code, stdout, stderr: "" };
}

/** `--against`: the difference between the stack file as it was and as it is, in the chosen format. */
async function againstResult(
  head: Parameters<typeof diffAgainst>[0],
  options: Options & { against: string },
  code: 0 | 1,
): Promise<CommandResult> {
  let diff;
  try {
    diff = await diffAgainst(head, await readAgainst(options.against, options.file), options.against);
  } catch (e) {
    if (e instanceof SpecError || (e instanceof Error && e.message.startsWith("--against"))) {
      return { code: 2, stdout: "", stderr: `${e.message}\n` };
    }
    throw e;
  }
  const stdout =
    options.format === "json"
      ? `${JSON.stringify(diff, null, 2)}\n`
      : options.format === "markdown"
        ? renderDiffMarkdown(diff)
        : renderDiffText(diff);
  return { code, stdout, stderr: "" };
}
