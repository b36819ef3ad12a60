/**
 * Fleets for the policy tests, recorded from the real program under the mock runtime: a FleetSpec (a shipped stack,
 * or one edited per case) runs through `fleetProgram`, and the pack runs over what it registered. A break the
 * stack schema refuses is made by a small, explicit edit of one recorded resource (`edit(run).set(...)`).
 * Recorded runs are cached per spec for the test file (each takes about a second).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type FleetSpec, parseFleetSpec } from "../../plan/spec";
import { fleetProgram } from "../../program";
import { rawConfigFromStackYaml } from "../../stacks/load";
import { type MockRun, type RecordedResource, runUnderMocks } from "../../tools/mock-runtime";
import { PROJECT_ROOT } from "../../tools/plan-command";
import { type PolicyConfig, type Violation, violationsFor } from "../../tools/policy-runner";

export const PROJECT = "multicluster-mesh";

type Raw = Record<string, unknown>;
export type RawCluster = Raw & { name: string };

/** A shipped stack's config (`multicluster-mesh:` keys without the prefix), as the loader reads it. */
export function rawStack(stack: string): Raw {
  const file = join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`);
  return rawConfigFromStackYaml(readFileSync(file, "utf8"), file);
}

/** A stack's config with its clusters (and other keys) edited, parsed as the program would. */
export function stackSpec(stack: string, edit: (raw: Raw) => Raw = (raw) => raw): FleetSpec {
  return parseFleetSpec(edit(structuredClone(rawStack(stack))), stack);
}

/** Edits the clusters of a raw config. */
export function clusters(edit: (clusters: RawCluster[]) => RawCluster[]): (raw: Raw) => Raw {
  return (raw) => ({ ...raw, clusters: edit(raw["clusters"] as RawCluster[]) });
}

/** prod's first two clusters (EKS aws-use1, GKE gcp-usc1): three zones each, protected, Istio. */
export function istioSpec(edit: (raw: Raw) => Raw = (raw) => raw): FleetSpec {
  return stackSpec("prod", (raw) => edit(clusters((c) => c.slice(0, 2))(raw)));
}

/** The shipped Submariner stack: aws-usw2 (the broker), gcp-usw1, aws-cac1, two gateway nodes each. */
export function submarinerSpec(edit: (raw: Raw) => Raw = (raw) => raw): FleetSpec {
  return stackSpec("submariner", edit);
}

const runs = new Map<string, Promise<MockRun>>();

/** The resources the program registers for a spec (cached per spec). */
export function record(spec: FleetSpec): Promise<MockRun> {
  const key = JSON.stringify(spec);
  const cached = runs.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const run = runUnderMocks(() => fleetProgram(spec), { project: PROJECT, stack: spec.environment });
  runs.set(key, run);
  return run;
}

/** The URN a run recorded for a resource name. */
export function urnIn(run: MockRun, name: string): string {
  const r = run.resources.find((x) => x.name === name);
  if (r === undefined) {
    throw new Error(`no resource named ${name}`);
  }
  return r.urn;
}

type Recorded = RecordedResource & { propertyDependencies?: Readonly<Record<string, readonly string[]>> };

/** An edited copy of a recorded run; the cached run stays untouched. */
export class Edit {
  private readonly list: Recorded[];

  constructor(private readonly base: MockRun) {
    this.list = structuredClone(base.resources) as Recorded[];
  }

  private index(name: string): number {
    const i = this.list.findIndex((r) => r.name === name);
    if (i < 0) {
      throw new Error(`no resource named ${name}`);
    }
    return i;
  }

  /** Replaces a resource's inputs or options. */
  change(name: string, edit: (r: Recorded) => Partial<Recorded>): this {
    const i = this.index(name);
    this.list[i] = { ...(this.list[i] as Recorded), ...edit(this.list[i] as Recorded) };
    return this;
  }

  /** Sets one input at a dotted path (`values.global.meshID`, or keys for keys with dots); undefined deletes it. */
  set(name: string, path: string | readonly string[], value: unknown): this {
    const keys = typeof path === "string" ? path.split(".") : path;
    return this.change(name, (r) => ({ inputs: setPath(r.inputs, keys, value) }));
  }

  /** The recorded value of an input at a dotted path. */
  get(name: string, path: string): unknown {
    let v: unknown = this.list[this.index(name)]?.inputs;
    for (const key of path.split(".")) {
      v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined;
    }
    return v;
  }

  remove(name: string): this {
    this.list.splice(this.index(name), 1);
    return this;
  }

  /** A copy of a recorded resource under a new name (same type, parent and provider), with its inputs edited. */
  copy(name: string, as: string, inputs: (old: Record<string, unknown>) => Record<string, unknown>): string {
    const r = this.list[this.index(name)] as Recorded;
    const urn = `${r.urn.slice(0, r.urn.lastIndexOf("::"))}::${as}`;
    this.list.push({ ...structuredClone(r), urn, name: as, inputs: inputs(structuredClone(r.inputs)) });
    return urn;
  }

  run(): MockRun {
    return { ...this.base, resources: structuredClone(this.list) };
  }
}

export function edit(run: MockRun): Edit {
  return new Edit(run);
}

function setPath(obj: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) {
    return obj;
  }
  const copy = { ...obj };
  if (rest.length === 0) {
    if (value === undefined) {
      delete copy[head];
    } else {
      copy[head] = value;
    }
    return copy;
  }
  const inner = copy[head];
  copy[head] = setPath(
    typeof inner === "object" && inner !== null ? (inner as Record<string, unknown>) : {},
    rest,
    value,
  );
  return copy;
}

/** The violations of one policy, with that policy's config (and the pack's defaults for the rest). */
export function violationsOf(run: MockRun, policy: string, config: Record<string, unknown> = {}): Violation[] {
  const policyConfig: PolicyConfig = Object.keys(config).length > 0 ? { [policy]: config } : {};
  return violationsFor(run, policyConfig).filter((v) => v.policy === policy);
}

/** Just the messages. */
export function messagesOf(run: MockRun, policy: string, config: Record<string, unknown> = {}): string[] {
  return violationsOf(run, policy, config).map((v) => v.message);
}
