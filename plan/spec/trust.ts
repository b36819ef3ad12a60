/**
 * `multicluster-mesh:trust`: the environment's root CA(s) and the per-cluster intermediates Istio plugs in.
 * Defaults are written here once. Cross-field rules (issuer among the roots, validity containment, cluster names)
 * live in `checkTrust` (../trust.ts).
 *
 * PEM values (`certPem`, `keyPem`, `chainPem`) are meant to be set as secret config values
 * (`pulumi config set --secret --path 'trust.roots[0].keyPem' < root-key.pem`); the components mark every key secret.
 */
import { z } from "zod";
import { dnsLabel, positiveInt, says } from "./common";

/** Where a certificate and its key come from. */
export const TRUST_SOURCES = ["generated", "external"] as const;
export type TrustSource = (typeof TRUST_SOURCES)[number];

/** The root every new environment starts with. */
export const DEFAULT_ROOT_NAME = "root-1";

/** Root names end up in resource names (`<env>-root-key-<root>`, `<cluster>-intermediate-key-<root>-g<n>`). */
export const MAX_ROOT_NAME_LENGTH = 20;

const source = (what: string) =>
  z.enum(TRUST_SOURCES, { error: says(`unknown ${what} source`, "use generated or external") }).default("generated");

const rootSchema = z.strictObject({
  /**
   * Stable name of this root: it names the root's resources and the intermediates it signs. Never rename a root;
   * rotate by adding a new one (see the README's root rotation phases).
   */
  name: dnsLabel("root name", MAX_ROOT_NAME_LENGTH),
  /**
   * `generated` (default): Pulumi generates the RSA 4096 key and the self-signed certificate; the key lives in the
   * stack's state, encrypted by its secrets provider, protected against deletion. `external`: you bring the
   * certificate (and, only if this root signs generated intermediates, its key); nothing is generated.
   */
  source: source("root"),
  /** External root: its certificate, PEM. */
  certPem: z.string().min(1).optional(),
  /** External root: its private key, PEM (set it as a secret). Leave it out to keep the root offline. */
  keyPem: z.string().min(1).optional(),
});

const intermediateSchema = z.strictObject({
  /**
   * `generated` (default): a fresh RSA 4096 key and an intermediate certificate signed by the issuing root.
   * `external`: you bring the intermediate (certPem, keyPem, chainPem), signed by one of the trusted roots.
   */
  source: source("intermediate"),
  /**
   * Generated intermediates only: bump it (1 → 2) to issue a fresh key and certificate for this cluster under a
   * new resource name; istiod hot-reloads the new cacerts because the root is unchanged. Default 1.
   */
  generation: positiveInt("trust.intermediates.<cluster>.generation").default(1),
  /** External intermediate: its certificate, PEM (becomes ca-cert.pem). */
  certPem: z.string().min(1).optional(),
  /** External intermediate: its private key, PEM (becomes ca-key.pem; set it as a secret). */
  keyPem: z.string().min(1).optional(),
  /** External intermediate: the chain from the intermediate up to its root, intermediate first (becomes cert-chain.pem). */
  chainPem: z.string().min(1).optional(),
});

export const trustSchema = z
  .strictObject({
    /** Validity of generated roots (10 years, as Istio's own tooling). */
    rootValidityHours: positiveInt("trust.rootValidityHours").default(87600),
    /** Validity of generated intermediates (2 years); must not exceed the root's. */
    intermediateValidityHours: positiveInt("trust.intermediateValidityHours").default(17520),
    /** Re-issue a generated certificate this long before it expires (30 days); must be shorter than every validity. */
    earlyRenewalHours: positiveInt("trust.earlyRenewalHours").default(720),
    /**
     * The trusted roots, at most two (two only while rotating). Every cluster's root-cert.pem holds all of them,
     * in this order. Default: one generated root named `root-1`.
     */
    roots: z
      .array(rootSchema, { error: says("trust.roots must be a list", "list the roots, e.g. [{name: root-1}]") })
      .min(1, says("no roots", "list at least one root, e.g. [{name: root-1}]"))
      .prefault([{ name: DEFAULT_ROOT_NAME }]),
    /** The root that signs generated intermediates. Default: the only root; required when two roots are listed. */
    issuer: z
      .string({ error: says("trust.issuer must be a string", "write the name of one of trust.roots") })
      .min(1)
      .optional(),
    /** Per-cluster intermediate settings, keyed by cluster name. Default: every cluster generates generation 1. */
    intermediates: z.record(z.string(), intermediateSchema).default({}),
  })
  .prefault({});

export type TrustSpec = z.output<typeof trustSchema>;
export type RootSpec = z.output<typeof rootSchema>;
export type IntermediateSpec = z.output<typeof intermediateSchema>;
