/**
 * Real keys, requests and certificates for the tls provider's resources under mocks, so the program's own
 * certificate work (the intermediate re-issued with `pathlen:0`, components/trust/path-length.ts) runs offline on
 * real material and tests can read what a cluster's `cacerts` would hold.
 *
 * Deterministic, from each resource's name and inputs: a key is Ed25519 whatever algorithm is asked for (its seed is a
 * hash of the resource name; a real RSA 4096 key cannot be made deterministically, nor quickly), a serial is a hash of
 * the resource name, validity starts at the mock clock. Certificates carry what the tls provider writes: the subject,
 * basic constraints (CA:true without a path length, as the provider writes it), key usages, subject and authority
 * key identifiers and the request's DNS names. A CA certificate is signed with the algorithm Go picks for the CA key.
 */
import "reflect-metadata";
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { Attributes, CertificationRequest, CertificationRequestInfo } from "@peculiar/asn1-csr";
import { AsnConvert } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier,
  Attribute,
  Certificate,
  Extension,
  Extensions,
  Name,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from "@peculiar/asn1-x509";
import * as x509 from "@peculiar/x509";
import { derOf, pemOf, signDeterministically } from "../components/trust/path-length";

/** The PKCS #8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
const HOUR_MS = 3_600_000;

/** The tls provider's `allowedUses` that are key usages, and their bits. */
const KEY_USAGES: Readonly<Record<string, x509.KeyUsageFlags>> = {
  digital_signature: x509.KeyUsageFlags.digitalSignature,
  content_commitment: x509.KeyUsageFlags.nonRepudiation,
  key_encipherment: x509.KeyUsageFlags.keyEncipherment,
  cert_signing: x509.KeyUsageFlags.keyCertSign,
  crl_signing: x509.KeyUsageFlags.cRLSign,
};

/** The private key (PKCS #8 PEM) the mock gives the tls.PrivateKey named `name`. */
export function mockKeyPem(name: string): string {
  const seed = createHash("sha256").update(`mock tls key\0${name}`).digest();
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  return key.export({ type: "pkcs8", format: "pem" }).toString();
}

export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" }).toString();
}

export interface Subject {
  readonly organization?: string;
  readonly commonName?: string;
  readonly locality?: string;
}

/** The subject as Go writes it (locality, organization, common name). */
function nameOf(subject: Subject | undefined): Name {
  const parts = [
    subject?.locality === undefined ? [] : [`L=${subject.locality}`],
    subject?.organization === undefined ? [] : [`O=${subject.organization}`],
    subject?.commonName === undefined ? [] : [`CN=${subject.commonName}`],
  ].flat();
  return AsnConvert.parse(new x509.Name(parts.join(", ")).toArrayBuffer(), Name);
}

function spkiOf(key: KeyObject): SubjectPublicKeyInfo {
  return AsnConvert.parse(createPublicKey(key).export({ type: "spki", format: "der" }), SubjectPublicKeyInfo);
}

/** The signature algorithm Go's `crypto/x509` uses for a CA key. */
function signatureAlgorithmFor(key: KeyObject): AlgorithmIdentifier {
  if (key.asymmetricKeyType === "rsa") {
    return new AlgorithmIdentifier({ algorithm: "1.2.840.113549.1.1.11", parameters: null });
  }
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? "";
    const oid = { secp384r1: "1.2.840.10045.4.3.3", secp521r1: "1.2.840.10045.4.3.4" }[curve];
    return new AlgorithmIdentifier({ algorithm: oid ?? "1.2.840.10045.4.3.2" });
  }
  return new AlgorithmIdentifier({ algorithm: "1.3.101.112" });
}

function extension(ext: x509.Extension): Extension {
  return AsnConvert.parse(ext.rawData, Extension);
}

/** SHA-1 of the public key bits, as Go computes a subject key identifier. */
function keyIdOf(spki: SubjectPublicKeyInfo): string {
  return createHash("sha1").update(Buffer.from(spki.subjectPublicKey)).digest("hex");
}

function serialOf(name: string): ArrayBuffer {
  const bytes = createHash("sha256").update(`mock tls serial\0${name}`).digest().subarray(0, 16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x40;
  return new Uint8Array(bytes).buffer;
}

/** A certificate request for `privateKeyPem`, with the subject and DNS names (the tls.CertRequest inputs). */
export function mockCertRequest(
  privateKeyPem: string,
  subject: Subject | undefined,
  dnsNames: readonly string[],
): string {
  const key = createPrivateKey(privateKeyPem);
  const extensions = dnsNames.length === 0 ? [] : [sanOf(dnsNames)];
  const info = new CertificationRequestInfo({
    version: 0,
    subject: nameOf(subject),
    subjectPKInfo: spkiOf(key),
    attributes: new Attributes(
      extensions.length === 0
        ? []
        : [new Attribute({ type: EXTENSION_REQUEST, values: [AsnConvert.serialize(new Extensions(extensions))] })],
    ),
  });
  const algorithm = signatureAlgorithmFor(key);
  const signature = signDeterministically(new Uint8Array(AsnConvert.serialize(info)), algorithm.algorithm, key);
  const csr = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: algorithm,
    signature: new Uint8Array(signature).buffer,
  });
  const lines =
    Buffer.from(AsnConvert.serialize(csr))
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return ["-----BEGIN CERTIFICATE REQUEST-----", ...lines, "-----END CERTIFICATE REQUEST-----", ""].join("\n");
}

