/**
 * The mock runtime: evaluates a Pulumi program offline, as a preview would, and records every resource.
 *
 * Pulumi's mocks answer each registration with deterministic state (./mock-answers.ts). The program runs inside
 * `runInPulumiStack`, so it has a root stack; a stack transformation sees each resource's options (parent, protect,
 * dependsOn), the mock callback sees its resolved provider and its inputs, and the program's return value becomes
 * the stack outputs. Secret values are replaced by "[secret]" in everything recorded.
 *
 * Pulumi keeps its runtime in process-wide state: run one program at a time per process.
 */
import * as pulumi from "@pulumi/pulumi";
import { answerInvoke, answerResource, SECRET, walkSecrets } from "./mock-answers";

/** What the offline plan reports for one resource (the `npm run plan -- --format json` contract). */
export interface RecordedResource {
  readonly urn: string;
  /** Pulumi type token, e.g. `aws:ec2/vpc:Vpc`. */
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly provider: string | null;
  readonly protect: boolean;
  readonly dependsOn: readonly string[];
  /** Inputs as registered, secrets replaced by "[secret]". */
  readonly inputs: Record<string, unknown>;
  /**
   * Per top-level input, the URNs of the resources its value was computed from (what CrossGuard calls
   * propertyDependencies). Not part of the plan document's contract; the policy runner reads it.
   */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface MockRun {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
}

export interface MockRunOptions {
  readonly project: string;
  readonly stack: string;
  /** Evaluate as `pulumi preview` (default) or as `pulumi up`. */
  readonly preview?: boolean;
  /**
   * Record secret inputs as their values instead of "[secret]" (default false). Only for a run whose record is
   * replayed (the benchmark's baseline), never for one that is shown.
   */
  readonly revealSecrets?: boolean;
}

export { SECRET };

/**
 * The mock monitor qualifies the type of the root stack's direct children with the stack's type
 * (`pulumi:pulumi:Stack$aws:ec2/vpc:Vpc`); the engine does not. Recorded URNs follow the engine.
 */
function engineUrn(urn: string): string {
  return urn.replace("::pulumi:pulumi:Stack$", "::");
}

/** `urn:pulumi:stack::project::type::name::id` → `urn:pulumi:stack::project::type::name`. */
function urnOfReference(ref: string): string {
  const parts = ref.split("::");
  return engineUrn(parts.slice(0, 4).join("::"));
}

interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly provider: string | null;
}

interface Pending {
  readonly resource: pulumi.Resource;
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly opts: pulumi.ResourceOptions;
}

async function settle<T>(v: pulumi.Input<T> | undefined): Promise<T | undefined> {
  if (pulumi.Output.isInstance(v)) {
    return (v as unknown as { promise(): Promise<T> }).promise();
  }
  return v as T | undefined;
}

async function urnOf(resource: pulumi.Resource): Promise<string> {
  return engineUrn((await settle(resource.urn)) as string);
}

async function dependencyUrns(dependsOn: pulumi.ResourceOptions["dependsOn"]): Promise<string[]> {
  const resolved = await settle(dependsOn as pulumi.Input<unknown>);
  const list = Array.isArray(resolved) ? resolved : resolved === undefined ? [] : [resolved];
  const urns: string[] = [];
  for (const item of list) {
    const res = await settle(item as pulumi.Input<pulumi.Resource>);
    if (res !== undefined) {
      urns.push(await urnOf(res));
    }
  }
  return urns;
}

/** The resources every Output inside `v` was computed from. */
async function resourcesBehind(v: unknown, into: Set<pulumi.Resource>): Promise<void> {
  if (pulumi.Output.isInstance(v)) {
    for (const r of await pulumi.getAllResources(v as pulumi.Output<unknown>)) {
      into.add(r);
    }
    return;
  }
  if (Array.isArray(v)) {
    await Promise.all(v.map((x) => resourcesBehind(x, into)));
  } else if (typeof v === "object" && v !== null && !pulumi.Resource.isInstance(v) && !(v instanceof Promise)) {
    await Promise.all(Object.values(v).map((x) => resourcesBehind(x, into)));
  }
}

async function propertyDependencies(props: Record<string, unknown>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(props)) {
    const found = new Set<pulumi.Resource>();
    await resourcesBehind(value, found);
    if (found.size > 0) {
      out[key] = (await Promise.all([...found].map(urnOf))).sort();
    }
  }
  return out;
}

/**
 * Resolves inputs or outputs into plain JSON: secret leaves become "[secret]" (only the leaves, so the rest of a
 * Helm release's values stays reviewable), resources become their URN, undefined fields are dropped.
 */
