/**
 * Certificates and keys the user brings (external roots and intermediates), taken from the validated spec and
 * handed to the trust components as secret inputs. The trust plan only says where they come from.
 */
import * as pulumi from "@pulumi/pulumi";
import type { TrustSpec } from "../../plan/spec";

/** An externally generated root: its certificate, and its key only if it signs generated intermediates. */
export interface ExternalRootMaterial {
  readonly certPem: pulumi.Input<string>;
  /** Secret. Absent keeps the root offline. */
  readonly keyPem?: pulumi.Input<string>;
}

/** An externally issued intermediate: what goes into ca-cert.pem, ca-key.pem and cert-chain.pem. */
export interface ExternalIntermediateMaterial {
  readonly certPem: pulumi.Input<string>;
  /** Secret. */
  readonly keyPem: pulumi.Input<string>;
  /** The intermediate first, then its issuers up to the root. */
  readonly chainPem: pulumi.Input<string>;
}

export interface ExternalTrustMaterial {
  /** By root name. */
  readonly roots: Readonly<Record<string, ExternalRootMaterial>>;
  /** By cluster name. */
  readonly intermediates: Readonly<Record<string, ExternalIntermediateMaterial>>;
}

/**
 * The PEMs of every external root and intermediate in a (validated) trust spec, every value marked secret so it
 * is encrypted in state and redacted in previews. Certificates are public but are often set as secret config too,
 * so they are treated alike.
 */
export function externalTrustMaterial(trust: TrustSpec): ExternalTrustMaterial {
  const roots: Record<string, ExternalRootMaterial> = {};
  for (const root of trust.roots) {
    if (root.source === "external" && root.certPem !== undefined) {
      roots[root.name] = {
        certPem: pulumi.secret(root.certPem),
        ...(root.keyPem !== undefined ? { keyPem: pulumi.secret(root.keyPem) } : {}),
      };
    }
  }
  const intermediates: Record<string, ExternalIntermediateMaterial> = {};
  for (const [cluster, settings] of Object.entries(trust.intermediates)) {
    const { source, certPem, keyPem, chainPem } = settings;
    if (source === "external" && certPem !== undefined && keyPem !== undefined && chainPem !== undefined) {
      intermediates[cluster] = {
        certPem: pulumi.secret(certPem),
        keyPem: pulumi.secret(keyPem),
        chainPem: pulumi.secret(chainPem),
      };
    }
  }
  return { roots, intermediates };
}
