/**
 * Runs the policy pack offline, over the resources a mock run recorded, the way CrossGuard runs it during a preview:
 *
 * - every resource policy's `validateResource` once per resource, with `type`, `props` (the recorded inputs),
 *   `urn`, `name`, `opts` (protect, parent), `provider` (the provider resource and its inputs), `getConfig`,
 *   `isType`/`asType` and `notApplicable`;
 * - every stack policy's `validateStack` once, with all resources (parent, provider and dependencies resolved to
 *   the resource objects);
 * - enforcement and config as `--policy-pack-config` sets them: each policy's schema defaults, then `"all"` (sets
 *   every policy's level), then per-policy entries (a level string, or an object with `enforcementLevel` and config
 *   values); `remediate` counts as mandatory, `disabled` skips the policy.
 *
 * Differences from CrossGuard, on purpose: config naming an unknown policy or property is an error here (CrossGuard
 * ignores it, so a typo would silently fall back to the default), and rules run synchronously.
 *
 * Values recorded as "[secret]" stay that string; the rules treat it as opaque. A recorded resource may carry
 * `propertyDependencies` (URNs per input property); they become dependencies as in CrossGuard.
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyConfigSchema,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { z } from "zod";
import { DEFAULT_ENFORCEMENT_LEVEL, rules } from "../policies/rules";
import { unknownConfigKeys } from "../policies/strict-config";
import type { MockRun, RecordedResource } from "./mock-runtime";

/** One finding, as the offline plan reports it. */
export interface Violation {
  readonly policy: string;
  readonly enforcement: "advisory" | "mandatory";
  /** The resource the finding is about; null for a stack-wide finding that names none. */
  readonly urn: string | null;
  readonly message: string;
}

/** A policy pack config file's content (`--policy-pack-config`), not yet validated. */
export type PolicyConfig = Readonly<Record<string, unknown>>;

/** A policy's effective settings after defaults and config. */
export interface ResolvedPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The policy config is invalid; `problems` lists every problem. */
export class PolicyConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid policy config: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "PolicyConfigError";
    this.problems = problems;
  }
}

/** A recorded resource, optionally with the dependencies of each input property. */
type Recorded = RecordedResource & { readonly propertyDependencies?: Readonly<Record<string, readonly string[]>> };

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

function levelProblem(where: string, v: unknown): string {
  return `${where}: ${JSON.stringify(v)} is not an enforcement level — use ${LEVELS.join(", ")}`;
}

function isResourcePolicy(p: Policies[number]): p is ResourceValidationPolicy {
  return (p as ResourceValidationPolicy).validateResource !== undefined;
}

function isStackPolicy(p: Policies[number]): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

function defaultsOf(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema?.properties ?? {})) {
    if (typeof property === "object" && property.default !== undefined) {
      out[key] = property.default;
    }
  }
  return out;
}

/** Validates config values against a policy's JSON schema; returns the problems. */
function schemaProblems(
  policy: string,
  schema: PolicyConfigSchema | undefined,
  values: Record<string, unknown>,
): string[] {
  const problems = unknownConfigKeys(policy, schema, values);
  if (schema === undefined) {
    return problems;
  }
  const validator = z.fromJSONSchema({
    type: "object",
    properties: schema.properties,
    ...(schema.required ? { required: schema.required } : {}),
  } as Parameters<typeof z.fromJSONSchema>[0]);
  const result = validator.safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join(".");
      problems.push(
        `${policy}${path === "" ? "" : `.${path}`}: ${issue.message} (${JSON.stringify(valueAt(values, issue.path))})`,
      );
    }
  }
  return problems;
}

