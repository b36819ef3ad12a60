/**
 * How `npm run verify` reaches each cluster, in order of preference: a `--context <cluster>=<context>` of your
 * kubeconfig; the cluster's `kubeconfig` from the stack outputs (`--outputs <file>`, or `pulumi stack output --json
 * --show-secrets` when the Pulumi CLI is installed and logged in); for an existing cluster, the kubeconfig and context
 * its stack file names. Reading the outputs never changes anything.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { KubeConfig } from "@kubernetes/client-node";
import { z } from "zod";
import { isInlineKubeconfig } from "../../components/cloud/existing/existing-kubeconfig";
import type { FleetSpec } from "../../plan/spec";

const outputsSchema = z.looseObject({
  environment: z.string().optional(),
  clusters: z
    .record(
      z.string(),
      z.looseObject({
        endpoint: z.string().optional(),
        kubeconfig: z.string().optional(),
        gatewayAddress: z.string().nullable().optional(),
      }),
    )
    .optional(),
  rootCertificate: z.string().optional(),
});

/** What the command uses of `pulumi stack output --json --show-secrets`. */
export type StackOutputs = z.output<typeof outputsSchema>;

export function parseOutputs(text: string, source: string): StackOutputs | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return `${source} is not JSON (${(e as Error).message}) — give the output of pulumi stack output --json --show-secrets`;
  }
  const parsed = outputsSchema.safeParse(json);
  return parsed.success
    ? parsed.data
    : `${source} is not a stack output document (${parsed.error.issues[0]?.message ?? ""} at ${parsed.error.issues[0]?.path.join(".") ?? ""})`;
}

/** The stack outputs from the Pulumi CLI, or why they are not available. */
export type PulumiOutputs = (
  stack: string,
) => Promise<{ readonly outputs: StackOutputs } | { readonly unavailable: string }>;

/** Runs `pulumi stack output --json --show-secrets --stack <env>` in `cwd`. */
export function pulumiCliOutputs(cwd: string, env: NodeJS.ProcessEnv): PulumiOutputs {
  return (stack) =>
    new Promise((resolve) => {
      execFile(
        "pulumi",
        ["stack", "output", "--json", "--show-secrets", "--stack", stack],
        { cwd, env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error !== null) {
            const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
            resolve({
              unavailable: missing
                ? "the Pulumi CLI is not installed"
                : `pulumi stack output failed: ${stderr.trim().split("\n")[0] ?? error.message}`,
            });
            return;
          }
          const outputs = parseOutputs(stdout, "pulumi stack output");
          resolve(typeof outputs === "string" ? { unavailable: outputs } : { outputs });
        },
      );
    });
}

export interface ClusterAccess {
  readonly cluster: string;
  readonly kubeconfig: KubeConfig;
  /** Where the access came from, for the progress line. */
  readonly source: string;
}

function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

function kubeconfigFrom(value: string, context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  if (isInlineKubeconfig(value)) {
    kc.loadFromString(value);
  } else {
    kc.loadFromFile(expandHome(value));
  }
  if (context !== undefined) {
    if (kc.getContextObject(context) === null) {
      throw new Error(`the kubeconfig has no context ${context}`);
    }
    kc.setCurrentContext(context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new Error("the kubeconfig's current context names no cluster");
  }
  return kc;
}

/**
 * Access for every cluster of the spec, or every problem (a cluster with no way in, a kubeconfig that does not load).
 * `contexts` maps cluster names to contexts of the default kubeconfig (KUBECONFIG or ~/.kube/config).
 */
export function resolveAccess(
  spec: FleetSpec,
  outputs: StackOutputs | undefined,
  contexts: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
): ClusterAccess[] | string[] {
  const problems: string[] = [];
  const access: ClusterAccess[] = [];
  for (const cluster of spec.clusters) {
    const name = cluster.name;
    try {
      const context = contexts[name];
      if (context !== undefined) {
        const kubeconfigPath = env["KUBECONFIG"]?.split(":")[0] || `${homedir()}/.kube/config`;
        access.push({
          cluster: name,
          kubeconfig: kubeconfigFrom(readFileSync(kubeconfigPath, "utf8"), context),
          source: `context ${context}`,
        });
        continue;
      }
      // Only an existing cluster has an `existing` section (the schema refuses it on any other cloud).
      const fromStackFile = cluster.existing;
      const fromOutputs = outputs?.clusters?.[name]?.kubeconfig;
      if (fromOutputs !== undefined && fromOutputs !== "[secret]" && fromOutputs !== "") {
        access.push({
          cluster: name,
          kubeconfig: kubeconfigFrom(fromOutputs, fromStackFile?.context),
          source: "stack outputs",
        });
        continue;
      }
      if (fromStackFile !== undefined && fromStackFile.kubeconfig !== "[secret]") {
        access.push({
          cluster: name,
          kubeconfig: kubeconfigFrom(fromStackFile.kubeconfig, fromStackFile.context),
          source: "stack file",
        });
        continue;
      }
      problems.push(
        fromOutputs === "[secret]"
          ? `${name}: the stack outputs hide its kubeconfig — export them with pulumi stack output --json --show-secrets`
          : `${name}: no kubeconfig — pass --outputs <file of pulumi stack output --json --show-secrets>, log in to Pulumi, or --context ${name}=<kubeconfig context>`,
      );
    } catch (e) {
      problems.push(`${name}: its kubeconfig does not load (${(e as Error).message})`);
    }
  }
  return problems.length > 0 ? problems : access;
}
