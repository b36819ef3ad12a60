import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { certificatesIn } from "../../plan/certificates";
import { type CacertsKey, type ClusterTrustPlan, concatPems, type IntermediatePlan } from "../../plan/trust";
import type { MeshCluster } from "../cluster/contract";
import type { ExternalIntermediateMaterial } from "./material";
import { pathLengthOf, withPathLenZero } from "./path-length";
import type { IssuingRoots } from "./root-ca";

export interface ClusterTrustArgs {
  /** This cluster's entry of the trust plan: its intermediate, namespace labels and names. */
  readonly plan: ClusterTrustPlan;
  /** The cluster (a MeshCluster will do): every in-cluster resource uses its Kubernetes provider. */
  readonly cluster: Pick<MeshCluster, "name" | "provider">;
  /** The environment's roots (a RootCa): the issuing root signs a generated intermediate; the bundle is root-cert.pem. */
  readonly roots: IssuingRoots;
  /** The PEMs of a brought intermediate (`source: external` in the plan); see `externalTrustMaterial`. Default: none. */
  readonly externalIntermediate?: ExternalIntermediateMaterial;
}

interface Intermediate {
  readonly certPem: pulumi.Input<string>;
  readonly keyPem: pulumi.Input<string>;
  readonly chainPem: pulumi.Input<string>;
  readonly endTime?: pulumi.Output<string>;
  readonly pathLength?: pulumi.Output<number | null>;
}

/**
 * One cluster's share of the environment's trust: its own intermediate CA, plugged into Istio before istiod starts.
 *
 * Children: for a generated intermediate `<issuer>-g<generation>`, its key (`tls.PrivateKey` RSA 4096,
 * `<name>-intermediate-key-<issuer>-g<n>`), request (`tls.CertRequest`, SAN istiod.istio-system.svc, subject
 * O=Istio, CN=Intermediate CA, L=<cluster>) and CA certificate signed by the issuing root (`tls.LocallySignedCert`,
 * `<name>-intermediate-cert-…`), the record of the certificate's serial, validity and renewal; what `cacerts` holds
 * is that certificate re-issued with `pathlen:0` (./path-length.ts). A brought intermediate creates none. In the cluster (its provider): the namespace
 * `istio-system` (`<name>-istio-system`, network label when the mesh is Istio), the Secret `cacerts`
 * (`<name>-cacerts`: ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem — never the root key) and the ConfigMap
 * `kube-public/multicluster-mesh-root-ca` (`<name>-root-ca-bundle`, the trusted roots, for any workload).
 * Rotating the intermediate changes the names of the tls children and the contents of `cacerts` only.
 *
 * A cluster whose interconnect issues no workload certificates (plan `holds: root-bundle`, Submariner) gets the root
 * bundle ConfigMap alone: no intermediate, no namespace and no `cacerts`, so no CA key that nothing reads is placed in
 * the cluster.
 */
export class ClusterTrust extends pulumi.ComponentResource {
  /** The `istio-system` namespace, which the Istio charts install into; only when the cluster holds a workload CA. */
  public readonly namespace?: k8s.core.v1.Namespace;
  /**
   * The `cacerts` Secret, only when the cluster holds a workload CA; istiod must depend on it (without it istiod
   * silently makes its own root).
   */
  public readonly cacerts?: k8s.core.v1.Secret;
  /** The ConfigMap holding the trusted roots. */
  public readonly rootBundle: k8s.core.v1.ConfigMap;
  /** This cluster's intermediate certificate, PEM. */
  public readonly intermediateCertPem?: pulumi.Output<string>;
  /** When a generated intermediate ends (RFC 3339, its `validityEndTime`); null for a brought one, undefined where
   *  the cluster holds no intermediate (the root bundle only). */
  public readonly intermediateEndTime?: pulumi.Output<string> | null;
  /** The path-length constraint of a generated intermediate, read from the certificate in `cacerts` (0); null for a
   *  brought one, undefined where the cluster holds no intermediate. */
  public readonly intermediatePathLength?: pulumi.Output<number | null> | null;

  constructor(name: string, args: ClusterTrustArgs, opts?: pulumi.ComponentResourceOptions) {
    checkArgs(args);
    super("multicluster-mesh:trust:ClusterTrust", name, broughtInFacts(args), opts);
    const { plan, cluster, roots } = args;

    const provider = cluster.provider;
    this.rootBundle = new k8s.core.v1.ConfigMap(
      `${name}-root-ca-bundle`,
      {
        metadata: { name: plan.rootBundle.name, namespace: plan.rootBundle.namespace },
        data: { [plan.rootBundle.key]: roots.trustBundlePem },
      },
      { parent: this, provider },
    );
    if (plan.holds === "root-bundle") {
      this.registerOutputs({ rootBundle: this.rootBundle });
      return;
    }

    const intermediate: Intermediate =
      plan.intermediate.source === "generated"
        ? createIntermediate(this, name, plan.intermediate, roots)
        : (args.externalIntermediate as ExternalIntermediateMaterial);

    this.namespace = new k8s.core.v1.Namespace(
      `${name}-${plan.namespace.name}`,
      { metadata: { name: plan.namespace.name, labels: { ...plan.namespace.labels } } },
      { parent: this, provider },
    );

    const data: Record<CacertsKey, pulumi.Input<string>> = {
      "ca-cert.pem": intermediate.certPem,
      "ca-key.pem": intermediate.keyPem,
      "root-cert.pem": roots.trustBundlePem,
      "cert-chain.pem": intermediate.chainPem,
    };
    this.cacerts = new k8s.core.v1.Secret(
      `${name}-cacerts`,
      {
        metadata: { name: plan.secretName, namespace: this.namespace.metadata.name },
        type: "Opaque",
        stringData: pulumi.secret(pulumi.all(data)),
      },
      { parent: this, provider, dependsOn: [this.namespace] },
    );

    this.intermediateCertPem = pulumi.output(intermediate.certPem);
    this.intermediateEndTime = intermediate.endTime ?? null;
    this.intermediatePathLength = intermediate.pathLength ?? null;
    this.registerOutputs({
      intermediateEndTime: this.intermediateEndTime,
      intermediatePathLength: this.intermediatePathLength,
      namespace: this.namespace,
      cacerts: this.cacerts,
      rootBundle: this.rootBundle,
      intermediateCertPem: this.intermediateCertPem,
    });
  }
}

