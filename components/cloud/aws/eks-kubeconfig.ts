/**
 * The kubeconfig this program uses to reach an EKS cluster: the cluster's endpoint and CA, and an exec credential
 * plugin (`aws eks get-token`) so every call carries a fresh, short-lived IAM token. Pure: plain values in, text out.
 *
 * This kubeconfig is for Pulumi's own Kubernetes provider only. Istio remote secrets need a bearer token instead
 * (istiod rejects exec plugins); the mesh components build those.
 */

export interface EksKubeconfigArgs {
  /** The EKS cluster name (as `aws eks get-token --cluster-name` expects it). */
  readonly clusterName: string;
  /** The cluster's region; passed to `aws eks get-token --region` so the token is signed for it. */
  readonly region: string;
  /** The API server URL. */
  readonly endpoint: string;
  /** The cluster CA bundle, base64-encoded PEM. */
  readonly caData: string;
  /** A role to assume before signing the token (cross-account fleets); unset signs with the caller's credentials. */
  readonly roleArn?: string;
}

/** Renders a kubeconfig (JSON, which is valid YAML) with one cluster, one user and one current context. */
export function renderEksKubeconfig(args: EksKubeconfigArgs): string {
  const name = args.clusterName;
  const tokenArgs = ["eks", "get-token", "--cluster-name", name, "--region", args.region, "--output", "json"];
  if (args.roleArn !== undefined) {
    tokenArgs.push("--role-arn", args.roleArn);
  }
  const kubeconfig = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: args.endpoint, "certificate-authority-data": args.caData } }],
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: tokenArgs,
            interactiveMode: "Never",
          },
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
  };
  return JSON.stringify(kubeconfig, null, 2);
}
