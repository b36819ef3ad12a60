/**
 * `npm run verify -- [--stack <env>] [--config <stack file>] [--outputs <file>] [--context <cluster>=<context>]...
 *  [--format text|json|markdown] [--timeout <seconds>] [--expiry-days <days>]`
 *
 * Reads a deployed environment and reports, per pair of clusters, whether the interconnect works and why not. It only
 * reads (get, list, and GET through the API server's pod proxy); it never changes a cluster.
 * Exit codes: 0 every check passed; 1 something is broken (each failure names its cluster, check and reason);
 * 2 invalid arguments or config, or no access to some cluster.
 */
import { PROJECT_ROOT, stackAndFile } from "../stack-file";
import { lookup } from "node:dns/promises";
import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type FleetPlan, planFleet } from "../../plan";
import { SpecError } from "../../plan/issues";
import type { FleetSpec } from "../../plan/spec";
import { specFromStackFile } from "../../stacks/load";
import {
  type ClusterAccess,
  parseOutputs,
  type PulumiOutputs,
  pulumiCliOutputs,
  resolveAccess,
  type StackOutputs,
} from "./access";
import { clusterReader, UnreachableError } from "./client";
import { meshVerifier, startMeshVerify } from "./meshes";
import { renderVerifyMarkdown, renderVerifyText } from "./render";
import { type CheckResult, verifyDocument } from "./report";

export const USAGE = `usage: npm run verify -- [--stack <env>] [--config <stack file>] [--outputs <file>] [--context <cluster>=<context>]...
                        [--format text|json|markdown] [--timeout <seconds>] [--expiry-days <days>]

  --stack <env>                 environment to verify (default: the outputs' environment, else dev)
  --config <file>               the stack file that says what the environment should be (default stacks/Pulumi.<env>.yaml)
  --outputs <file>              the output of pulumi stack output --json --show-secrets (default: ask the Pulumi CLI)
  --context <cluster>=<context> reach a cluster through a context of your kubeconfig instead (repeatable)
  --format <fmt>                text (default, a cluster × cluster matrix), json, or markdown (matrix and Mermaid diagram)
  --timeout <seconds>           per-cluster timeout (default 20)
  --expiry-days <days>          fail an intermediate CA that expires within this many days (default 30)

exit codes: 0 healthy; 1 something is broken; 2 invalid arguments or config, or no access to a cluster`;

/** The project root (this file lives in tools/verify/). */
const FORMATS = ["text", "json", "markdown"] as const;
type Format = (typeof FORMATS)[number];

export interface VerifyResult {
  readonly code: 0 | 1 | 2;
  readonly stdout: string;
  readonly stderr: string;
}

/** What the command needs from its surroundings; tests replace any of them. */
export interface VerifyDeps {
  /** One progress line per cluster as it finishes (the entry point writes them to stderr at once). */
  readonly progress?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  readonly pulumiOutputs?: PulumiOutputs;
  readonly resolveHost?: (host: string) => Promise<string[]>;
  readonly now?: () => Date;
}

interface Options {
  readonly stack?: string;
  readonly configFile?: string;
  readonly outputsFile?: string;
  readonly contexts: Readonly<Record<string, string>>;
  readonly format: Format;
  readonly timeoutMs: number;
  readonly expiryDays: number;
}

function positiveNumber(flag: string, value: string | undefined, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : `${flag} must be a positive number (got ${JSON.stringify(value)})`;
}

function parseOptions(argv: readonly string[]): Options | string {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        stack: { type: "string" },
        config: { type: "string" },
        outputs: { type: "string" },
        context: { type: "string", multiple: true },
        format: { type: "string" },
        timeout: { type: "string" },
        "expiry-days": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return (e as Error).message;
  }
  if (values["help"]) return "";
  const format = (values["format"] as string | undefined) ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    return `--format must be one of ${FORMATS.join(", ")} (got ${JSON.stringify(format)})`;
  }
  const contexts: Record<string, string> = {};
  for (const pair of (values["context"] as string[] | undefined) ?? []) {
    const match = /^([^=]+)=(.+)$/.exec(pair);
    if (match === null) return `--context must be <cluster>=<kubeconfig context> (got ${JSON.stringify(pair)})`;
    contexts[match[1] as string] = match[2] as string;
  }
  const timeout = positiveNumber("--timeout", values["timeout"] as string | undefined, 20);
  if (typeof timeout === "string") return timeout;
  const expiryDays = positiveNumber("--expiry-days", values["expiry-days"] as string | undefined, 30);
  if (typeof expiryDays === "string") return expiryDays;
  const stack = values["stack"] as string | undefined;
  if (stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(stack)) {
    return `--stack must be a stack name such as dev (got ${JSON.stringify(stack)})`;
  }
  const configFile = values["config"] as string | undefined;
  const outputsFile = values["outputs"] as string | undefined;
  return {
    ...(stack !== undefined ? { stack } : {}),
    ...(configFile !== undefined ? { configFile: resolve(configFile) } : {}),
    ...(outputsFile !== undefined ? { outputsFile: resolve(outputsFile) } : {}),
    contexts,
    format: format as Format,
    timeoutMs: timeout * 1000,
    expiryDays,
  };
}

async function defaultResolveHost(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}

