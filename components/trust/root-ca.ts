import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { concatPems, type RootPlan, type TrustPlan } from "../../plan/trust";
import type { ExternalRootMaterial } from "./material";

/** What a cluster's intermediate needs from the roots: the issuing root, and the bundle every cluster trusts. */
export interface IssuingRoots {
  /** Name of the root that signs generated intermediates. */
  readonly issuer: string;
  /** The issuing root's certificate, PEM (appended to every generated intermediate's cert-chain.pem). */
  readonly issuerCertPem: pulumi.Output<string>;
  /** The issuing root's private key, PEM, secret. Undefined when the root is external and kept offline. */
  readonly issuerKeyPem: pulumi.Output<string> | undefined;
  /** Every trusted root certificate, concatenated in config order: root-cert.pem. */
  readonly trustBundlePem: pulumi.Output<string>;
}

export interface RootCaArgs {
  /** The trust plan (its roots and issuer); one root is generated per `source: generated` entry. */
  readonly plan: Pick<TrustPlan, "roots" | "issuer">;
  /**
   * The PEMs of the `source: external` roots, by root name (see `externalTrustMaterial`). Required for every
   * external root; an external root that issues generated intermediates also needs its key. Default: none.
   */
  readonly externalRoots?: Readonly<Record<string, ExternalRootMaterial>>;
}

/**
 * The environment's root(s) of trust: one root CA for every cluster (two while a root rotation is in progress).
 *
 * Children, per generated root `<root>`: the root key (`tls.PrivateKey` RSA 4096, `<name>-root-key-<root>`) and the
 * self-signed CA certificate (`tls.SelfSignedCert`, `<name>-root-cert-<root>`, subject O=Istio, CN=Root CA). Both
 * are protected and retained on delete, so dropping or replacing a root in one step fails at `pulumi preview`/`up`
 * instead of breaking cross-cluster traffic. External roots create no resources: their PEMs arrive as secret inputs.
 * The root key is only ever used to sign intermediates; it never goes into a cluster.
 */
export class RootCa extends pulumi.ComponentResource implements IssuingRoots {
  /** Certificate of every trusted root, by root name. */
  public readonly rootCertPems: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly issuer: string;
  public readonly issuerCertPem: pulumi.Output<string>;
  /** Secret. */
  public readonly issuerKeyPem: pulumi.Output<string> | undefined;
  public readonly trustBundlePem: pulumi.Output<string>;
  /**
   * When every root's certificate ends (RFC 3339), by root name: a generated root's `validityEndTime`; null for an
   * external root (its end is the brought certificate's notAfter).
   */
  public readonly rootEndTimes: Readonly<Record<string, pulumi.Output<string> | null>>;

  constructor(name: string, args: RootCaArgs, opts?: pulumi.ComponentResourceOptions) {
    const { plan } = args;
    const external = args.externalRoots ?? {};
    checkArgs(plan, external);
    super("multicluster-mesh:trust:RootCa", name, {}, opts);

    const certs: Record<string, pulumi.Output<string>> = {};
    const keys: Record<string, pulumi.Output<string> | undefined> = {};
    const ends: Record<string, pulumi.Output<string> | null> = {};
    for (const root of plan.roots) {
      const made = root.source === "generated" ? createGeneratedRoot(this, name, root) : externalRoot(root, external);
      certs[root.name] = made.certPem;
      keys[root.name] = made.keyPem;
      ends[root.name] = made.endTime;
    }
    this.rootEndTimes = ends;

    this.rootCertPems = certs;
    this.issuer = plan.issuer;
    this.issuerCertPem = certs[plan.issuer] as pulumi.Output<string>;
    const issuerKey = keys[plan.issuer];
    this.issuerKeyPem = issuerKey === undefined ? undefined : pulumi.secret(issuerKey);
    this.trustBundlePem = pulumi.all(plan.roots.map((r) => certs[r.name] as pulumi.Output<string>)).apply(concatPems);

    this.registerOutputs({
      rootCertPems: this.rootCertPems,
      issuer: this.issuer,
      issuerCertPem: this.issuerCertPem,
      issuerKeyPem: this.issuerKeyPem,
      trustBundlePem: this.trustBundlePem,
      rootEndTimes: this.rootEndTimes,
    });
  }
}

/** Every problem with the arguments, in one error. */
function checkArgs(plan: RootCaArgs["plan"], external: Readonly<Record<string, ExternalRootMaterial>>): void {
  const problems: string[] = [];
  if (!plan.roots.some((r) => r.name === plan.issuer)) {
    problems.push(`the issuer ${plan.issuer} is not among the roots (${plan.roots.map((r) => r.name).join(", ")})`);
  }
  for (const root of plan.roots) {
    if (root.source === "external" && external[root.name] === undefined) {
      problems.push(`external root ${root.name} has no certificate in externalRoots`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`RootCa: ${problems.join("; ")}`);
  }
}

interface RootMaterial {
  readonly certPem: pulumi.Output<string>;
  readonly keyPem: pulumi.Output<string> | undefined;
  readonly endTime: pulumi.Output<string> | null;
}

/** A generated root: its key and self-signed CA certificate, both protected and retained on delete. */
function createGeneratedRoot(
  parent: RootCa,
  name: string,
  root: Extract<RootPlan, { source: "generated" }>,
): RootMaterial {
  const guard: pulumi.CustomResourceOptions = { parent, protect: true, retainOnDelete: true };
  const key = new tls.PrivateKey(
    `${name}-root-key-${root.name}`,
    { algorithm: root.key.algorithm, rsaBits: root.key.rsaBits },
    { ...guard, additionalSecretOutputs: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"] },
  );
  const cert = new tls.SelfSignedCert(
    `${name}-root-cert-${root.name}`,
    {
      privateKeyPem: key.privateKeyPem,
      subject: { ...root.subject },
      isCaCertificate: root.isCaCertificate,
      allowedUses: [...root.allowedUses],
      validityPeriodHours: root.validityHours,
      earlyRenewalHours: root.earlyRenewalHours,
    },
    guard,
  );
  return { certPem: cert.certPem, keyPem: key.privateKeyPem, endTime: cert.validityEndTime };
}

function externalRoot(root: RootPlan, external: Readonly<Record<string, ExternalRootMaterial>>): RootMaterial {
  const material = external[root.name] as ExternalRootMaterial;
  return {
    certPem: pulumi.output(material.certPem),
    keyPem: material.keyPem === undefined ? undefined : pulumi.secret(material.keyPem),
    endTime: null,
  };
}
