/**
 * The Cloud KMS key a GKE cluster encrypts its Secrets with (application-layer secrets encryption, GKE's
 * `databaseEncryption`), and the grant that lets GKE use it. Children of the GkeCluster, by role:
 * - `secrets-keyring`: a key ring in the cluster's region (GKE requires the key in the cluster's location), named
 *   `<physical name>-secrets`. GCP never deletes a key ring, so a destroyed cluster leaves it behind and a new cluster
 *   with the same physical name must import it (`pulumi import`) instead of creating it again;
 * - `secrets-key`: its symmetric key `secrets`, rotated every 90 days (old versions keep decrypting);
 * - `secrets-agent`: GKE's service agent of the project (`service-<project number>@container-engine-robot…`);
 * - `secrets-key-user`: that agent's roles/cloudkms.cryptoKeyEncrypterDecrypter on the key; the cluster depends on it.
 */
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/** How often the key gets a new primary version: 90 days. */
export const SECRETS_KEY_ROTATION = "7776000s";
export const SECRETS_KEY_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

export interface SecretsKey {
  /** The key's resource name, `projects/…/locations/…/keyRings/…/cryptoKeys/secrets`: databaseEncryption.keyName. */
  readonly keyName: pulumi.Output<string>;
  /** The grant the cluster must wait for (GKE checks its access to the key when the cluster is created). */
  readonly grant: pulumi.Resource;
}

export function createSecretsKey(
  parent: pulumi.Resource,
  name: string,
  at: { project: string; region: string; physicalName: string; protect: boolean },
): SecretsKey {
  const ring = new gcp.kms.KeyRing(
    `${name}-secrets-keyring`,
    { project: at.project, location: at.region, name: `${at.physicalName}-secrets` },
    { parent, protect: at.protect },
  );
  const key = new gcp.kms.CryptoKey(
    `${name}-secrets-key`,
    { keyRing: ring.id, name: "secrets", purpose: "ENCRYPT_DECRYPT", rotationPeriod: SECRETS_KEY_ROTATION },
    // Destroying the key makes every Secret encrypted with it unreadable.
    { parent, protect: at.protect },
  );
  const agent = new gcp.projects.ServiceIdentity(
    `${name}-secrets-agent`,
    { project: at.project, service: "container.googleapis.com" },
    { parent },
  );
  const grant = new gcp.kms.CryptoKeyIAMMember(
    `${name}-secrets-key-user`,
    { cryptoKeyId: key.id, role: SECRETS_KEY_ROLE, member: agent.member },
    { parent },
  );
  return { keyName: key.id, grant };
}
