/**
 * Which cluster a resource belongs to: the one model the policy pack (./facts.ts) and the plan renderers (the
 * per-cluster counts and costs of `npm run plan`) share. Pure: it reads plain resource views, never Pulumi.
 *
 * A resource belongs to cluster `c` when, first match wins:
 *   1. it carries the tag `multicluster-mesh/cluster` (AWS) or the label `multicluster-mesh-cluster` (GCP) `c`;
 *   2. it is a provider named `<c>-aws`, `<c>-gcp` or `<c>-k8s` (by its type), or its provider is; or its provider's
 *      name is `<c>-…` (the longest matching cluster name wins);
 *   3. it is a certificate request whose subject locality is `c` (L=<cluster>, the Istio intermediates), or a
 *      locally signed certificate issued for a request that belongs to `c`;
 *   4. its own name is `c` or `<c>-…` (longest first, so `aws-use1-b-vpc` is `aws-use1-b`'s, not `aws-use1`'s), or
 *      `<environment>-<c>[-…]` (children of environment-wide components such as the mesh);
 *   5. its parent belongs to `c`.
 * Everything else (the stack, the fleet, the root CA, default providers) belongs to no cluster.
 *
 * The cluster names are given (the plan knows them), or found in the resources: every tag or label above and every
 * provider named `<c>-aws|gcp|k8s` (CrossGuard shows the pack nothing else).
 */
import { LABEL_CLUSTER, TAG_CLUSTER } from "./shared/tags";
import { str } from "./read";

/** A resource as attribution sees it; parent, provider and dependencies by URN. */
export interface Placeable {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | undefined;
  readonly provider: string | undefined;
  /** Inputs (read defensively: unknown or redacted values read as missing). */
  readonly props: unknown;
  /** URNs the resource depends on, per property first, then explicit. */
  readonly dependencies: readonly string[];
}

export interface AttributionOptions {
  /** The fleet's cluster names; found in the resources when not given. */
  readonly clusters?: readonly string[];
  /** The stack name environment-wide components prefix their children with. */
  readonly environment?: string;
}

export interface Attribution {
  /** The cluster names attribution chose among, sorted. */
  readonly clusters: readonly string[];
  /** The cluster a resource (by URN) belongs to; undefined when shared or unknown. */
  clusterOf(urn: string): string | undefined;
}

/** Pulumi type tokens attribution reads. */
export const PROVIDER_TYPES = {
  aws: "pulumi:providers:aws",
  gcp: "pulumi:providers:gcp",
  k8s: "pulumi:providers:kubernetes",
} as const;
export const CERT_REQUEST = "tls:index/certRequest:CertRequest";
export const LOCALLY_SIGNED_CERT = "tls:index/locallySignedCert:LocallySignedCert";

/** Provider type → the suffix of the per-cluster provider's name. */
export const PROVIDER_SUFFIX: Readonly<Record<string, string>> = {
  [PROVIDER_TYPES.aws]: "-aws",
  [PROVIDER_TYPES.gcp]: "-gcp",
  [PROVIDER_TYPES.k8s]: "-k8s",
};

/** `urn:pulumi:stack::project::parent$type::name` → `name`. */
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

/** The cluster a provider serves, from its name `<cluster>-aws|gcp|k8s` matching its type. */
export function clusterOfProvider(
  provider: { readonly type: string; readonly name: string } | undefined,
): string | undefined {
  const suffix = provider ? PROVIDER_SUFFIX[provider.type] : undefined;
  if (!provider || suffix === undefined || !provider.name.endsWith(suffix) || provider.name.length === suffix.length) {
    return undefined;
  }
  return provider.name.slice(0, -suffix.length);
}

/** The cluster tag or label a resource carries itself. */
export function clusterTag(props: unknown): string | undefined {
  return (
    str(props, "tags", TAG_CLUSTER) ??
    str(props, "labels", LABEL_CLUSTER) ??
    str(props, "resourceLabels", LABEL_CLUSTER) ??
    str(props, "nodeConfig", "resourceLabels", LABEL_CLUSTER)
  );
}

/**
 * What one resource says of its cluster on its own (steps 1–2, exact provider names only): what a resource policy,
 * which sees no other resource, can tell.
 */
