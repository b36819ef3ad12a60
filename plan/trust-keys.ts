/**
 * Which keys an issuing root may have: the generated intermediates' pathlen:0 certificates are signed with it in the
 * program, the same bytes on every run (components/trust/path-length.ts).
 */
import { createPrivateKey } from "node:crypto";
import type { Issue } from "./issues";

/**
 * The ECDSA curves (OpenSSL names) under which a generated intermediate's pathlen:0 certificate can be signed
 * deterministically (RFC 6979, components/trust/path-length.ts). RSA and Ed25519 keys sign deterministically anyway.
 */
export const DETERMINISTIC_ECDSA_CURVES = ["prime256v1", "secp384r1", "secp521r1"] as const;

/**
 * The issuing root's key must be one the generated intermediates' pathlen:0 certificates can be signed with, the same
 * bytes on every run: RSA, Ed25519, or ECDSA on a curve of DETERMINISTIC_ECDSA_CURVES. A key that does not parse is
 * left to the shape check.
 */
export function checkSigningKey(pem: string | undefined, path: string, generating: readonly string[]): Issue[] {
  let type: string | undefined;
  let curve: string | undefined;
  try {
    const key = createPrivateKey(pem ?? "");
    type = key.asymmetricKeyType;
    curve = key.asymmetricKeyDetails?.namedCurve;
  } catch {
    return [];
  }
  const ecdsa = DETERMINISTIC_ECDSA_CURVES as readonly (string | undefined)[];
  if (type === "rsa" || type === "ed25519" || (type === "ec" && ecdsa.includes(curve))) {
    return [];
  }
  return [
    {
      path,
      message: `the issuing root's key (${type === "ec" ? `ECDSA ${curve ?? "unknown curve"}` : (type ?? "unknown")}) cannot sign the pathlen:0 intermediates of ${generating.join(", ")} deterministically`,
      fix: "use an RSA, Ed25519 or ECDSA P-256, P-384 or P-521 key, or bring those clusters' intermediates under trust.intermediates",
      value: "[redacted]",
    },
  ];
}
