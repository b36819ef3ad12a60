/**
 * Certificates for the verify tests, generated with @peculiar/x509 the way Istio's plug-in CA hierarchy looks: a root
 * `O=Istio, CN=Root CA` and per cluster an intermediate `O=Istio, CN=Intermediate CA, L=<cluster>` signed by it, both
 * CA certificates. ECDSA P-256 keeps generation fast; the checks do not depend on the key type.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto);

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Authority {
  readonly pem: string;
  readonly certificate: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function caExtensions(keys: CryptoKeyPair, pathLength?: number): Promise<x509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
}

export async function rootCa(name: string, now: Date): Promise<Authority> {
  const keys = await keyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `O=Istio, CN=${name}`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 3650 * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: await caExtensions(keys),
  });
  return { pem: certificate.toString("pem"), certificate, keys };
}

/**
 * An intermediate CA for `cluster`, signed by `root`, valid for `validDays` from `now`, with path length 0 as the
 * program issues it (`pathLength: null` gives none, as the tls provider writes it).
 */
export async function intermediateCa(
  root: Authority,
  cluster: string,
  now: Date,
  validDays: number,
  pathLength: number | null = 0,
): Promise<Authority> {
  const keys = await keyPair();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: `O=Istio, CN=Intermediate CA, L=${cluster}`,
    issuer: root.certificate.subject,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + validDays * DAY_MS),
    signingKey: root.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      ...(await caExtensions(keys, pathLength ?? undefined)),
      await x509.AuthorityKeyIdentifierExtension.create(root.keys.publicKey),
    ],
  });
  return { pem: certificate.toString("pem"), certificate, keys };
}

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** The `cacerts` Secret's data as the cluster returns it (base64 values). The key is a placeholder, never read. */
export function cacertsData(intermediate: Authority, root: Authority): Record<string, string> {
  return {
    "ca-cert.pem": b64(intermediate.pem),
    "ca-key.pem": b64("-----BEGIN PRIVATE KEY-----\nnot read by verify\n-----END PRIVATE KEY-----\n"),
    "root-cert.pem": b64(root.pem),
    "cert-chain.pem": b64(`${intermediate.pem}\n${root.pem}`),
  };
}
