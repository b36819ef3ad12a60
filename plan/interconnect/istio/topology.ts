/**
 * The Istio multi-primary, multi-network topology: every cluster's Istio identity (clusterName, network) and which
 * cluster holds a remote secret for which. Pure, plain data; components turn it into resources.
 *
 * Multi-primary: every cluster runs its own istiod and reads the other clusters' API servers through remote
 * secrets. For N clusters that is one secret per ordered pair (A, B), A ≠ B: N·(N−1) secrets, each named and keyed by
 * cluster names only, so adding a cluster adds exactly its new pairs and leaves every other secret untouched.
 */
import { stringify } from "yaml";
import { type Issue, SpecError } from "../../issues";
import type { Cloud } from "../../spec";

/** Where the control plane, the gateway and the remote secrets live in every cluster. */
export const ISTIO_NAMESPACE = "istio-system";
/** The label istiod reads a namespace's, pod's or gateway Service's network from. */
export const NETWORK_LABEL = "topology.istio.io/network";

/** The service account the base chart creates for other clusters' istiods to read this cluster through. */
export const READER_SERVICE_ACCOUNT = "istio-reader-service-account";
/** The token Secret of that service account (the name `istioctl create-remote-secret` uses). */
export const READER_TOKEN_SECRET = "istio-reader-service-account-istio-remote-secret-token";

/** istiod watches Secrets with this label (value "true") for remote clusters. */
export const REMOTE_SECRET_LABEL = "istio/multiCluster";
/** Annotation naming the cluster a remote secret grants access to. */
export const REMOTE_SECRET_CLUSTER_ANNOTATION = "networking.istio.io/cluster";

/** One mesh member as the topology needs it (from the cluster contract). */
export interface IstioMember {
  /** The cluster name: a DNS label, unique in the environment. */
  readonly name: string;
  readonly cloud: Cloud;
  /** The cluster's Istio network (default: its own name). */
  readonly network: string;
}

/** One cluster's Istio identity. */
export interface IstioClusterPlan {
  readonly name: string;
  readonly cloud: Cloud;
  /** `global.multiCluster.clusterName`; also the data key of this cluster's remote secrets elsewhere. */
  readonly clusterName: string;
  /** `global.network` and the `topology.istio.io/network` label. */
  readonly network: string;
}

