/**
 * A cluster that already exists (on-premises, kind, another team's cluster), joined to the mesh through the same
 * contract as the clusters this program creates (`meshCluster`). Nothing in the cloud is created or changed.
 *
 * Its inputs are the cluster's declared facts (`declaredFacts`: region, zones, node network), which the policy pack
 * reads in place of the cloud resources an existing cluster does not have.
 *
 * Children, by role:
 * - `<cluster>-k8s`: the Kubernetes provider, from the configured kubeconfig (its contents, kept secret, or a path)
 *   and context;
 * - `kube-root-ca` (only when the kubeconfig does not carry the CA inline): a read of the `kube-root-ca.crt`
 *   ConfigMap in `kube-public`, which every cluster publishes, for the cluster CA. Reading is safe at preview
 *   because the cluster exists by definition.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses } from "../../../plan/addresses-types";
import { k8sProviderName } from "../../../plan/names";
import type { ClusterSpec, ExistingClusterSettings } from "../../../plan/spec";
import type { MeshCluster } from "../../cluster/contract";
import { isInlineKubeconfig, kubeconfigCaData } from "./existing-kubeconfig";

export const EXISTING_CLUSTER_TYPE = "multicluster-mesh:cluster:ExistingCluster";

/** The ConfigMap the root CA publisher writes into every namespace; `ca.crt` holds the cluster CA as PEM. */
export const ROOT_CA_CONFIGMAP = "kube-public/kube-root-ca.crt";

export interface ExistingClusterArgs {
  /** The cluster as configured; `spec.existing` (kubeconfig, optional context, endpoint) must be present. */
  readonly spec: ClusterSpec;
  /** The cluster's declared ranges (its `cidrs`, validated by the address planner). */
  readonly addresses: ClusterAddresses;
}

export class ExistingCluster extends pulumi.ComponentResource {
  /** The cluster as mesh and trust components see it. */
  public readonly meshCluster: MeshCluster;

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything, so a bad argument leaves no half-registered component behind.
    const settings = checkArgs(name, args);
    const inline = isInlineKubeconfig(settings.kubeconfig);
    const inlineCa = inline ? caDataOrThrow(name, settings) : undefined;
    const { spec, addresses } = args;
    super(EXISTING_CLUSTER_TYPE, name, declaredFacts(spec, addresses), opts);

    // Contents carry credentials and stay secret; a path is only a path (the provider reads the file itself).
    const provider = new k8s.Provider(
      k8sProviderName(spec.name),
      {
        kubeconfig: inline ? pulumi.secret(settings.kubeconfig) : settings.kubeconfig,
        ...(settings.context !== undefined ? { context: settings.context } : {}),
      },
      { parent: this },
    );

    const caData = inlineCa !== undefined ? pulumi.output(inlineCa) : readRootCa(this, name, provider);

    this.meshCluster = {
      name: spec.name,
      cloud: "existing",
      region: spec.region,
      zones: [...spec.zones],
      network: spec.network,
      addresses,
      endpoint: pulumi.output(settings.endpoint),
      caData,
      provider,
      ready: [],
    };
    this.registerOutputs({ endpoint: this.meshCluster.endpoint, caData });
  }
}

/**
 * What the stack file declares about the cluster and the program cannot see in any cloud: its region, zones and node
 * network. Registered as the component's inputs so the policy pack judges an existing cluster's failure domain by
 * them (policies/README.md); nothing is created from them.
 */
export function declaredFacts(spec: ClusterSpec, addresses: ClusterAddresses): ExistingClusterFacts {
  return { cluster: spec.name, region: spec.region, zones: [...spec.zones], nodeNetwork: addresses.nodes };
}

export interface ExistingClusterFacts {
  readonly cluster: string;
  readonly region: string;
  readonly zones: readonly string[];
  readonly nodeNetwork: string;
}

/** The cluster CA from the `kube-root-ca.crt` ConfigMap, base64-encoded like a kubeconfig's certificate-authority-data. */
function readRootCa(parent: ExistingCluster, name: string, provider: k8s.Provider): pulumi.Output<string> {
  const rootCa = k8s.core.v1.ConfigMap.get(`${name}-kube-root-ca`, ROOT_CA_CONFIGMAP, { parent, provider });
  return rootCa.data.apply((data) => {
    const pem = data?.["ca.crt"];
    if (pem === undefined || pem === "") {
      throw new Error(
        `ExistingCluster ${name}: ConfigMap ${ROOT_CA_CONFIGMAP} has no ca.crt — is the cluster Kubernetes 1.20 or newer?`,
      );
    }
    return Buffer.from(pem).toString("base64");
  });
}

function caDataOrThrow(name: string, settings: ExistingClusterSettings): string | undefined {
  try {
    return kubeconfigCaData(settings.kubeconfig, settings.context);
  } catch (e) {
    throw new Error(`ExistingCluster ${name}: existing.kubeconfig: ${(e as Error).message}`);
  }
}

function checkArgs(name: string, args: ExistingClusterArgs): ExistingClusterSettings {
  const problems: string[] = [];
  const { spec, addresses } = args;
  if (spec.cloud !== "existing") {
    problems.push(
      `the cluster's cloud is ${spec.cloud}, not existing — create a ${spec.cloud === "aws" ? "EksCluster" : "GkeCluster"} instead`,
    );
  }
  if (spec.existing === undefined) {
    problems.push("the cluster has no existing settings — set clusters[i].existing.kubeconfig and endpoint");
  }
  if (addresses.cluster !== spec.name) {
    problems.push(`the addresses belong to cluster ${addresses.cluster} — pass this cluster's addresses`);
  }
  if (problems.length > 0 || spec.existing === undefined) {
    throw new Error(`ExistingCluster ${name}: ${problems.join("; ")}`);
  }
  return spec.existing;
}
