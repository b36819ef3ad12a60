/**
 * The trust plan: which roots every cluster trusts, which one signs, which intermediate each cluster holds, and
 * what that means for Istio (multi-root). Pure and deterministic; plain JSON. Certificates and keys brought by the
 * user never enter the plan: it names where they come from (a config path), the components take the PEMs as secrets.
 *
 * Root rotation is a sequence of config changes, never one step:
 *   1. roots [A], issuer A          – steady state
 *   2. roots [A, B], issuer A       – every cluster trusts both (root-cert.pem = A + B, multi-root on)
 *   3. roots [A, B], issuer B       – intermediates re-issued by B (new keys, new names); trust unchanged
 *   4. roots [B], issuer B          – A dropped (multi-root off); A's resources are protected, so this step
 *                                     needs a deliberate `pulumi state unprotect` of A's key and certificate
 */
import { interconnectOf } from "./interconnect";
import { type Issue, throwIfAny } from "./issues";
import { checkSigningKey } from "./trust-keys";
import type { FleetSpec, MeshKind } from "./spec";
import type { IntermediateSpec, RootSpec, TrustSource } from "./spec/trust";

/** Where istiod reads its plugged-in CA, and the Secret it reads it from. */
export const ISTIO_NAMESPACE = "istio-system";
export const CACERTS_SECRET = "cacerts";
/** The four keys of `cacerts`, exactly (a partial bundle is a hard error in istiod). */
export const CACERTS_KEYS = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"] as const;
export type CacertsKey = (typeof CACERTS_KEYS)[number];
/** The intermediate's SAN, as Istio's own tooling issues it. */
export const ISTIOD_SAN = "istiod.istio-system.svc";
/** Istio's network label: on istio-system it tells istiod which network the cluster is on. */
export const NETWORK_LABEL = "topology.istio.io/network";
/** A ConfigMap with the trusted roots, readable by anyone in the cluster (root certificates are public). */
export const ROOT_BUNDLE_CONFIGMAP = {
  namespace: "kube-public",
  name: "multicluster-mesh-root-ca",
  key: "root-cert.pem",
} as const;

/** Key usages of both CA levels (X.509: digitalSignature, nonRepudiation, keyEncipherment, keyCertSign, cRLSign). */
export const CA_ALLOWED_USES = [
  "cert_signing",
  "crl_signing",
  "digital_signature",
  "key_encipherment",
  "content_commitment",
] as const;

/** Istio's own tooling: RSA 4096, SHA-256 (the tls provider signs RSA keys with SHA-256). */
export interface KeySpec {
  readonly algorithm: "RSA";
  readonly rsaBits: 4096;
  readonly signatureAlgorithm: "SHA256WithRSA";
}
export const CA_KEY: KeySpec = { algorithm: "RSA", rsaBits: 4096, signatureAlgorithm: "SHA256WithRSA" };

export interface CertSubject {
  readonly organization: string;
  readonly commonName: string;
  readonly locality?: string;
}
export const ROOT_SUBJECT: CertSubject = { organization: "Istio", commonName: "Root CA" };
export function intermediateSubject(cluster: string): CertSubject {
  return { organization: "Istio", commonName: "Intermediate CA", locality: cluster };
}

/** How a generated CA certificate is made. */
export interface GeneratedCa {
  readonly key: KeySpec;
  readonly subject: CertSubject;
  readonly isCaCertificate: true;
  readonly allowedUses: readonly string[];
  readonly validityHours: number;
  readonly earlyRenewalHours: number;
}

export type RootPlan =
  | ({ readonly name: string; readonly source: "generated"; readonly issuing: boolean } & GeneratedCa)
  | {
      readonly name: string;
      readonly source: "external";
      readonly issuing: boolean;
      /** Config paths of the PEMs the user brings. */
      readonly certPemFrom: string;
      /** Set when the key is given (needed only to sign generated intermediates); unset keeps the root offline. */
      readonly keyPemFrom?: string;
    };

export type IntermediatePlan =
  | ({
      readonly source: "generated";
      /** Stable resource key `<issuer>-g<generation>`: a new issuer or generation is a new key and certificate. */
      readonly name: string;
      readonly issuer: string;
      readonly generation: number;
      readonly dnsNames: readonly string[];
    } & GeneratedCa)
  | {
      readonly source: "external";
      readonly certPemFrom: string;
      readonly keyPemFrom: string;
      readonly chainPemFrom: string;
    };