export function ownCluster(r: {
  readonly type: string;
  readonly name: string;
  readonly props: unknown;
  readonly provider?: { readonly type: string; readonly name: string } | undefined;
}): string | undefined {
  if (PROVIDER_SUFFIX[r.type] !== undefined) {
    return clusterOfProvider(r);
  }
  return clusterTag(r.props) ?? clusterOfProvider(r.provider);
}

function providerView(urn: string | undefined): { type: string; name: string } | undefined {
  return urn === undefined ? undefined : { type: urnType(urn), name: urnName(urn) };
}

/**
 * The certificate request a locally signed certificate was issued for: the request it depends on, else the request
 * with the same PEM, else the only request beside it (same parent).
 */
export function requestOf(cert: Placeable, all: readonly Placeable[]): Placeable | undefined {
  const byUrn = new Map(all.map((r) => [r.urn, r]));
  const linked = cert.dependencies.map((u) => byUrn.get(u)).find((d) => d?.type === CERT_REQUEST);
  if (linked) {
    return linked;
  }
  const pem = str(cert.props, "certRequestPem");
  if (pem !== undefined) {
    const byContent = all.find((r) => r.type === CERT_REQUEST && str(r.props, "certRequestPem") === pem);
    if (byContent) {
      return byContent;
    }
  }
  const siblings = all.filter((r) => r.type === CERT_REQUEST && r.parent !== undefined && r.parent === cert.parent);
  return siblings.length === 1 ? siblings[0] : undefined;
}

/** The cluster names the resources name themselves: tags, labels and per-cluster providers. */
export function clusterNamesIn(resources: readonly Placeable[]): string[] {
  const names = new Set<string>();
  for (const r of resources) {
    const own = ownCluster({ ...r, provider: providerView(r.provider) });
    if (own !== undefined) {
      names.add(own);
    }
  }
  return [...names].sort();
}

/** Attributes every resource to its cluster (see the order above). */
export function attribute(resources: readonly Placeable[], options: AttributionOptions = {}): Attribution {
  const clusters = [...(options.clusters ?? clusterNamesIn(resources))].sort();
  const known = new Set(clusters);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const envPrefix = options.environment === undefined ? undefined : `${options.environment}-`;
  const memo = new Map<string, string | null>();
  const isKnown = (c: string | undefined): string | undefined => (c !== undefined && known.has(c) ? c : undefined);

  const byProvider = (r: Placeable): string | undefined => {
    if (PROVIDER_SUFFIX[r.type] !== undefined) {
      const own = isKnown(clusterOfProvider(r));
      if (own !== undefined) {
        return own;
      }
    }
    const provider = providerView(r.provider);
    return provider === undefined
      ? undefined
      : (isKnown(clusterOfProvider(provider)) ?? clusterByName(provider.name, clusters));
  };

  const byTrust = (r: Placeable): string | undefined => {
    if (r.type === CERT_REQUEST) {
      return isKnown(str(r.props, "subject", "locality"));
    }
    if (r.type === LOCALLY_SIGNED_CERT) {
      const request = requestOf(r, resources);
      return request === undefined ? undefined : clusterOf(request.urn);
    }
    return undefined;
  };

  const byOwnName = (r: Placeable): string | undefined => {
    const withoutEnv =
      envPrefix !== undefined && r.name.startsWith(envPrefix) ? r.name.slice(envPrefix.length) : undefined;
    return (
      clusterByName(r.name, clusters) ?? (withoutEnv === undefined ? undefined : clusterByName(withoutEnv, clusters))
    );
  };

  const resolve = (r: Placeable): string | undefined =>
    isKnown(clusterTag(r.props)) ??
    byProvider(r) ??
    byTrust(r) ??
    byOwnName(r) ??
    (r.parent === undefined ? undefined : clusterOf(r.parent));

  function clusterOf(urn: string): string | undefined {
    const hit = memo.get(urn);
    if (hit !== undefined) {
      return hit ?? undefined;
    }
    const r = byUrn.get(urn);
    if (r === undefined) {
      return undefined;
    }
    memo.set(urn, null); // guards against cycles
    const found = resolve(r);
    memo.set(urn, found ?? null);
    return found;
  }

  return { clusters, clusterOf };
}

/** `urn:pulumi:<stack>::project::…` → `<stack>`; undefined for anything else. */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}