/**
 * For a brought-in intermediate, what the policy pack compares (policies/README.md): the public keys (sha256 of the
 * SubjectPublicKeyInfo) of the intermediate and of the trusted roots. Public facts about public certificates, so
 * they are not secret even when the PEMs were given as secrets. A generated intermediate registers none (its own
 * key is created by the program, and the pack follows its resources instead).
 */
function broughtInFacts(args: ClusterTrustArgs): pulumi.Inputs {
  if (args.plan.intermediate.source === "generated" || args.externalIntermediate === undefined) {
    return {};
  }
  const keys = (pem: string): string[] => certificatesIn(pem).map((c) => c.publicKey);
  return {
    cluster: args.cluster.name,
    intermediatePublicKey: pulumi.unsecret(
      pulumi.output(args.externalIntermediate.certPem).apply((p) => keys(p)[0] ?? ""),
    ),
    rootPublicKeys: pulumi.unsecret(args.roots.trustBundlePem.apply(keys)),
  };
}

/** Every problem with the arguments, in one error. */
function checkArgs(args: ClusterTrustArgs): void {
  const { plan, cluster, roots } = args;
  const problems: string[] = [];
  if (plan.cluster !== cluster.name) {
    problems.push(`the plan is for cluster ${plan.cluster} but the cluster is ${cluster.name}`);
  }
  // A cluster holding the root bundle alone has no intermediate to check.
  const intermediate = plan.holds === "workload-ca" ? plan.intermediate : undefined;
  if (intermediate?.source === "generated") {
    if (intermediate.issuer !== roots.issuer) {
      problems.push(`the plan's issuer ${intermediate.issuer} is not the roots' issuer ${roots.issuer}`);
    }
    if (roots.issuerKeyPem === undefined) {
      problems.push(`the issuing root ${roots.issuer} has no key to sign a generated intermediate`);
    }
  } else if (intermediate !== undefined && args.externalIntermediate === undefined) {
    problems.push("the plan brings an external intermediate but externalIntermediate is not given");
  }
  if (problems.length > 0) {
    throw new Error(`ClusterTrust ${cluster.name}: ${problems.join("; ")}`);
  }
}

/** Key → CSR → CA certificate signed by the issuing root, named by the issuer and generation. */
function createIntermediate(
  parent: ClusterTrust,
  name: string,
  plan: Extract<IntermediatePlan, { source: "generated" }>,
  roots: IssuingRoots,
): Intermediate {
  const key = new tls.PrivateKey(
    `${name}-intermediate-key-${plan.name}`,
    { algorithm: plan.key.algorithm, rsaBits: plan.key.rsaBits },
    { parent, additionalSecretOutputs: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"] },
  );
  const csr = new tls.CertRequest(
    `${name}-intermediate-csr-${plan.name}`,
    { privateKeyPem: key.privateKeyPem, dnsNames: [...plan.dnsNames], subject: { ...plan.subject } },
    { parent },
  );
  const cert = new tls.LocallySignedCert(
    `${name}-intermediate-cert-${plan.name}`,
    {
      certRequestPem: csr.certRequestPem,
      caCertPem: roots.issuerCertPem,
      caPrivateKeyPem: roots.issuerKeyPem as pulumi.Output<string>,
      isCaCertificate: plan.isCaCertificate,
      allowedUses: [...plan.allowedUses],
      validityPeriodHours: plan.validityHours,
      earlyRenewalHours: plan.earlyRenewalHours,
    },
    { parent },
  );
  // The issuing key is read as a plain value, not as an Output, so that what is signed with it depends on the
  // record and not on the root key resource: the certificate holds a signature, not the key (as with the tls
  // provider's own certificate), and the cacerts Secret must depend on no root key (policy root-key-off-cluster).
  // The record is known only once the key is, so the promise is awaited only when it resolves.
  const issuerKey = valueOf(roots.issuerKeyPem as pulumi.Output<string>);
  const certPem = cert.certPem.apply(async (record) => withPathLenZero(record, await issuerKey));
  return {
    certPem,
    keyPem: key.privateKeyPem,
    chainPem: pulumi.all([certPem, roots.issuerCertPem]).apply(concatPems),
    endTime: cert.validityEndTime,
    pathLength: certPem.apply(pathLengthOf),
  };
}

/** The value of `output` once it is known (never resolves while it is unknown). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}