/** Runs `collect` with every request aborted after `ms`; a timeout or a refused connection is an UnreachableError. */
async function withTimeout<T>(ms: number, collect: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new UnreachableError(`no answer within ${ms / 1000} s (--timeout)`));
    }, ms);
  });
  try {
    return await Promise.race([collect(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function fail(message: string): VerifyResult {
  return { code: 2, stdout: "", stderr: `${message}\n` };
}

/** Runs the verify command; never exits the process (tools/verify.ts does). */
export async function runVerifyCommand(argv: readonly string[], deps: VerifyDeps = {}): Promise<VerifyResult> {
  const options = parseOptions(argv);
  if (typeof options === "string") {
    return options === "" ? { code: 0, stdout: `${USAGE}\n`, stderr: "" } : fail(`${options}\n\n${USAGE}`);
  }
  const env = deps.env ?? process.env;
  let outputs: StackOutputs | undefined;
  if (options.outputsFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.outputsFile, "utf8");
    } catch {
      return fail(`--outputs: ${options.outputsFile} cannot be read`);
    }
    const parsed = parseOutputs(text, options.outputsFile);
    if (typeof parsed === "string") return fail(`--outputs: ${parsed}`);
    outputs = parsed;
  }
  const fromFileName = options.configFile
    ? /^Pulumi\.([^.]+)\.ya?ml$/.exec(basename(options.configFile))?.[1]
    : undefined;
  // As npm run plan reads a stack file (stackAndFile), with the outputs' environment after the file's name.
  const located = stackAndFile(options.stack ?? fromFileName ?? outputs?.environment, options.configFile);
  if (typeof located === "string") return fail(located);
  const { stack, file } = located;
  if (outputs?.environment !== undefined && outputs.environment !== stack) {
    return fail(
      `--outputs: the outputs are environment ${outputs.environment}'s, not ${stack}'s — pass the matching --stack or outputs file`,
    );
  }
  let spec: FleetSpec;
  let plan: FleetPlan;
  try {
    spec = specFromStackFile(file, stack);
    plan = planFleet(spec);
  } catch (e) {
    if (e instanceof SpecError) return fail(e.message);
    throw e;
  }
  const unknownContexts = Object.keys(options.contexts).filter((c) => !spec.clusters.some((s) => s.name === c));
  if (unknownContexts.length > 0) {
    return fail(
      `--context names no cluster of ${stack}: ${unknownContexts.join(", ")} (clusters: ${spec.clusters.map((c) => c.name).join(", ")})`,
    );
  }
  const verifier = meshVerifier(plan.interconnect.kind);
  if (verifier === undefined) {
    return fail(`verify has no health checks for the ${spec.mesh} interconnect (stack ${stack})`);
  }
  let pulumiNote = "";
  const needOutputs = spec.clusters.some((c) => options.contexts[c.name] === undefined) || verifier.needsOutputs;
  if (outputs === undefined && needOutputs) {
    const fromCli = await (deps.pulumiOutputs ?? pulumiCliOutputs(PROJECT_ROOT, env))(stack);
    if ("outputs" in fromCli) {
      outputs = fromCli.outputs;
    } else {
      pulumiNote = `\n(stack outputs: ${fromCli.unavailable})`;
    }
  }
  const access = resolveAccess(spec, outputs, options.contexts, env);
  if (typeof access[0] === "string" || access.length === 0) {
    return fail(
      `verify needs read access to every cluster of ${stack}:\n  ${(access as string[]).join("\n  ")}${pulumiNote}`,
    );
  }
  const progress = deps.progress ?? (() => undefined);
  const resolveHost = deps.resolveHost ?? defaultResolveHost;
  const checks: CheckResult[] = [];
  const mesh = startMeshVerify(verifier, plan.interconnect, {
    spec,
    outputs,
    now: (deps.now ?? (() => new Date()))(),
    expiryDays: options.expiryDays,
    resolveHost,
  });

  let done = 0;
  await Promise.all(
    (access as ClusterAccess[]).map(async ({ cluster, kubeconfig, source }) => {
      const started = Date.now();
      try {
        await withTimeout(options.timeoutMs, async (signal) => {
          await mesh.collect(cluster, clusterReader(kubeconfig, signal));
        });
        const server = kubeconfig.getCurrentCluster()?.server ?? "";
        checks.push({ cluster, peer: null, check: "access", ok: true, reason: `read through ${source} (${server})` });
        done += 1;
        progress(
          `verify [${done}/${access.length}] ${cluster}: read in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      } catch (e) {
        if (!(e instanceof UnreachableError)) throw e;
        checks.push({
          cluster,
          peer: null,
          check: "access",
          ok: false,
          reason: `${e.message} — is the API server up and reachable from here?`,
        });
        done += 1;
        progress(`verify [${done}/${access.length}] ${cluster}: unreachable: ${e.message}`);
      }
    }),
  );

  const order = spec.clusters.map((c) => c.name);
  checks.sort((a, b) => order.indexOf(a.cluster) - order.indexOf(b.cluster));
  checks.push(...mesh.check());
  const doc = verifyDocument(spec.environment, spec.mesh, mesh.matrix, checks);
  const stdout =
    options.format === "json"
      ? `${JSON.stringify(doc, null, 2)}\n`
      : options.format === "markdown"
        ? renderVerifyMarkdown(doc)
        : renderVerifyText(doc);
  return { code: doc.healthy ? 0 : 1, stdout, stderr: "" };
}
