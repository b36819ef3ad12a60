/**
 * The bare-SDK baseline of the benchmark: the fleet's registrations, recorded, and replayed in a flat loop with each
 * resource's own SDK class, so that the ratio to it is what the program adds on top of the SDK.
 */
import * as pulumi from "@pulumi/pulumi";

/** The project the benchmark's runs register under; its own component types start with it. */
export const PROJECT = "multicluster-mesh";

/** One registration of the fleet, as the baseline replays it. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The URN of the provider the resource was registered with, if any. */
  readonly provider: string | null;
  /** Its own URN (providers are looked up by it). */
  readonly urn: string;
}

const PROVIDER_PREFIX = "pulumi:providers:";

/** The fleet's registrations to replay: everything but the stack itself, which the runtime registers on both sides. */
export function registrationsOf(resources: readonly Registration[]): Registration[] {
  return resources
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, provider: r.provider, urn: r.urn }));
}

/** The SDK packages whose classes the baseline registers resources with, by package name. */
export type SdkPackages = Readonly<Record<string, unknown>>;

type ResourceClass = new (name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) => unknown;

function member(scope: unknown, key: string): unknown {
  return typeof scope === "object" && scope !== null ? (scope as Record<string, unknown>)[key] : undefined;
}

/**
 * The SDK class that registers a type token, as a program would use it: `aws:ec2/vpc:Vpc` → `aws.ec2.Vpc`,
 * `tls:index/privateKey:PrivateKey` → `tls.PrivateKey`, `kubernetes:core/v1:Secret` → `k8s.core.v1.Secret`,
 * `kubernetes:helm.sh/v3:Release` → `k8s.helm.v3.Release`, `pulumi:providers:gcp` → `gcp.Provider`; a Kubernetes kind
 * with no class of its own (a custom resource such as Istio's Gateway) → `k8s.apiextensions.CustomResource`, whose
 * inputs carry apiVersion and kind. Undefined for a token no package explains.
 */
export function sdkClassOf(type: string, packages: SdkPackages): ResourceClass | undefined {
  const [pkg, module, name] = type.split(":");
  if (pkg === undefined || module === undefined || name === undefined) {
    return undefined;
  }
  let found: unknown;
  if (pkg === "pulumi" && module === "providers") {
    found = member(packages[name], "Provider");
  } else if (pkg === "kubernetes") {
    const [group = "", version = ""] = module.split("/");
    const namespace = group.split(".")[0] ?? "";
    found = member(member(member(packages[pkg], namespace), version), name);
    found ??= member(member(packages[pkg], "apiextensions"), "CustomResource");
  } else {
    const path = module.split("/")[0] ?? "";
    found = member(path === "index" ? packages[pkg] : member(packages[pkg], path), name);
  }
  return typeof found === "function" ? (found as ResourceClass) : undefined;
}

/**
 * The baseline program: the same registrations in a flat loop, each with its SDK class and its recorded inputs
 * (providers first, so resources find theirs; components as bare ComponentResources; no parents, no planners, no
 * Output wiring between resources). A token no SDK class explains fails the run rather than fall back to something
 * lighter.
 */
export function replayProgram(
  registrations: readonly Registration[],
  packages: SdkPackages,
): () => Record<string, unknown> {
  const classes = new Map<string, ResourceClass>();
  for (const { type } of registrations) {
    const found = type.startsWith(`${PROJECT}:`) ? undefined : sdkClassOf(type, packages);
    if (found !== undefined) {
      classes.set(type, found);
    } else if (!type.startsWith(`${PROJECT}:`)) {
      throw new Error(`bench baseline: no SDK class registers ${type}`);
    }
  }
  const classOf = (type: string): ResourceClass => classes.get(type) as ResourceClass;
  return () => {
    const providers = new Map<string, pulumi.ProviderResource>();
    for (const r of registrations.filter((x) => x.type.startsWith(PROVIDER_PREFIX))) {
      providers.set(
        r.urn,
        new (classOf(r.type))(
          r.name,
          providerArgs(r.type.slice(PROVIDER_PREFIX.length), r.inputs),
        ) as pulumi.ProviderResource,
      );
    }
    for (const r of registrations) {
      if (r.type.startsWith(PROVIDER_PREFIX)) {
        continue;
      }
      if (r.type.startsWith(`${PROJECT}:`)) {
        new ReplayedComponent(r.type, r.name);
        continue;
      }
      const provider = r.provider === null ? undefined : providers.get(r.provider);
      new (classOf(r.type))(r.name, r.inputs, provider === undefined ? {} : { provider });
    }
    return {};
  };
}

/** Provider inputs that the schema types as strings although they may hold JSON text (a kubeconfig can be JSON). */
const STRING_PROVIDER_INPUTS: Readonly<Record<string, readonly string[]>> = { kubernetes: ["kubeconfig"] };

/**
 * A provider's recorded inputs are as its SDK class sent them: every value the schema does not type as a string
 * serialised to JSON (`skipRegionValidation: "true"`, `defaultTags: "{...}"`); its constructor takes the values.
 */
export function providerArgs(pkg: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const strings = STRING_PROVIDER_INPUTS[pkg] ?? [];
  const decode = (key: string, v: unknown): unknown => {
    if (typeof v !== "string" || strings.includes(key)) {
      return v;
    }
    try {
      const parsed: unknown = JSON.parse(v);
      return typeof parsed === "string" ? v : parsed;
    } catch {
      return v;
    }
  };
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, decode(k, v)]));
}

class ReplayedComponent extends pulumi.ComponentResource {
  constructor(type: string, name: string) {
    super(type, name);
  }
}
