/**
 * Certificates as the trust rules compare them: by their public key, not by resource names or PEM text, so the same
 * intermediate re-encoded, re-wrapped or brought under another name is still the same. Parsed with node:crypto.
 */
import { createHash, X509Certificate } from "node:crypto";

export interface CertFacts {
  /** sha256 of the certificate's SubjectPublicKeyInfo (DER), hex. */
  readonly publicKey: string;
  readonly subject: string;
  /** Issuer equals subject and the certificate verifies with its own key. */
  readonly selfSigned: boolean;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM text (unparseable blocks dropped). */
export function certificatesIn(pem: string): CertFacts[] {
  return (pem.match(CERT_BLOCK) ?? []).flatMap((block) => {
    try {
      const cert = new X509Certificate(block);
      const spki = cert.publicKey.export({ type: "spki", format: "der" });
      return [
        {
          publicKey: createHash("sha256").update(spki).digest("hex"),
          subject: cert.subject.replace(/\n/g, ", "),
          selfSigned: cert.issuer === cert.subject && cert.verify(cert.publicKey),
        },
      ];
    } catch {
      return [];
    }
  });
}