function valueAt(v: unknown, path: readonly PropertyKey[]): unknown {
  let cur = v;
  for (const key of path) {
    cur = typeof cur === "object" && cur !== null ? (cur as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return cur;
}

/**
 * Every policy's level and config: defaults from the policy and its schema, then `"all"`, then per-policy entries.
 * Throws a PolicyConfigError listing every problem.
 */
export function resolvePolicyConfig(policies: Policies, config: PolicyConfig = {}): Map<string, ResolvedPolicyConfig> {
  const problems: string[] = [];
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new PolicyConfigError(['the policy config must be a JSON object keyed by policy name (or "all")']);
  }
  const names = policies.map((p) => p.name);
  const levels = new Map<string, EnforcementLevel>(
    policies.map((p) => [p.name, p.enforcementLevel ?? DEFAULT_ENFORCEMENT_LEVEL]),
  );
  const given = new Map<string, Record<string, unknown>>();

  for (const [key, value] of Object.entries(config)) {
    let level: unknown;
    let properties: Record<string, unknown> = {};
    if (typeof value === "string") {
      level = value;
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const { enforcementLevel, ...rest } = value as Record<string, unknown>;
      level = enforcementLevel;
      properties = rest;
    } else {
      problems.push(`${key}: ${JSON.stringify(value)} is neither an enforcement level nor an object`);
      continue;
    }
    if (level !== undefined && !isLevel(level)) {
      problems.push(levelProblem(key, level));
      level = undefined;
    }
    if (key === "all") {
      if (Object.keys(properties).length > 0) {
        problems.push(
          `all: takes only an enforcement level — move ${Object.keys(properties).join(", ")} under a policy`,
        );
      }
      if (isLevel(level)) {
        names.forEach((n) => levels.set(n, level as EnforcementLevel));
      }
      continue;
    }
    if (!names.includes(key)) {
      problems.push(`${key}: no such policy — use all or one of ${names.join(", ")}`);
      continue;
    }
    given.set(key, properties);
  }
  // Per-policy levels apply after "all", whatever the key order in the file.
  for (const [key, value] of Object.entries(config)) {
    const level = typeof value === "string" ? value : (value as Record<string, unknown> | null)?.["enforcementLevel"];
    if (key !== "all" && names.includes(key) && isLevel(level)) {
      levels.set(key, level);
    }
  }

  const resolved = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    const properties = { ...defaultsOf(policy.configSchema), ...(given.get(policy.name) ?? {}) };
    problems.push(...schemaProblems(policy.name, policy.configSchema, properties));
    resolved.set(policy.name, { enforcementLevel: levels.get(policy.name) ?? DEFAULT_ENFORCEMENT_LEVEL, properties });
  }
  if (problems.length > 0) {
    throw new PolicyConfigError(problems);
  }
  return resolved;
}

class NotApplicable extends Error {}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason ?? "Policy does not apply");
}

/** `…::parent$type::name` → `type`. */
function typeOfUrn(urn: string): string {
  return urn.split("::")[2]?.split("$").pop() ?? "";
}

function nameOfUrn(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const token = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof token === "string" && token !== "") {
    return token === type;
  }
  const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** The resources as CrossGuard's stack validation sees them: parents, providers and dependencies resolved. */
export function policyResources(run: MockRun): PolicyResource[] {
  const recorded = run.resources as readonly Recorded[];
  const byUrn = new Map<string, PolicyResource>();
  const out = recorded.map((r) => {
    const props = structuredClone(r.inputs) as Record<string, unknown>;
    const opts: PolicyResourceOptions = {
      protect: r.protect,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      ...(r.parent ? { parent: r.parent } : {}),
    };
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts,
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(r.type, cls),
      asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  const resolve = (urns: readonly string[]): PolicyResource[] => urns.flatMap((u) => byUrn.get(u) ?? []);
  recorded.forEach((r, i) => {
    const resource = out[i] as PolicyResource;
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) {
      resource.parent = parent;
    }
    const provider = providerOf(r.provider, byUrn);
    if (provider) {
      resource.provider = provider;
    }
    const byProperty = Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) => [k, resolve(urns)] as const);
    resource.propertyDependencies = Object.fromEntries(byProperty);
    const all = new Set([...r.dependsOn, ...byProperty.flatMap(([, deps]) => deps.map((d) => d.urn))]);
    resource.dependencies = resolve([...all]);
  });
  return out;
}