async function resolveOutputs(v: unknown, reveal = false): Promise<unknown> {
  const again = (x: unknown): Promise<unknown> => resolveOutputs(x, reveal);
  if (pulumi.Output.isInstance(v)) {
    const out = v as unknown as { isSecret: Promise<boolean>; promise(): Promise<unknown> };
    if ((await out.isSecret) && !reveal) {
      return SECRET;
    }
    return again(await out.promise());
  }
  if (pulumi.Resource.isInstance(v)) {
    return urnOf(v);
  }
  if (v instanceof Promise) {
    return again(await v);
  }
  if (Array.isArray(v)) {
    return Promise.all(v.map(again));
  }
  if (typeof v === "object" && v !== null) {
    const entries = await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await again(x)] as const));
    return Object.fromEntries(entries.filter(([, x]) => x !== undefined));
  }
  return v;
}

/**
 * Runs `program` under mocks as the body of a Pulumi stack and returns every registered resource and the outputs.
 * Throws whatever the program throws (e.g. a SpecError) before or during registration.
 */
export async function runUnderMocks(
  program: () => Record<string, unknown> | Promise<Record<string, unknown>>,
  options: MockRunOptions,
): Promise<MockRun> {
  const registrations = new Map<string, Registration>();
  const providerInputs = new Map<string, Record<string, unknown>>();
  const pending: Pending[] = [];
  const duplicates: string[] = [];
  // Errors thrown inside mock callbacks lose their message on the way back through the runtime; keep them here.
  const failures: string[] = [];
  const remember = <T>(what: () => T): T => {
    try {
      return what();
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
      throw e;
    }
  };

  await pulumi.runtime.setMocks(
    {
      newResource: (args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } =>
        remember(() => {
          const provider = args.provider ? urnOfReference(args.provider) : null;
          const inputs = args.inputs as Record<string, unknown>;
          const key = `${args.type}::${args.name}`;
          if (registrations.has(key)) {
            duplicates.push(key);
          }
          registrations.set(key, { type: args.type, name: args.name, inputs, provider });
          if (args.type.startsWith("pulumi:providers:")) {
            providerInputs.set(args.name, walkSecrets(inputs, false) as Record<string, unknown>);
          }
          const providerName = provider?.split("::")[3];
          const answer = answerResource({
            type: args.type,
            name: args.name,
            inputs,
            providerInputs: (providerName && providerInputs.get(providerName)) || {},
          });
          return { id: args.custom === false ? "" : answer.id, state: answer.state };
        }),
      call: (args: pulumi.runtime.MockCallArgs): Record<string, unknown> =>
        remember(() => {
          const providerName = args.provider ? urnOfReference(args.provider).split("::")[3] : undefined;
          return answerInvoke(
            args.token,
            args.inputs as Record<string, unknown>,
            (providerName && providerInputs.get(providerName)) || {},
          );
        }),
    },
    options.project,
    options.stack,
    options.preview ?? true,
  );

  let outputs: Record<string, unknown> = {};
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        pending.push({ resource: args.resource, type: args.type, name: args.name, props: args.props, opts: args.opts });
        return undefined;
      });
      const result = await program();
      outputs = (await resolveOutputs(result)) as Record<string, unknown>;
      return result;
    });
    // Resources created inside `apply` callbacks may still be registering: drain the runtime's RPC queue.
    await pulumi.runtime.disconnect();
  } catch (e) {
    if (failures.length > 0) {
      throw new Error(failures.join("\n"));
    }
    throw e;
  }
  if (failures.length > 0) {
    throw new Error(failures.join("\n"));
  }

  if (duplicates.length > 0) {
    throw new Error(`mock runtime: resources registered twice with the same type and name: ${duplicates.join(", ")}`);
  }

  const stackUrn = `urn:pulumi:${options.stack}::${options.project}::pulumi:pulumi:Stack::${options.project}-${options.stack}`;
  const resources: RecordedResource[] = [
    {
      urn: stackUrn,
      type: "pulumi:pulumi:Stack",
      name: `${options.project}-${options.stack}`,
      parent: null,
      provider: null,
      protect: false,
      dependsOn: [],
      inputs: {},
    },
  ];
  for (const p of pending) {
    const reg = registrations.get(`${p.type}::${p.name}`);
    resources.push({
      urn: await urnOf(p.resource),
      type: p.type,
      name: p.name,
      parent: p.opts.parent ? await urnOf(p.opts.parent) : stackUrn,
      provider: reg?.provider ?? null,
      // The effective value: a child inherits `protect` from its parent after transformations have run.
      protect: (p.resource as unknown as { __protect?: boolean }).__protect === true,
      dependsOn: await dependencyUrns(p.opts.dependsOn),
      // From the registered props rather than the mock's view: the mock marks a whole top-level property secret
      // when any leaf inside it is, which would hide e.g. every chart value next to one token.
      inputs:
        reg === undefined ? {} : ((await resolveOutputs(p.props, options.revealSecrets)) as Record<string, unknown>),
      propertyDependencies: await propertyDependencies(p.props),
    });
  }
  resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { project: options.project, stack: options.stack, resources, outputs };
}

/** Lookup helpers for tests and tools. */
export function byType(run: MockRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

export function byName(run: MockRun, name: string): RecordedResource {
  const found = run.resources.filter((r) => r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected exactly one resource named ${name}, found ${found.length}`);
  }
  return found[0] as RecordedResource;
}
