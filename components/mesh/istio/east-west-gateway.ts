/**
 * One cluster's east-west gateway: the door other networks use to reach this cluster's services.
 *
 * Children, by role:
 * - `release`: the `gateway` chart as release `istio-eastwestgateway` (pods labelled `istio: eastwestgateway` and with
 *   the network label, requesting this network's view; autoscaled from `replicas`, spread across zones, with a
 *   PodDisruptionBudget). The chart renders no Service.
 * - `service`: the LoadBalancer Service, rendered here so its annotations are visible in previews and to policies and
 *   its address is an output: an NLB (AWS Load Balancer Controller) on EKS, a passthrough load balancer on GKE, a plain
 *   LoadBalancer on existing clusters. Ports 15021 (health) and 15443 (cross-network mTLS) only.
 * - `cross-network`: the Istio Gateway `cross-network-gateway` (port 15443, TLS AUTO_PASSTHROUGH, hosts `*.local`).
 *
 * The Service never changes its load-balancer kind in place (the controller would leak the old load balancer): a
 * change of any annotation in LOAD_BALANCER_KIND_ANNOTATIONS (e.g. `exposure`) deletes the Service and creates it
 * again, which gives the gateway a new address; istiod in every other cluster picks it up from the Service.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IstioClusterPlan } from "../../../plan/interconnect/istio/topology";
import {
  crossNetworkGateway,
  EAST_WEST_RELEASE,
  eastWestGatewayValues,
  eastWestService,
  LOAD_BALANCER_KIND_ANNOTATIONS,
} from "../../../plan/interconnect/istio/values";
import type { IstioSpec } from "../../../plan/spec";
import type { MeshCluster } from "../../cluster/contract";

export interface EastWestGatewayArgs {
  /** The cluster the gateway runs in: its provider, cloud (which load balancer) and readiness (node groups, LB controller). */
  readonly cluster: MeshCluster;
  /** This cluster's Istio identity; its network labels the pods and the Service. */
  readonly plan: IstioClusterPlan;
  /** The istio-system namespace name. */
  readonly namespace: pulumi.Input<string>;
  /** Chart repository and version, revision, gateway exposure, sizes and source ranges. */
  readonly istio: IstioSpec;
  /** This cluster's istiod release; the gateway's proxies are injected by it, so the gateway waits for it. */
  readonly istiod: pulumi.Resource;
  /**
   * Client ranges allowed to reach the load balancer, when computed from the peers' egress (see IstioMesh);
   * unset: `istio.gateway.sourceRanges` as configured (empty allows any client; mTLS still applies).
   */
  readonly sourceRanges?: pulumi.Input<string[]>;
}

export class EastWestGateway extends pulumi.ComponentResource {
  /** The load balancer's address: a hostname on AWS, an IP elsewhere (unknown until the load balancer exists). */
  readonly address: pulumi.Output<string>;
  readonly service: k8s.core.v1.Service;
  readonly release: k8s.helm.v3.Release;
  readonly crossNetworkGateway: k8s.apiextensions.CustomResource;

  constructor(name: string, args: EastWestGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicluster-mesh:mesh/istio:EastWestGateway", name, {}, opts);
    const { cluster, istio } = args;
    const provider = cluster.provider;

    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: EAST_WEST_RELEASE,
        chart: "gateway",
        version: istio.version,
        repositoryOpts: { repo: istio.chartRepository },
        namespace: args.namespace,
        values: eastWestGatewayValues(args.plan, istio),
      },
      { parent: this, provider, dependsOn: [...cluster.ready, args.istiod] },
    );

    const rendered = eastWestService(args.plan, istio);
    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { ...rendered.metadata, namespace: args.namespace },
        spec:
          args.sourceRanges === undefined
            ? rendered.spec
            : { ...rendered.spec, loadBalancerSourceRanges: args.sourceRanges },
      },
      {
        parent: this,
        provider,
        dependsOn: [...cluster.ready, this.release],
        // The Service keeps its name, so a replacement must delete the old one first.
        deleteBeforeReplace: true,
        replaceOnChanges: LOAD_BALANCER_KIND_ANNOTATIONS.map((a) => `metadata.annotations["${a}"]`),
      },
    );

    const gateway = crossNetworkGateway();
    this.crossNetworkGateway = new k8s.apiextensions.CustomResource(
      `${name}-cross-network`,
      {
        apiVersion: gateway.apiVersion,
        kind: gateway.kind,
        metadata: { name: gateway.metadata.name, namespace: args.namespace },
        spec: gateway.spec,
      },
      { parent: this, provider, dependsOn: [this.release] },
    );

    this.address = this.service.status.apply((s) => {
      const ingress = s?.loadBalancer?.ingress?.[0];
      return ingress?.hostname ?? ingress?.ip ?? "";
    });

    this.registerOutputs({ address: this.address });
  }
}
