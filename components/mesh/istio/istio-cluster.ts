/**
 * One cluster's part of the multi-primary mesh: its own control plane, its east-west gateway, its mesh-wide policies
 * and the token other clusters read it with. Every resource uses the cluster's Kubernetes provider.
 *
 * Children, by role (in the order the domain requires):
 * - `base`: the `base` chart (CRDs, the istio-reader service account), after the namespace and the cluster's readiness;
 * - `istiod`: the `istiod` chart, after base and after the `cacerts` Secret (otherwise istiod creates its own
 *   self-signed root and never looks at the plugged one); same meshID everywhere, this cluster's clusterName and
 *   network, DNS proxying, locality-aware load balancing, multi-root trust while two roots are trusted;
 * - `mtls`: PeerAuthentication `default` in istio-system with the configured mode (STRICT by default);
 * - `locality-failover`: the mesh-wide DestinationRule whose outlier detection lets locality failover happen
 *   (when `istio.localityFailover`);
 * - `eastwest`: the EastWestGateway (gateway release, LoadBalancer Service, cross-network Gateway), after istiod;
 * - `reader-token`: the istio-reader service account's token Secret, which other clusters' remote secrets carry.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  type IstioClusterPlan,
  READER_SERVICE_ACCOUNT,
  READER_TOKEN_SECRET,
} from "../../../plan/interconnect/istio/topology";
import {
  BASE_RELEASE,
  baseValues,
  type IstioObject,
  istiodReleaseName,
  istiodValues,
  localityFailoverRule,
  meshPeerAuthentication,
} from "../../../plan/interconnect/istio/values";
import type { IstioSpec } from "../../../plan/spec";
import type { MeshCluster } from "../../cluster/contract";
import { EastWestGateway } from "./east-west-gateway";
import { type NamespaceInput, resolveNamespace } from "./namespace";

export interface IstioClusterArgs {
  /** The cluster, through the shared contract (provider, cloud, readiness). */
  readonly cluster: MeshCluster;
  /** Its Istio identity from the topology plan (clusterName, network). */
  readonly plan: IstioClusterPlan;
  /** `global.meshID`, the same for every cluster of the mesh. */
  readonly meshId: string;
  /** istio-system, from ClusterTrust (already labelled with the network); everything here waits for it. */
  readonly namespace: NamespaceInput;
  /** The cluster's `cacerts` Secret; istiod is installed only after it exists. */
  readonly cacerts: pulumi.Resource;
  /** Chart repository and version, revision, mTLS mode, DNS proxy, locality failover and gateway settings. */
  readonly istio: IstioSpec;
  /** More than one root is trusted (from the trust plan): istiod and proxies run in multi-root mode. */
  readonly multiRoot: boolean;
  /** The east-west load balancer's allowed client ranges when derived from the peers' egress (see IstioMesh). */
  readonly gatewaySourceRanges?: pulumi.Input<string[]>;
}

export class IstioCluster extends pulumi.ComponentResource {
  /** The east-west gateway's load balancer address (hostname on AWS, IP elsewhere). */
  readonly gatewayAddress: pulumi.Output<string>;
  /** The istio-reader token Secret; its `data.token` and `data["ca.crt"]` are filled in by the cluster. */
  readonly readerToken: k8s.core.v1.Secret;
  readonly base: k8s.helm.v3.Release;
  readonly istiod: k8s.helm.v3.Release;
  readonly eastWestGateway: EastWestGateway;
  readonly peerAuthentication: k8s.apiextensions.CustomResource;
  /** Absent when `istio.localityFailover` is false. */
  readonly localityFailover?: k8s.apiextensions.CustomResource;

  constructor(name: string, args: IstioClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    if (args.plan.name !== args.cluster.name) {
      throw new Error(
        `IstioCluster ${name}: the plan is for cluster ${args.plan.name}, but the cluster is ${args.cluster.name}`,
      );
    }
    super("multicluster-mesh:mesh/istio:IstioCluster", name, {}, opts);
    const { cluster, istio, plan } = args;
    const provider = cluster.provider;
    const namespace = resolveNamespace(args.namespace);
    const chart = {
      version: istio.version,
      repositoryOpts: { repo: istio.chartRepository },
      namespace: namespace.name,
    };

    this.base = new k8s.helm.v3.Release(
      `${name}-base`,
      { ...chart, name: BASE_RELEASE, chart: "base", values: baseValues(istio) },
      { parent: this, provider, dependsOn: [...cluster.ready, ...namespace.dependsOn] },
    );

    this.istiod = new k8s.helm.v3.Release(
      `${name}-istiod`,
      {
        ...chart,
        name: istiodReleaseName(istio),
        chart: "istiod",
        values: istiodValues(args.meshId, plan, istio, args.multiRoot),
      },
      { parent: this, provider, dependsOn: [...cluster.ready, ...namespace.dependsOn, args.cacerts, this.base] },
    );

    const afterIstiod: pulumi.CustomResourceOptions = { parent: this, provider, dependsOn: [this.istiod] };
    this.peerAuthentication = customResource(
      `${name}-mtls`,
      meshPeerAuthentication(istio),
      namespace.name,
      afterIstiod,
    );
    if (istio.localityFailover) {
      this.localityFailover = customResource(
        `${name}-locality-failover`,
        localityFailoverRule(),
        namespace.name,
        afterIstiod,
      );
    }

    this.eastWestGateway = new EastWestGateway(
      `${name}-eastwest`,
      {
        cluster,
        plan,
        namespace: namespace.name,
        istio,
        istiod: this.istiod,
        ...(args.gatewaySourceRanges !== undefined ? { sourceRanges: args.gatewaySourceRanges } : {}),
      },
      { parent: this },
    );

    // The service account comes from base, its ClusterRole from istiod; the cluster fills in token and ca.crt.
    this.readerToken = new k8s.core.v1.Secret(
      `${name}-reader-token`,
      {
        metadata: {
          name: READER_TOKEN_SECRET,
          namespace: namespace.name,
          annotations: { "kubernetes.io/service-account.name": READER_SERVICE_ACCOUNT },
        },
        type: "kubernetes.io/service-account-token",
      },
      { parent: this, provider, dependsOn: [this.base, this.istiod], additionalSecretOutputs: ["data"] },
    );

    this.gatewayAddress = this.eastWestGateway.address;
    this.registerOutputs({ gatewayAddress: this.gatewayAddress });
  }
}

/** An Istio object as a CustomResource in istio-system. */
function customResource(
  name: string,
  object: IstioObject,
  namespace: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata.name, namespace },
      spec: object.spec,
    },
    opts,
  );
}
