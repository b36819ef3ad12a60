/**
 * The intermediate CA as Istio's own tooling issues it, `basicConstraints = critical, CA:true, pathlen:0` (istio/istio
 * `tools/certs/common.mk`, tag 1.28.0), which the tls provider cannot emit: its `maxPathLength: 0` sets only Go's
 * `MaxPathLen`, never `MaxPathLenZero`, so Go writes no path-length constraint at all
 * (hashicorp/terraform-provider-tls `internal/provider/common_cert.go`).
 *
 * `withPathLenZero` re-issues the provider's certificate (the record: it keeps the serial, the validity window and
 * the early renewal in state) with the same issuer, subject, validity, public key and extensions, except: the basic
 * constraints become critical CA:true with path length 0, and the serial number is derived from the record's (two
 * certificates of one issuer must not share a serial). It signs with the issuing root's key and the record's own
 * signature algorithm (the one the provider chose for that key), deterministically: RSA PKCS #1 v1.5 and Ed25519
 * are deterministic by construction, ECDSA uses RFC 6979 nonces (@noble/curves). So every evaluation of the same
 * record yields the same bytes, and the Secret holding it never shows a diff of its own.
 *
 * The record's DER is parsed and re-encoded with @peculiar/asn1-x509; re-encoding the unchanged record must give back
 * its exact to-be-signed bytes, or the function refuses (so nothing but the two fields above can change).
 */
import { createHash, createPrivateKey, type KeyObject, sign, X509Certificate } from "node:crypto";
import { p256, p384, p521 } from "@noble/curves/nist";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  BasicConstraints,
  Certificate,
  Extension,
  Extensions,
  id_ce_basicConstraints,
  Version,
} from "@peculiar/asn1-x509";
import type { DETERMINISTIC_ECDSA_CURVES } from "../../plan/trust-keys";

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/;

/** Signature algorithms a CA key of the tls provider signs with (Go `crypto/x509`), by OID. */
export const SIGNATURE_ALGORITHMS = {
  "1.2.840.113549.1.1.11": { key: "rsa", hash: "sha256" },
  "1.2.840.113549.1.1.12": { key: "rsa", hash: "sha384" },
  "1.2.840.113549.1.1.13": { key: "rsa", hash: "sha512" },
  "1.2.840.10045.4.3.2": { key: "ec", hash: "sha256" },
  "1.2.840.10045.4.3.3": { key: "ec", hash: "sha384" },
  "1.2.840.10045.4.3.4": { key: "ec", hash: "sha512" },
  "1.3.101.112": { key: "ed25519", hash: undefined },
} as const satisfies Record<string, { key: string; hash: string | undefined }>;
type SignatureOid = keyof typeof SIGNATURE_ALGORITHMS;

/** ECDSA curves by the name node gives them (OpenSSL's); others (P-224) are refused, and by the stack config first. */
const CURVES: Readonly<Record<(typeof DETERMINISTIC_ECDSA_CURVES)[number], typeof p256>> = {
  prime256v1: p256,
  secp384r1: p384,
  secp521r1: p521,
};

/** The DER of the first certificate of a PEM text. */
export function derOf(pem: string): Buffer {
  const body = PEM_CERTIFICATE.exec(pem)?.[1];
  if (body === undefined) {
    throw new Error("no PEM certificate found");
  }
  return Buffer.from(body.replace(/\s+/g, ""), "base64");
}

/** PEM of a DER certificate, 64 characters a line, ending in a newline. */
export function pemOf(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return ["-----BEGIN CERTIFICATE-----", ...lines, "-----END CERTIFICATE-----", ""].join("\n");
}

/**
 * The serial of the re-issued certificate: 16 bytes of SHA-256 over a label and the record's serial, as a positive
 * integer (RFC 5280 §4.1.2.2: positive, at most 20 octets). A new record (renewal, rotation) gets a new serial, hence
 * a new one here.
 */
export function derivedSerial(recordSerial: ArrayBuffer): ArrayBuffer {
  const bytes = createHash("sha256")
    .update("multicluster-mesh pathlen:0 re-issue\n")
    .update(Buffer.from(recordSerial))
    .digest()
    .subarray(0, 16);
  // Clear the sign bit and set the next one: positive, and always 16 octets long.
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x40;
  if (bytes.equals(Buffer.from(recordSerial))) {
    bytes[15] = (bytes[15] as number) ^ 0x01;
  }
  return new Uint8Array(bytes).buffer;
}