function providerOf(
  urn: string | null,
  byUrn: ReadonlyMap<string, PolicyResource>,
): PolicyProviderResource | undefined {
  if (!urn) {
    return undefined;
  }
  const p = byUrn.get(urn);
  return p
    ? { type: p.type, props: p.props, urn: p.urn, name: p.name }
    : { type: typeOfUrn(urn), props: {}, urn, name: nameOfUrn(urn) };
}

function settle(policy: string, result: unknown): void {
  if (result instanceof Promise) {
    result.catch(() => undefined);
    throw new Error(`policy ${policy} returned a promise; the offline runner runs rules synchronously`);
  }
}

function enforcementOf(level: EnforcementLevel): "advisory" | "mandatory" {
  return level === "advisory" ? "advisory" : "mandatory";
}

/** Runs `policies` over a mock run's resources with the given pack config; returns every violation. */
export function runPolicies(run: MockRun, policies: Policies, config: PolicyConfig = {}): Violation[] {
  const settings = resolvePolicyConfig(policies, config);
  const resources = policyResources(run);
  const violations: Violation[] = [];
  const active = policies.filter((p) => settings.get(p.name)?.enforcementLevel !== "disabled");
  const setting = (name: string): ResolvedPolicyConfig => settings.get(name) as ResolvedPolicyConfig;
  const getConfigFor =
    (name: string) =>
    <T extends object>(): T =>
      structuredClone(setting(name).properties) as T;

  const guarded = (policy: string, what: string, body: () => void): void => {
    try {
      body();
    } catch (e) {
      if (e instanceof NotApplicable) {
        return;
      }
      throw new Error(`Error validating ${what} with policy '${policy}': ${(e as Error).message}`, { cause: e });
    }
  };

  for (const r of resources) {
    for (const p of active.filter(isResourcePolicy)) {
      const enforcement = enforcementOf(setting(p.name).enforcementLevel);
      const report: ReportViolation = (message) =>
        violations.push({ policy: p.name, enforcement, urn: r.urn, message });
      const args: ResourceValidationArgs = {
        type: r.type,
        props: r.props,
        urn: r.urn,
        name: r.name,
        opts: r.opts,
        ...(r.provider ? { provider: r.provider } : {}),
        stackTags: new Map(),
        isType: r.isType,
        asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? r.props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: getConfigFor(p.name),
        notApplicable,
      };
      const validations = p.validateResource === undefined ? [] : [p.validateResource].flat();
      for (const validate of validations) {
        guarded(p.name, `resource ${r.urn}`, () => settle(p.name, validate(args, report)));
      }
    }
  }

  for (const p of active.filter(isStackPolicy)) {
    const enforcement = enforcementOf(setting(p.name).enforcementLevel);
    const report: ReportViolation = (message, urn) =>
      violations.push({ policy: p.name, enforcement, urn: urn ?? null, message });
    const args: StackValidationArgs = {
      resources,
      stackTags: new Map(),
      getConfig: getConfigFor(p.name),
      notApplicable,
    };
    guarded(p.name, "the stack", () => settle(p.name, p.validateStack(args, report)));
  }
  return violations;
}

/** Each policy of the project's pack and its enforcement level under a pack config, by policy name. */
export function enforcementLevels(policyConfig: PolicyConfig = {}): Record<string, EnforcementLevel> {
  const resolved = resolvePolicyConfig(rules, policyConfig);
  return Object.fromEntries([...resolved.entries()].map(([name, r]) => [name, r.enforcementLevel]));
}

/** The project's policy pack over a mock run, with a pack config (e.g. the content of policies/config/<env>.json). */
export function violationsFor(run: MockRun, policyConfig: PolicyConfig = {}): Violation[] {
  return runPolicies(run, rules, policyConfig);
}
