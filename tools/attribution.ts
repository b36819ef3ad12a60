/**
 * Which cluster a recorded resource belongs to, for per-cluster counts and cost lines in the plan summary.
 *
 * A resource belongs to cluster `c` when, in this order:
 * 1. its provider is named `<c>-aws`, `<c>-gcp` or `<c>-k8s` (where it lives), or a provider whose name starts
 *    with `<c>-`;
 * 2. its own name is `<c>` or starts with `<c>-` (the longest matching cluster name wins, so `aws-use1-b-vpc` is
 *    `aws-use1-b`'s, not `aws-use1`'s), or is `<environment>-<c>[-…]` (children of environment-wide components
 *    such as the mesh, named `${name}-${stableKey}`);
 * 3. its parent belongs to `c`.
 * Everything else (the stack, the fleet, the root CA, default providers) is shared.
 */
import type { RecordedResource } from "./mock-runtime";

/** The bucket for resources that belong to no single cluster. */
export const SHARED = "shared";

/** `urn:pulumi:stack::project::type::name` → `name` (names may contain `::`-free text only, so the last part). */
export function urnName(urn: string): string {
  const parts = urn.split("::");
  return parts[parts.length - 1] ?? urn;
}

/** `urn:pulumi:stack::project::parent$type::name` → `type`. */
export function urnType(urn: string): string {
  const parts = urn.split("::");
  const qualified = parts[parts.length - 2] ?? "";
  const dollar = qualified.lastIndexOf("$");
  return dollar >= 0 ? qualified.slice(dollar + 1) : qualified;
}

/** The cluster whose name is `name` or prefixes it as `<cluster>-…`, longest first; undefined when none. */
export function clusterByName(name: string, clusters: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const c of clusters) {
    if ((name === c || name.startsWith(`${c}-`)) && (best === undefined || c.length > best.length)) {
      best = c;
    }
  }
  return best;
}

const PROVIDER_SUFFIX = /-(aws|gcp|k8s)$/;

function clusterByProvider(providerUrn: string | null, clusters: readonly string[]): string | undefined {
  if (providerUrn === null) {
    return undefined;
  }
  const name = urnName(providerUrn);
  const stem = name.replace(PROVIDER_SUFFIX, "");
  if (stem !== name && clusters.includes(stem)) {
    return stem;
  }
  return clusterByName(name, clusters);
}

/**
 * Maps every resource URN to its cluster name, or to `SHARED`.
 * `clusters` are the environment's cluster names; `environment` the stack name environment-wide components use.
 */
export function attributeResources(
  resources: readonly RecordedResource[],
  clusters: readonly string[],
  environment?: string,
): Map<string, string> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const result = new Map<string, string>();
  const visiting = new Set<string>();

  const resolve = (r: RecordedResource): string => {
    const known = result.get(r.urn);
    if (known !== undefined) {
      return known;
    }
    const envPrefix = environment === undefined ? undefined : `${environment}-`;
    const withoutEnv =
      envPrefix !== undefined && r.name.startsWith(envPrefix) ? r.name.slice(envPrefix.length) : undefined;
    let owner =
      clusterByProvider(r.provider, clusters) ??
      clusterByName(r.name, clusters) ??
      (withoutEnv === undefined ? undefined : clusterByName(withoutEnv, clusters));
    if (owner === undefined && r.parent !== null && !visiting.has(r.urn)) {
      const parent = byUrn.get(r.parent);
      if (parent !== undefined) {
        visiting.add(r.urn);
        const parentOwner = resolve(parent);
        visiting.delete(r.urn);
        owner = parentOwner === SHARED ? undefined : parentOwner;
      }
    }
    const settled = owner ?? SHARED;
    result.set(r.urn, settled);
    return settled;
  };

  for (const r of resources) {
    resolve(r);
  }
  return result;
}