/** What one cluster holds. */
export interface ClusterTrustPlan {
  readonly cluster: string;
  /**
   * What the cluster holds, as the interconnect declares (`Interconnect.trust`): `workload-ca`, the namespace, the
   * intermediate and `cacerts` (its key included) plus the root bundle; `root-bundle`, the root bundle alone.
   */
  readonly holds: "workload-ca" | "root-bundle";
  readonly network: string;
  readonly namespace: { readonly name: typeof ISTIO_NAMESPACE; readonly labels: Readonly<Record<string, string>> };
  readonly secretName: typeof CACERTS_SECRET;
  readonly rootBundle: typeof ROOT_BUNDLE_CONFIGMAP;
  readonly intermediate: IntermediatePlan;
}

/** What istiod and the proxies need for the current trust (consumed by the Istio component). */
export interface IstioTrustSettings {
  /** More than one trusted root: istiod must accept workload certificates from either. */
  readonly multiRoot: boolean;
  /** Extra istiod environment (`pilot.env`): `ISTIO_MULTIROOT_MESH=true` while two roots are trusted. */
  readonly istiodEnv: Readonly<Record<string, string>>;
  /** Extra proxy metadata (`meshConfig.defaultConfig.proxyMetadata`): `PROXY_CONFIG_XDS_AGENT=true` likewise. */
  readonly proxyMetadata: Readonly<Record<string, string>>;
}

export interface TrustPlan {
  readonly mesh: MeshKind;
  /** Every trusted root, in config order; root-cert.pem is their certificates concatenated in this order. */
  readonly roots: readonly RootPlan[];
  /** The root that signs generated intermediates. */
  readonly issuer: string;
  readonly istio: IstioTrustSettings;
  /** One entry per cluster, in the stack file's order. */
  readonly clusters: readonly ClusterTrustPlan[];
}

/** Validates the trust section against the rest of the spec; an empty list means `planTrust` succeeds. */
export function checkTrust(spec: FleetSpec): Issue[] {
  const trust = spec.trust;
  const issues: Issue[] = [];
  const rootNames = trust.roots.map((r) => r.name);

  const firstRoot = new Map<string, number>();
  trust.roots.forEach((root, i) => {
    const first = firstRoot.get(root.name);
    if (first === undefined) {
      firstRoot.set(root.name, i);
    } else {
      issues.push({
        path: `trust.roots[${i}].name`,
        message: `duplicate root name, already used by trust.roots[${first}]`,
        fix: "give every root its own name",
        value: root.name,
      });
    }
  });
  if (trust.roots.length > 2) {
    issues.push({
      path: "trust.roots",
      message: "more than two roots",
      fix: "trust at most the old and the new root while rotating; remove a retired root before adding another",
      value: rootNames,
    });
  }

  if (trust.issuer === undefined && trust.roots.length > 1) {
    issues.push({
      path: "trust.issuer",
      message: "is required when more than one root is listed",
      fix: "name the root that signs the intermediates: the old one until every cluster trusts both, then the new one",
      value: undefined,
    });
  } else if (trust.issuer !== undefined && !rootNames.includes(trust.issuer)) {
    issues.push({
      path: "trust.issuer",
      message: "is not among the roots",
      fix: `use one of: ${rootNames.join(", ")}`,
      value: trust.issuer,
    });
  }

  if (trust.intermediateValidityHours > trust.rootValidityHours) {
    issues.push({
      path: "trust.intermediateValidityHours",
      message: `longer than the root's validity (${trust.rootValidityHours} hours)`,
      fix: "an intermediate must expire before its root: set it to at most trust.rootValidityHours",
      value: trust.intermediateValidityHours,
    });
  }
  const shortest = Math.min(trust.intermediateValidityHours, trust.rootValidityHours);
  if (trust.earlyRenewalHours >= shortest) {
    const which = shortest === trust.intermediateValidityHours ? "intermediate" : "root";
    issues.push({
      path: "trust.earlyRenewalHours",
      message: `not shorter than the ${which} validity (${shortest} hours)`,
      fix: "renew before expiry, not at issuance: set it well below the validity, e.g. 720 (30 days)",
      value: trust.earlyRenewalHours,
    });
  }

  const clusterNames = spec.clusters.map((c) => c.name);
  const generating = spec.clusters
    .filter((c) => intermediateSpec(spec, c.name).source === "generated")
    .map((c) => c.name);
  trust.roots.forEach((root, i) =>
    issues.push(...checkRoot(root, `trust.roots[${i}]`, root.name === issuerName(spec), generating)),
  );

  for (const [cluster, settings] of Object.entries(trust.intermediates)) {
    const at = `trust.intermediates.${cluster}`;
    if (!clusterNames.includes(cluster)) {
      issues.push({
        path: at,
        message: "names no cluster of this stack",
        fix: `use one of: ${clusterNames.join(", ")}`,
        value: cluster,
      });
    }
    issues.push(...checkIntermediate(settings, at));
  }
  return issues;
}

