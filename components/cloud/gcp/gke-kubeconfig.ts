/**
 * The kubeconfig the GKE cluster's Kubernetes provider uses: the API server, its CA, and a user that gets short-lived
 * tokens from `gke-gcloud-auth-plugin` (what `gcloud container clusters get-credentials` writes). Pure: plain text in,
 * plain text out.
 */
import { stringify } from "yaml";

/** The credential plugin every GKE kubeconfig runs (installed with `gcloud components install gke-gcloud-auth-plugin`). */
export const GKE_AUTH_PLUGIN = "gke-gcloud-auth-plugin";

const INSTALL_HINT =
  "Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin); see " +
  "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin";

/**
 * Renders a kubeconfig for one GKE cluster.
 * @param name the cluster, context and user name inside the kubeconfig: the cluster's cloud-side name
 *   (`physicalName`, e.g. `prod-gcp-usc1`), so kubeconfigs of several environments merge without clashing
 * @param server the API server URL, `https://<endpoint>`
 * @param caData the cluster CA, base64-encoded PEM (the cluster's `masterAuth.clusterCaCertificate`)
 */
export function renderGkeKubeconfig(name: string, server: string, caData: string): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": caData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    users: [
      {
        name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: GKE_AUTH_PLUGIN,
            installHint: INSTALL_HINT,
            provideClusterInfo: true,
          },
        },
      },
    ],
  });
}
