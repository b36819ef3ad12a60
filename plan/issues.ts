/**
 * Validation problems, reported together and by config key path.
 *
 * Every problem renders as `<config key path>: <what is wrong> (<value>) — <what to do>`.
 */
import { renderValue } from "../policies/shared/render-value";

/** Shared with the policy pack's messages. */
export { renderValue };

/** One validation problem. `path` is relative to the project's config namespace, e.g. `clusters[1].zones[0]`. */
export interface Issue {
  readonly path: string;
  /** What is wrong, without the value. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
  /** The offending value; `undefined` renders as `missing`. */
  readonly value: unknown;
}

/** The config namespace every key lives in (the Pulumi project name). */
export const CONFIG_NAMESPACE = "multicluster-mesh";

/** Thrown by `plan…` functions when the spec has one or more problems; carries all of them. */
export class SpecError extends Error {
  readonly issues: readonly Issue[];

  constructor(issues: readonly Issue[]) {
    super(renderIssues(issues));
    this.name = "SpecError";
    this.issues = issues;
  }
}

/** Builds a path like `clusters[1].zones[0]` from path segments. */
export function joinPath(segments: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") {
      out += `[${segment}]`;
    } else {
      const key = String(segment);
      out += out === "" ? key : `.${key}`;
    }
  }
  return out;
}

/** Config paths whose values are private keys or credentials (certificates are public): never echoed in a message. */
const SENSITIVE_PATH = /keypem|privatekey|kubeconfig|token|password|psk/i;

/** `multicluster-mesh:<path>: <message> (<value>) — <fix>`; sensitive values render as `[redacted]`. */
export function renderIssue(issue: Issue): string {
  const key = issue.path === "" ? CONFIG_NAMESPACE : `${CONFIG_NAMESPACE}:${issue.path}`;
  const value = SENSITIVE_PATH.test(issue.path) && issue.value !== undefined ? "[redacted]" : renderValue(issue.value);
  return `${key}: ${issue.message} (${value}) — ${issue.fix}`;
}

export function renderIssues(issues: readonly Issue[]): string {
  const noun = issues.length === 1 ? "problem" : "problems";
  return [`invalid stack config: ${issues.length} ${noun}`, ...issues.map((i) => `  ${renderIssue(i)}`)].join("\n");
}

/** Throws a SpecError when `issues` is not empty. */
export function throwIfAny(issues: readonly Issue[]): void {
  if (issues.length > 0) {
    throw new SpecError(issues);
  }
}