/**
 * Signs `data` (a DER TBSCertificate) with `key` for the signature algorithm `oid`, deterministically. Throws naming
 * the algorithm and key type when the key cannot make that signature.
 */
export function signDeterministically(data: Uint8Array, oid: string, key: KeyObject): Buffer {
  const algorithm = SIGNATURE_ALGORITHMS[oid as SignatureOid] as
    (typeof SIGNATURE_ALGORITHMS)[SignatureOid] | undefined;
  if (algorithm === undefined) {
    throw new Error(`signature algorithm ${oid} is not one the tls provider signs CA certificates with`);
  }
  if (key.asymmetricKeyType !== algorithm.key) {
    throw new Error(
      `signature algorithm ${oid} needs an ${algorithm.key} key, the issuing key is ${key.asymmetricKeyType}`,
    );
  }
  if (algorithm.key === "rsa") {
    return sign(algorithm.hash, data, key);
  }
  if (algorithm.key === "ed25519") {
    return sign(null, data, key);
  }
  const named = key.asymmetricKeyDetails?.namedCurve ?? "an unknown curve";
  const curve = CURVES[named as keyof typeof CURVES] as (typeof CURVES)[keyof typeof CURVES] | undefined;
  const scalar = curve === undefined ? undefined : key.export({ format: "jwk" }).d;
  if (curve === undefined || scalar === undefined) {
    throw new Error(`ECDSA on ${named} cannot be signed deterministically (P-256, P-384, P-521 can)`);
  }
  const digest = createHash(algorithm.hash).update(data).digest();
  const signature = curve.sign(digest, Buffer.from(scalar, "base64url"), { prehash: false, lowS: false });
  return Buffer.from(signature.toDERRawBytes());
}

/**
 * The path-length constraint of the first certificate of a PEM text: a number, or null when its basic constraints
 * set none (or it has none).
 */
export function pathLengthOf(pem: string): number | null {
  const cert = AsnConvert.parse(derOf(pem), Certificate);
  const found = (cert.tbsCertificate.extensions ?? []).find((e) => e.extnID === id_ce_basicConstraints);
  const constraints = found === undefined ? undefined : AsnConvert.parse(found.extnValue, BasicConstraints);
  return constraints?.pathLenConstraint ?? null;
}

/** Basic constraints of a CA that may sign end-entity certificates only: critical, CA:true, pathlen:0. */
function pathLenZero(): Extension {
  const value = AsnConvert.serialize(new BasicConstraints({ cA: true, pathLenConstraint: 0 }));
  return new Extension({ extnID: id_ce_basicConstraints, critical: true, extnValue: new OctetString(value) });
}

/**
 * The record certificate re-issued with `pathlen:0` and a derived serial, signed by `issuerKeyPem` (PEM, any format
 * node reads: PKCS #1, SEC 1, PKCS #8). Same input, same output, byte for byte.
 */
export function withPathLenZero(recordPem: string, issuerKeyPem: string): string {
  const record = AsnConvert.parse(derOf(recordPem), Certificate);
  const tbs = record.tbsCertificate;
  const raw = record.tbsCertificateRaw;
  if (raw === undefined || !Buffer.from(AsnConvert.serialize(tbs)).equals(Buffer.from(raw))) {
    throw new Error("the record certificate does not re-encode to its own bytes; refusing to re-issue it");
  }
  // The basic constraints keep their place among the record's extensions (appended if it had none).
  const extensions = [...(tbs.extensions ?? [])];
  const at = extensions.findIndex((e) => e.extnID === id_ce_basicConstraints);
  extensions.splice(at < 0 ? extensions.length : at, at < 0 ? 0 : 1, pathLenZero());
  tbs.extensions = new Extensions(extensions);
  // Extensions need version 3 (the provider always writes it; a version 1 record gains its first extension here).
  tbs.version = Version.v3;
  tbs.serialNumber = derivedSerial(tbs.serialNumber);
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const key = createPrivateKey(issuerKeyPem);
  const signature = signDeterministically(tbsDer, record.signatureAlgorithm.algorithm, key);
  const reissued = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: record.signatureAlgorithm,
    signatureValue: new Uint8Array(signature).buffer,
  });
  const pem = pemOf(new Uint8Array(AsnConvert.serialize(reissued)));
  // node reads it back as a CA certificate; anything else is a bug here, not a certificate to hand to istiod.
  if (!new X509Certificate(pem).ca) {
    throw new Error("the re-issued certificate is not a CA certificate");
  }
  return pem;
}