/** The trust plan for an environment; throws a SpecError listing every problem. */
export function planTrust(spec: FleetSpec): TrustPlan {
  throwIfAny(checkTrust(spec));
  const trust = spec.trust;
  const issuer = issuerName(spec);
  const generatedCa = (subject: CertSubject, validityHours: number): GeneratedCa => ({
    key: CA_KEY,
    subject,
    isCaCertificate: true,
    allowedUses: [...CA_ALLOWED_USES],
    validityHours,
    earlyRenewalHours: trust.earlyRenewalHours,
  });

  const roots = trust.roots.map((root, i): RootPlan => {
    const issuing = root.name === issuer;
    if (root.source === "generated") {
      return { name: root.name, source: "generated", issuing, ...generatedCa(ROOT_SUBJECT, trust.rootValidityHours) };
    }
    const at = `trust.roots[${i}]`;
    return {
      name: root.name,
      source: "external",
      issuing,
      certPemFrom: `${at}.certPem`,
      ...(root.keyPem !== undefined ? { keyPemFrom: `${at}.keyPem` } : {}),
    };
  });

  const clusters = spec.clusters.map((c): ClusterTrustPlan => {
    const settings = intermediateSpec(spec, c.name);
    const at = `trust.intermediates.${c.name}`;
    const intermediate: IntermediatePlan =
      settings.source === "generated"
        ? {
            source: "generated",
            name: `${issuer}-g${settings.generation}`,
            issuer,
            generation: settings.generation,
            dnsNames: [ISTIOD_SAN],
            ...generatedCa(intermediateSubject(c.name), trust.intermediateValidityHours),
          }
        : {
            source: "external",
            certPemFrom: `${at}.certPem`,
            keyPemFrom: `${at}.keyPem`,
            chainPemFrom: `${at}.chainPem`,
          };
    return {
      cluster: c.name,
      holds: interconnectOf(spec.mesh).trust,
      network: c.network,
      namespace: { name: ISTIO_NAMESPACE, labels: { ...interconnectOf(spec.mesh).trustNamespaceLabels(c) } },
      secretName: CACERTS_SECRET,
      rootBundle: ROOT_BUNDLE_CONFIGMAP,
      intermediate,
    };
  });

  return { mesh: spec.mesh, roots, issuer, istio: istioTrustSettings(roots.length > 1), clusters };
}

/** Istio settings for a trust with one or several roots. */
export function istioTrustSettings(multiRoot: boolean): IstioTrustSettings {
  return multiRoot
    ? { multiRoot, istiodEnv: { ISTIO_MULTIROOT_MESH: "true" }, proxyMetadata: { PROXY_CONFIG_XDS_AGENT: "true" } }
    : { multiRoot, istiodEnv: {}, proxyMetadata: {} };
}

/**
 * Concatenates PEM blocks, each ending in exactly one newline. With this form the A+B bundle contains the A bundle
 * (and the B bundle) byte for byte, which is what istiod checks before it accepts a changed root-cert.pem.
 */
export function concatPems(pems: readonly string[]): string {
  return pems.map((p) => `${p.replace(/\s+$/, "")}\n`).join("");
}

/** The issuer as configured, or the only root. */
function issuerName(spec: FleetSpec): string {
  return spec.trust.issuer ?? spec.trust.roots[0]?.name ?? "";
}

const DEFAULT_INTERMEDIATE: IntermediateSpec = { source: "generated", generation: 1 };