/** The remote secret that lets `target`'s istiod read `source`'s API server. */
export interface RemoteSecretPlan {
  /** The cluster whose API server the secret grants access to (A). */
  readonly source: string;
  /** The cluster whose istio-system holds the secret (B). */
  readonly target: string;
  /** Stable key for resource names, `<target>-remote-secret-<source>`. */
  readonly key: string;
  /** `istio-remote-secret-<source>`. */
  readonly secretName: string;
  /** The one data key: the source's clusterName. */
  readonly dataKey: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface IstioTopology {
  /** `global.meshID`, the same in every cluster. */
  readonly meshId: string;
  /** One entry per cluster, in the given order. */
  readonly clusters: readonly IstioClusterPlan[];
  /** Every ordered pair, sorted by target then source (independent of the clusters' order). */
  readonly remoteSecrets: readonly RemoteSecretPlan[];
}

/**
 * The largest Istio multi-primary mesh this program builds. Every cluster holds a remote secret for every other, so
 * the secrets grow as N·(N−1) (4,032 at 64 clusters, 65,280 at 256) and each istiod watches the API servers of all
 * N−1 others; every cluster joining or leaving rewrites a secret in each of the others. Measured under the mock
 * runtime on 2 cores (README, Performance), 64 clusters plan in under a minute within 2 GB, while 100 take over
 * 3 GB and 256 exhaust Node's default heap. Larger fleets are better split into several meshes.
 */
export const MAX_ISTIO_CLUSTERS = 64;

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL_FIX = "use lowercase letters, digits and '-', starting with a letter and not ending with '-'";

/**
 * Problems that would make the mesh inconsistent: a missing or invalid mesh id, no clusters, cluster names that are
 * not unique DNS labels (they become clusterNames, Secret names and data keys), invalid network names.
 */
export function checkIstioTopology(meshId: string, members: readonly IstioMember[]): Issue[] {
  const issues: Issue[] = [];
  if (!DNS_LABEL.test(meshId) || meshId.length > 63) {
    issues.push({
      path: "istio.meshId",
      message: "mesh id must be a DNS label of at most 63 characters",
      fix: DNS_LABEL_FIX,
      value: meshId,
    });
  }
  if (members.length === 0) {
    issues.push({
      path: "clusters",
      message: "no clusters in the mesh",
      fix: "list at least one cluster (two or more make a mesh)",
      value: [],
    });
  }
  if (members.length > MAX_ISTIO_CLUSTERS) {
    const n = members.length;
    issues.push({
      path: "clusters",
      message: `an Istio multi-primary mesh takes at most ${MAX_ISTIO_CLUSTERS} clusters: every cluster holds a remote secret for every other (${n * (n - 1)} secrets for ${n} clusters) and every istiod watches all ${n - 1} other API servers`,
      fix: `split the fleet into environments (stacks) of at most ${MAX_ISTIO_CLUSTERS} clusters each, or use mesh: submariner`,
      value: n,
    });
  }
  const first = new Map<string, number>();
  members.forEach((m, i) => {
    if (!DNS_LABEL.test(m.name) || m.name.length > 63) {
      issues.push({
        path: `clusters[${i}].name`,
        message: "cluster name must be a DNS label (it becomes the Istio clusterName)",
        fix: DNS_LABEL_FIX,
        value: m.name,
      });
    }
    const seen = first.get(m.name);
    if (seen === undefined) {
      first.set(m.name, i);
    } else {
      issues.push({
        path: `clusters[${i}].name`,
        message: `duplicate cluster name, already used by clusters[${seen}]`,
        fix: "give every cluster its own name",
        value: m.name,
      });
    }
    if (!DNS_LABEL.test(m.network) || m.network.length > 63) {
      issues.push({
        path: `clusters[${i}].network`,
        message: "network must be a DNS label",
        fix: DNS_LABEL_FIX,
        value: m.network,
      });
    }
  });
  return issues;
}

/** The mesh topology; throws a SpecError listing every problem `checkIstioTopology` finds. */
export function planIstioTopology(meshId: string, members: readonly IstioMember[]): IstioTopology {
  const issues = checkIstioTopology(meshId, members);
  if (issues.length > 0) {
    throw new SpecError(issues);
  }
  const clusters = members.map((m): IstioClusterPlan => ({
    name: m.name,
    cloud: m.cloud,
    clusterName: m.name,
    network: m.network,
  }));
  const names = clusters.map((c) => c.clusterName).sort(compare);
  const remoteSecrets = names.flatMap((target) =>
    names.filter((source) => source !== target).map((source) => remoteSecretPlan(source, target)),
  );
  return { meshId, clusters, remoteSecrets };
}

/** The remote secrets `target` holds, one per other cluster. */
export function remoteSecretsHeldBy(topology: IstioTopology, target: string): RemoteSecretPlan[] {
  return topology.remoteSecrets.filter((s) => s.target === target);
}

function remoteSecretPlan(source: string, target: string): RemoteSecretPlan {
  return {
    source,
    target,
    key: `${target}-remote-secret-${source}`,
    secretName: `istio-remote-secret-${source}`,
    dataKey: source,
    labels: { [REMOTE_SECRET_LABEL]: "true" },
    annotations: { [REMOTE_SECRET_CLUSTER_ANNOTATION]: source },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a remote kubeconfig is made of. */
export interface RemoteKubeconfigInput {
  /** The source cluster's clusterName: cluster, context and user are all named by it. */
  readonly clusterName: string;
  /** The source's API server URL as the target reaches it. */
  readonly server: string;
  /** The source's cluster CA, base64-encoded PEM. */
  readonly caData: string;
  /** The reader service account's bearer token (decoded, not base64). */
  readonly token: string;
}

/**
 * The kubeconfig a remote secret carries: a bearer token, no exec plugin and no client certificate (istiod rejects
 * those by default, so the usual `aws eks get-token` / `gke-gcloud-auth-plugin` kubeconfigs do not work here).
 */
export function renderRemoteKubeconfig(input: RemoteKubeconfigInput): string {
  const name = input.clusterName;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: input.server, "certificate-authority-data": input.caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [{ name, user: { token: input.token } }],
  });
}