function sanOf(dnsNames: readonly string[]): Extension {
  return extension(new x509.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: "dns", value }))));
}

/** What the tls provider's certificate resources take (the inputs the mock reads). */
export interface CertificateInputs {
  readonly isCaCertificate?: boolean;
  readonly allowedUses?: readonly string[];
  readonly validityPeriodHours?: number;
}

interface Issue {
  readonly name: string;
  readonly subject: Name;
  readonly publicKey: SubjectPublicKeyInfo;
  readonly dnsNames: Extension | undefined;
  readonly issuer: Name;
  readonly issuerKeyId: string | undefined;
  readonly signingKey: KeyObject;
  readonly inputs: CertificateInputs;
  readonly now: number;
}

function issue(i: Issue): string {
  const usages = (i.inputs.allowedUses ?? []).reduce((bits, use) => bits | (KEY_USAGES[use] ?? 0), 0);
  const ca = i.inputs.isCaCertificate === true;
  const extensions = [
    ...(usages === 0 ? [] : [extension(new x509.KeyUsagesExtension(usages, true))]),
    extension(new x509.BasicConstraintsExtension(ca, undefined, true)),
    ...(ca ? [extension(new x509.SubjectKeyIdentifierExtension(keyIdOf(i.publicKey)))] : []),
    ...(i.issuerKeyId === undefined ? [] : [extension(new x509.AuthorityKeyIdentifierExtension(i.issuerKeyId))]),
    ...(i.dnsNames === undefined ? [] : [i.dnsNames]),
  ];
  const algorithm = signatureAlgorithmFor(i.signingKey);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialOf(i.name),
    signature: algorithm,
    issuer: i.issuer,
    validity: new Validity({
      notBefore: new Date(i.now),
      notAfter: new Date(i.now + (i.inputs.validityPeriodHours ?? 0) * HOUR_MS),
    }),
    subject: i.subject,
    subjectPublicKeyInfo: i.publicKey,
    extensions: new Extensions(extensions),
  });
  const signature = signDeterministically(new Uint8Array(AsnConvert.serialize(tbs)), algorithm.algorithm, i.signingKey);
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: new Uint8Array(signature).buffer,
  });
  return pemOf(new Uint8Array(AsnConvert.serialize(cert)));
}

/** The tls.SelfSignedCert `name`: signed by its own key. */
export function mockSelfSignedCert(
  name: string,
  privateKeyPem: string,
  subject: Subject | undefined,
  inputs: CertificateInputs,
  now: number,
): string {
  const key = createPrivateKey(privateKeyPem);
  const publicKey = spkiOf(key);
  const own = nameOf(subject);
  return issue({
    name,
    subject: own,
    publicKey,
    dnsNames: undefined,
    issuer: own,
    issuerKeyId: keyIdOf(publicKey),
    signingKey: key,
    inputs,
    now,
  });
}

/** The tls.LocallySignedCert `name`: the request's subject, key and DNS names, signed by the CA's key. */
export function mockLocallySignedCert(
  name: string,
  certRequestPem: string,
  caCertPem: string,
  caPrivateKeyPem: string,
  inputs: CertificateInputs,
  now: number,
): string {
  const request = AsnConvert.parse(
    Buffer.from(certRequestPem.replace(/-----[^-]+-----|\s+/g, ""), "base64"),
    CertificationRequest,
  ).certificationRequestInfo;
  const requested = request.attributes
    .filter((a) => a.type === EXTENSION_REQUEST)
    .flatMap((a) => a.values.flatMap((v) => [...AsnConvert.parse(v, Extensions)]));
  const ca = AsnConvert.parse(derOf(caCertPem), Certificate).tbsCertificate;
  const caKeyId = new x509.X509Certificate(caCertPem).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  return issue({
    name,
    subject: request.subject,
    publicKey: request.subjectPKInfo,
    dnsNames: requested.find((e) => e.extnID === "2.5.29.17"),
    issuer: ca.subject,
    issuerKeyId: caKeyId,
    signingKey: createPrivateKey(caPrivateKeyPem),
    inputs,
    now,
  });
}
