/**
 * The intermediate re-issued with pathlen:0, with real keys of every type an issuing root can have here: RSA 4096 (a
 * generated root), and for a brought root ECDSA P-256/P-384/P-521 and Ed25519, as the tls provider accepts them.
 */
import "reflect-metadata";
import { createPrivateKey, generateKeyPairSync, type KeyObject, X509Certificate } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { derivedSerial, signDeterministically, withPathLenZero } from "../../../components/trust/path-length";
import { CA_ALLOWED_USES, ISTIOD_SAN, ROOT_SUBJECT, intermediateSubject } from "../../../plan/trust";
import { MOCK_NOW } from "../../../tools/mock-answers";
import {
  mockCertRequest,
  mockKeyPem,
  mockLocallySignedCert,
  mockSelfSignedCert,
} from "../../../tools/mock-certificates";

const CA = { isCaCertificate: true, allowedUses: [...CA_ALLOWED_USES] };
const pem = (key: KeyObject): string => key.export({ type: "pkcs8", format: "pem" }).toString();

const ROOT_KEYS: readonly [string, () => string][] = [
  ["RSA 4096", () => pem(generateKeyPairSync("rsa", { modulusLength: 4096 }).privateKey)],
  ["ECDSA P-256", () => pem(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey)],
  ["ECDSA P-384", () => pem(generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey)],
  ["ECDSA P-521", () => pem(generateKeyPairSync("ec", { namedCurve: "P-521" }).privateKey)],
  ["Ed25519", () => pem(generateKeyPairSync("ed25519").privateKey)],
];

/** A root of `rootKey` and the record the tls provider would make for cluster c1's intermediate. */
function hierarchy(rootKey: string): { root: string; record: string } {
  const root = mockSelfSignedCert("root", rootKey, ROOT_SUBJECT, { ...CA, validityPeriodHours: 87600 }, MOCK_NOW);
  const request = mockCertRequest(mockKeyPem("c1-intermediate-key"), intermediateSubject("c1"), [ISTIOD_SAN]);
  const record = mockLocallySignedCert("c1", request, root, rootKey, { ...CA, validityPeriodHours: 17520 }, MOCK_NOW);
  return { root, record };
}

describe.each(ROOT_KEYS)("withPathLenZero under a %s root", (_, makeKey) => {
  const rootKey = makeKey();
  const { root, record } = hierarchy(rootKey);
  const reissued = withPathLenZero(record, rootKey);
  const [cert, was, issuer] = [reissued, record, root].map((p) => new X509Certificate(p)) as [
    X509Certificate,
    X509Certificate,
    X509Certificate,
  ];

  it("is a critical CA:true, pathlen:0 certificate signed by the root", () => {
    const constraints = new x509.X509Certificate(reissued).getExtension(x509.BasicConstraintsExtension);
    expect([constraints?.ca, constraints?.pathLength, constraints?.critical]).toEqual([true, 0, true]);
    expect(cert.checkIssued(issuer)).toBe(true);
    expect(cert.verify(issuer.publicKey)).toBe(true);
  });

  it("keeps the record's subject, key, validity, names and other extensions; its serial is its own", () => {
    expect([cert.subject, cert.issuer, cert.validFrom, cert.validTo, cert.subjectAltName, cert.keyUsage]).toEqual([
      was.subject,
      was.issuer,
      was.validFrom,
      was.validTo,
      was.subjectAltName,
      was.keyUsage,
    ]);
    expect(cert.publicKey.equals(was.publicKey)).toBe(true);
    expect(Date.parse(cert.validTo)).toBeLessThanOrEqual(Date.parse(issuer.validTo));
    expect(cert.serialNumber).not.toBe(was.serialNumber);
    const ids = (p: string) =>
      new x509.X509Certificate(p).extensions.map((e) => e.type).filter((t) => t !== "2.5.29.19");
    expect(ids(reissued)).toEqual(ids(record));
  });

  it("is the same bytes every time", () => {
    expect(withPathLenZero(record, rootKey)).toBe(reissued);
  });
});

describe("withPathLenZero refuses what it cannot re-issue", () => {
  const rsa = pem(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);
  const { record } = hierarchy(rsa);

  it("a key of another type than the record's signature", () => {
    expect(() => withPathLenZero(record, mockKeyPem("other"))).toThrow(
      "signature algorithm 1.2.840.113549.1.1.11 needs an rsa key, the issuing key is ed25519",
    );
  });

  it("ECDSA on a curve without deterministic signatures here (P-224)", () => {
    const p224 = generateKeyPairSync("ec", { namedCurve: "P-224" }).privateKey;
    expect(() => signDeterministically(new Uint8Array([1]), "1.2.840.10045.4.3.2", p224)).toThrow(
      "ECDSA on secp224r1 cannot be signed deterministically (P-256, P-384, P-521 can)",
    );
  });

  it("an algorithm the tls provider never signs with, and text that is no certificate", () => {
    expect(() => signDeterministically(new Uint8Array([1]), "1.2.840.113549.1.1.5", createPrivateKey(rsa))).toThrow(
      "signature algorithm 1.2.840.113549.1.1.5 is not one the tls provider signs CA certificates with",
    );
    expect(() => withPathLenZero("not a certificate", rsa)).toThrow("no PEM certificate found");
  });
});

describe("derivedSerial", () => {
  it("is a positive 16-octet integer, a function of the record's serial, never equal to it", () => {
    const a = Buffer.from(derivedSerial(new Uint8Array([0x01, 0x02]).buffer));
    const b = Buffer.from(derivedSerial(new Uint8Array([0x01, 0x03]).buffer));
    expect(a).toHaveLength(16);
    expect((a[0] as number) & 0x80).toBe(0);
    expect((a[0] as number) & 0x40).toBe(0x40);
    expect(a.equals(Buffer.from(derivedSerial(new Uint8Array([0x01, 0x02]).buffer)))).toBe(true);
    expect(a.equals(b)).toBe(false);
    expect(Buffer.from(derivedSerial(a.buffer.slice(a.byteOffset, a.byteOffset + 16))).equals(a)).toBe(false);
  });
});
