/**
 * Kubernetes Secrets are encrypted with a key of the environment's own: every cluster holds its intermediate CA's
 * key (`cacerts`) and, with Istio, the other clusters' API tokens (remote secrets). GKE: application-layer secrets
 * encryption (`databaseEncryption.state: ENCRYPTED`); EKS: envelope encryption (`encryptionConfig` covering
 * `secrets`). The keys themselves are often unknown at preview, so the rule reads only what is: the state and the
 * resources list.
 */
import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { clusterOfResource, present, str, strings, TYPES } from "../facts";
import { clusters, configOf, say, show } from "../kit";

/** The cluster kinds the rule can check. */
export const ENCRYPTING_CLUSTERS = ["gke", "eks"] as const;

export interface SecretsEncryptionConfig {
  readonly clusters: readonly string[];
}

const configSchema: PolicyConfigSchema = {
  properties: {
    clusters: {
      type: "array",
      items: { type: "string", enum: [...ENCRYPTING_CLUSTERS] },
      uniqueItems: true,
      default: [...ENCRYPTING_CLUSTERS],
      description: "Which clusters must encrypt Secrets: gke, eks (default both).",
    },
  },
};

export const secretsEncryption: ResourceValidationPolicy = {
  name: "secrets-encryption",
  description:
    "GKE and EKS clusters encrypt Kubernetes Secrets with a KMS key (GKE databaseEncryption, EKS encryptionConfig).",
  enforcementLevel: "mandatory",
  configSchema,
  validateResource: (args, report) => {
    const required = configOf<SecretsEncryptionConfig>(configSchema, args.getConfig()).clusters;
    const subject = (): string => clusters([clusterOfResource(args) ?? str(args.props, "name") ?? args.name]);
    if (args.type === TYPES.gkeCluster && required.includes("gke")) {
      const state = str(args.props, "databaseEncryption", "state");
      const unknown = state === undefined && present(args.props, "databaseEncryption", "state");
      if (state !== "ENCRYPTED" && !unknown) {
        report(
          say(
            subject(),
            "GKE stores Secrets without application-layer encryption",
            `databaseEncryption.state ${show(state ?? "DECRYPTED")}`,
            "set multicluster-mesh:clusters[i].gcp.secretsEncryption: true (a KMS key in the cluster's region)",
          ),
        );
      }
    } else if (args.type === TYPES.eksCluster && required.includes("eks")) {
      if (!present(args.props, "encryptionConfig")) {
        report(
          say(
            subject(),
            "EKS stores Secrets without envelope encryption",
            "no encryptionConfig",
            'set encryptionConfig with a KMS key (provider.keyArn) and resources ["secrets"]',
          ),
        );
        return;
      }
      const resources = strings(args.props, "encryptionConfig", "resources");
      if (resources !== undefined && !resources.includes("secrets")) {
        report(
          say(
            subject(),
            "EKS envelope encryption does not cover Secrets",
            `encryptionConfig.resources ${show(resources)}`,
            'add "secrets" to encryptionConfig.resources',
          ),
        );
      }
    }
  },
};
