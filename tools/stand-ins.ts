/**
 * Stand-ins for secret stack config offline. The offline tools cannot decrypt `secure:` values (the stack's secrets
 * provider is out of reach), yet brought-in trust material must be valid for the stack to plan: a private key where a
 * key goes, a certificate where a certificate goes, a chain that starts with its certificate. Each stand-in is
 * generated here, deterministically from its ciphertext (so a plan is reproducible and one `secure:` value pasted
 * into two places stands in as one certificate or key, which the trust rules then compare by public key):
 *
 * - `keyPem`: an Ed25519 private key (PKCS #8 PEM) whose seed is a hash of the ciphertext;
 * - `certPem`: a self-signed CA certificate (`O=multicluster-mesh stand-in, CN=<config path>`) of such a key;
 * - `chainPem`: the entry's certificate (its plaintext certPem, or that stand-in) followed by a stand-in certificate;
 * - anything else (an inline kubeconfig): the placeholder `[secret]`, as before.
 *
 * The plan lists every one (`standIns` in the JSON document, a section in text and markdown), so nobody mistakes a
 * stand-in for the real material. Inside `pulumi preview` Pulumi decrypts the real values; none of this runs there.
 */
import "reflect-metadata";
import { createHash, createPrivateKey, createPublicKey, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { childPath, ciphertextOf, OFFLINE_SECRET_PLACEHOLDER, type SecretStandIns } from "../stacks/load";

x509.cryptoProvider.set(webcrypto);

/** What a secret value became offline. */
export type StandInKind = "private key" | "certificate" | "chain" | "placeholder";

export interface StandIn {
  /** The config key path, as `pulumi config set --path` names it (without the project prefix). */
  readonly path: string;
  readonly kind: StandInKind;
}

export interface StandIns {
  /** The stand-in values by path (placeholders are not listed here; the loader writes those itself). */
  readonly values: SecretStandIns;
  /** Every secret value of the stack file, in file order, and what it became. */
  readonly list: readonly StandIn[];
}

/** The PKCS #8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const ED25519 = { name: "Ed25519" };
const SUBJECT_ORGANIZATION = "multicluster-mesh stand-in";
const NOT_BEFORE = new Date("2000-01-01T00:00:00Z");
const NOT_AFTER = new Date("2099-12-31T23:59:59Z");

interface Ed25519Key {
  readonly pem: string;
  readonly pkcs8: Buffer;
  readonly spki: Buffer;
}

function keyFrom(purpose: string, ciphertext: string): Ed25519Key {
  const seed = createHash("sha256").update(`${SUBJECT_ORGANIZATION}\0${purpose}\0${ciphertext}`).digest();
  const pkcs8 = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  const key = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
  return {
    pem: key.export({ type: "pkcs8", format: "pem" }).toString(),
    pkcs8,
    spki: createPublicKey(key).export({ type: "spki", format: "der" }),
  };
}

/** A self-signed CA certificate of the key derived from `ciphertext`, named after the config path. */
async function certificateFrom(path: string, ciphertext: string): Promise<string> {
  const key = keyFrom("certificate", ciphertext);
  const privateKey = await webcrypto.subtle.importKey("pkcs8", key.pkcs8, ED25519, true, ["sign"]);
  const publicKey = await webcrypto.subtle.importKey("spki", key.spki, ED25519, true, ["verify"]);
  const serial = createHash("sha256").update(key.spki).digest("hex").slice(0, 16);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${serial}`,
    name: `O=${SUBJECT_ORGANIZATION}, CN=${path}`,
    notBefore: NOT_BEFORE,
    notAfter: NOT_AFTER,
    keys: { privateKey, publicKey },
    signingAlgorithm: ED25519,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  return `${cert.toString("pem")}\n`;
}

type Node = Readonly<Record<string, unknown>>;

/** Stand-ins for every `secure:` leaf of a stack's config (`encryptedConfigFromStackYaml`). */
export async function standInsFor(config: unknown): Promise<StandIns> {
  const values = new Map<string, string>();
  const list: StandIn[] = [];

  const certificateOf = async (parent: Node, at: string): Promise<string | undefined> => {
    const cert = parent["certPem"];
    if (typeof cert === "string") {
      return cert;
    }
    const ciphertext = ciphertextOf(cert);
    return ciphertext === undefined ? undefined : certificateFrom(childPath(at, "certPem"), ciphertext);
  };

  const standIn = async (key: string | number, ciphertext: string, parent: Node, at: string): Promise<void> => {
    const path = childPath(at, key);
    if (key === "keyPem") {
      values.set(path, keyFrom("private key", ciphertext).pem);
      list.push({ path, kind: "private key" });
    } else if (key === "certPem") {
      values.set(path, await certificateFrom(path, ciphertext));
      list.push({ path, kind: "certificate" });
    } else if (key === "chainPem") {
      const own = (await certificateOf(parent, at)) ?? (await certificateFrom(`${path} (certificate)`, ciphertext));
      const issuer = await certificateFrom(`${path} (issuer)`, ciphertext);
      values.set(path, `${own.replace(/\s+$/, "")}\n${issuer}`);
      list.push({ path, kind: "chain" });
    } else {
      list.push({ path, kind: "placeholder" });
    }
  };

  const walk = async (value: unknown, at: string): Promise<void> => {
    if (typeof value !== "object" || value === null) {
      return;
    }
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i): [number, unknown] => [i, v])
      : Object.entries(value);
    for (const [key, child] of entries) {
      const ciphertext = ciphertextOf(child);
      if (ciphertext !== undefined) {
        await standIn(key, ciphertext, value as Node, at);
      } else {
        await walk(child, childPath(at, key));
      }
    }
  };

  await walk(config, "");
  return { values, list };
}

/** One line per stand-in, for the text and markdown plans. */
export function describeStandIn(s: StandIn): string {
  return s.kind === "placeholder"
    ? `${s.path}: secret, shown as ${OFFLINE_SECRET_PLACEHOLDER}`
    : `${s.path}: secret, planned with a stand-in ${s.kind}`;
}
