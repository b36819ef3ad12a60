/**
 * The remote secrets one cluster (the target, B) holds: for every other cluster A, the Secret
 * `istio-remote-secret-<A>` in B's istio-system, through which B's istiod reads A's API server. This is what
 * `istioctl create-remote-secret` produces, without istioctl.
 *
 * Children, by role: one Secret per source cluster, named `${name}-<A>` (by cluster name, never by position), labelled
 * `istio/multiCluster: "true"`, annotated `networking.istio.io/cluster: <A>`, with exactly one data key `<A>` holding
 * a bearer-token kubeconfig (server = A's endpoint, CA = A's cluster CA, token = A's istio-reader token). The kubeconfig
 * is a secret value. Each Secret is registered after A's token Secret and B's istiod.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type RemoteSecretPlan, renderRemoteKubeconfig } from "../../../plan/interconnect/istio/topology";
import type { MeshCluster } from "../../cluster/contract";
import { type NamespaceInput, resolveNamespace } from "./namespace";

/** One cluster B reads: what goes into its kubeconfig. */
export interface RemoteSource {
  /** The pair (source A, target B) from the topology plan: Secret name, data key, label and annotation. */
  readonly plan: RemoteSecretPlan;
  /**
   * A's reader kubeconfig (secret), from `readerKubeconfig`: the same for every cluster that holds a secret for A,
   * so it is rendered once per source, not once per pair.
   */
  readonly kubeconfig: pulumi.Output<string>;
  /** A's istio-reader token Secret: every secret for A is registered after it. */
  readonly token: pulumi.Resource;
}

/**
 * What another cluster needs to read A: a bearer-token kubeconfig for A's istio-reader service account
 * (server = A's endpoint, CA = A's cluster CA, token decoded from A's token Secret), as a secret.
 */
export function readerKubeconfig(
  source: Pick<MeshCluster, "name" | "endpoint" | "caData">,
  clusterName: string,
  token: k8s.core.v1.Secret,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi
      .all([source.endpoint, source.caData, token.data])
      .apply(([server, caData, data]) =>
        renderRemoteKubeconfig({ clusterName, server, caData, token: decodeToken(source.name, data) }),
      ),
  );
}

export interface RemoteSecretsArgs {
  /** The cluster that holds the secrets (B); its provider creates them. */
  readonly cluster: MeshCluster;
  /** B's istio-system. */
  readonly namespace: NamespaceInput;
  /** Every other cluster of the mesh, one Secret each. */
  readonly sources: readonly RemoteSource[];
  /** B's istiod release: the secrets are registered after it, last in the domain's order. */
  readonly istiod: pulumi.Resource;
}

export class RemoteSecrets extends pulumi.ComponentResource {
  /** The Secrets by source cluster name. */
  readonly secrets: Readonly<Record<string, k8s.core.v1.Secret>>;

  constructor(name: string, args: RemoteSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    const target = args.cluster.name;
    const problems = args.sources.flatMap((s) => {
      const p = s.plan;
      if (p.target !== target) {
        return [`the secret for ${p.source} is planned for ${p.target}`];
      }
      return p.source === target ? [`${target} cannot hold a remote secret for itself`] : [];
    });
    if (problems.length > 0) {
      throw new Error(`RemoteSecrets ${name} (in ${target}): ${problems.join("; ")}`);
    }
    super("multicluster-mesh:mesh/istio:RemoteSecrets", name, {}, opts);
    const namespace = resolveNamespace(args.namespace);

    const secrets: Record<string, k8s.core.v1.Secret> = {};
    for (const source of args.sources) {
      const p = source.plan;
      secrets[p.source] = new k8s.core.v1.Secret(
        `${name}-${p.source}`,
        {
          metadata: {
            name: p.secretName,
            namespace: namespace.name,
            labels: { ...p.labels },
            annotations: { ...p.annotations },
          },
          type: "Opaque",
          stringData: { [p.dataKey]: source.kubeconfig },
        },
        {
          parent: this,
          provider: args.cluster.provider,
          dependsOn: [...namespace.dependsOn, source.token, args.istiod],
          additionalSecretOutputs: ["data", "stringData"],
        },
      );
    }
    this.secrets = secrets;
    this.registerOutputs({ secretNames: Object.keys(secrets) });
  }
}

/** The bearer token from a service-account-token Secret's data (base64), or an error naming the cluster. */
function decodeToken(cluster: string, data: Readonly<Record<string, string>> | undefined): string {
  const encoded = data?.["token"];
  if (encoded === undefined || encoded === "") {
    throw new Error(
      `the istio-reader token Secret of ${cluster} has no data.token; the cluster's token controller did not fill it in`,
    );
  }
  return Buffer.from(encoded, "base64").toString("utf8");
}