function intermediateSpec(spec: FleetSpec, cluster: string): IntermediateSpec {
  return spec.trust.intermediates[cluster] ?? DEFAULT_INTERMEDIATE;
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----[\s\S]+?-----END ([A-Z]+ )?PRIVATE KEY-----/;
/** Key material never appears in a message. */
const REDACTED = "[redacted]";

function certBlocks(pem: string): string[] {
  return pem.match(CERT_BLOCK) ?? [];
}

/** Checks a PEM field's presence and shape. Returns nothing when the field is absent (presence is checked by the caller). */
function checkPem(kind: "certificate" | "key" | "chain", pem: string | undefined, path: string): Issue[] {
  if (pem === undefined) {
    return [];
  }
  const ok = kind === "key" ? KEY_BLOCK.test(pem) : certBlocks(pem).length >= (kind === "chain" ? 2 : 1);
  if (ok) {
    return [];
  }
  const what = {
    certificate: "a PEM certificate",
    key: "a PEM private key",
    chain: "a PEM chain of at least two certificates",
  }[kind];
  const fix = {
    certificate: "paste the whole block, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----",
    key: "paste the whole key, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----",
    chain: "paste the intermediate's certificate followed by its issuer's, up to the root",
  }[kind];
  return [{ path, message: `is not ${what}`, fix, value: kind === "key" ? REDACTED : pem }];
}

function notForGenerated(
  source: TrustSource,
  fields: Record<string, string | undefined>,
  at: string,
  what: string,
): Issue[] {
  if (source !== "generated") {
    return [];
  }
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([field, v]) => ({
      path: `${at}.${field}`,
      message: `a generated ${what} takes no ${field}`,
      fix: `remove it, or set ${at}.source: external`,
      value: field === "keyPem" ? REDACTED : v,
    }));
}

function checkRoot(root: RootSpec, at: string, issuing: boolean, generating: readonly string[]): Issue[] {
  const issues = notForGenerated(root.source, { certPem: root.certPem, keyPem: root.keyPem }, at, "root");
  if (root.source === "external") {
    if (root.certPem === undefined) {
      issues.push({
        path: `${at}.certPem`,
        message: "an external root needs its certificate",
        fix: `set it: pulumi config set --secret --path '${at}.certPem' < root-cert.pem`,
        value: undefined,
      });
    }
    if (root.keyPem === undefined && issuing && generating.length > 0) {
      issues.push({
        path: `${at}.keyPem`,
        message: `the issuing root is external and has no key, but ${generating.join(", ")} generate their intermediates`,
        fix: `set it (pulumi config set --secret --path '${at}.keyPem' < root-key.pem), or bring those clusters' intermediates under trust.intermediates to keep the root offline`,
        value: undefined,
      });
    }
    issues.push(
      ...checkPem("certificate", root.certPem, `${at}.certPem`),
      ...checkPem("key", root.keyPem, `${at}.keyPem`),
    );
    if (issuing && generating.length > 0) {
      issues.push(...checkSigningKey(root.keyPem, `${at}.keyPem`, generating));
    }
  }
  return issues;
}

function checkIntermediate(settings: IntermediateSpec, at: string): Issue[] {
  const fields = { certPem: settings.certPem, keyPem: settings.keyPem, chainPem: settings.chainPem };
  const issues = notForGenerated(settings.source, fields, at, "intermediate");
  if (settings.source === "external") {
    for (const [field, v] of Object.entries(fields)) {
      if (v === undefined) {
        issues.push({
          path: `${at}.${field}`,
          message: "an external intermediate needs certPem, keyPem and chainPem",
          fix: `set it: pulumi config set --secret --path '${at}.${field}' < ${field === "chainPem" ? "cert-chain" : field === "keyPem" ? "ca-key" : "ca-cert"}.pem`,
          value: undefined,
        });
      }
    }
    if (settings.generation !== 1) {
      issues.push({
        path: `${at}.generation`,
        message: "generation only rotates generated intermediates",
        fix: "remove it; rotate a brought intermediate by replacing its certPem, keyPem and chainPem",
        value: settings.generation,
      });
    }
    issues.push(
      ...checkPem("certificate", settings.certPem, `${at}.certPem`),
      ...checkPem("key", settings.keyPem, `${at}.keyPem`),
      ...checkPem("chain", settings.chainPem, `${at}.chainPem`),
    );
    const first = certBlocks(settings.chainPem ?? "")[0];
    const own = certBlocks(settings.certPem ?? "")[0];
    if (first !== undefined && own !== undefined && squash(first) !== squash(own)) {
      issues.push({
        path: `${at}.chainPem`,
        message: "does not start with the intermediate's own certificate",
        fix: "put certPem first, then its issuer's certificate, up to the root",
        value: settings.chainPem,
      });
    }
  }
  return issues;
}

function squash(pem: string): string {
  return pem.replace(/\s+/g, "");
}
