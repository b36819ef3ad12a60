/**
 * Where a command's stack file is: the project root, and the stack a run is for with its file, read the same way by
 * every command (plan, verify, add-cluster, retire-cluster).
 */
import { basename, join, resolve } from "node:path";

/** The project's root folder (this file is in tools/). */
export const PROJECT_ROOT = resolve(__dirname, "..");

/**
 * The stack a run is for and its stack file: `--stack`, else the name Pulumi gives the `--config` file
 * (`Pulumi.<stack>.yaml`), else dev with stacks/Pulumi.dev.yaml. Never a guess from a file name that names no stack,
 * as the stack name also picks the policy config: that is a message to show (exit 2).
 */
export function stackAndFile(
  givenStack: string | undefined,
  configFile: string | undefined,
): { stack: string; file: string } | string {
  const fromFileName = configFile ? /^Pulumi\.([^.]+)\.ya?ml$/.exec(basename(configFile))?.[1] : undefined;
  if (configFile !== undefined && givenStack === undefined && fromFileName === undefined) {
    return `--config ${configFile}: the file name names no stack (Pulumi names stack files Pulumi.<stack>.yaml) — rename it, or pass --stack <stack> to say which stack it is for`;
  }
  const stack = givenStack ?? fromFileName ?? "dev";
  if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
    return `--stack must be a stack name such as dev (got ${JSON.stringify(stack)})`;
  }
  return { stack, file: configFile ? resolve(configFile) : join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`) };
}
