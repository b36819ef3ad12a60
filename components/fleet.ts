/**
 * The whole environment: the composition root that turns a FleetPlan into resources, in the order the domain
 * requires (networks → clusters → trust → mesh), every child named by its cluster, never by list position.
 *
 * Children, by role:
 * - per cluster `<c>`: its cloud provider `<c>-aws` (region, optional role) or `<c>-gcp` (project, region), its
 *   network (`AwsNetwork`/`GcpNetwork` `<c>`), its cluster (`EksCluster`/`GkeCluster`/`ExistingCluster` `<c>`),
 *   whose `<c>-k8s` provider every in-cluster resource uses, and its `ClusterTrust` `<c>` (istio-system, cacerts);
 * - `RootCa` `<env>`: the environment's root(s) of trust;
 * - the mesh: `IstioMesh` `<env>` or `SubmarinerMesh` `<env>`, over the clusters' shared contract.
 */
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../plan";
import type { ClusterAddresses } from "../plan/addresses-types";
import { awsTags, gcpLabels, physicalName } from "../plan/names";
import type { ClusterSpec, FleetSpec } from "../plan/spec";
import type { MeshCluster } from "./cluster/contract";
import { EksCluster } from "./cluster/eks-cluster";
import { ExistingCluster } from "./cluster/existing-cluster";
import { GkeCluster } from "./cluster/gke-cluster";
import { IstioMesh } from "./mesh/istio/istio-mesh";
import { SubmarinerMesh } from "./mesh/submariner/submariner-mesh";
import { AwsNetwork } from "./network/aws-network";
import { GcpNetwork } from "./network/gcp-network";
import { externalTrustMaterial } from "./trust/material";
import { ClusterTrust } from "./trust/cluster-trust";
import { RootCa } from "./trust/root-ca";

export const FLEET_TYPE = "multicluster-mesh:index:Fleet";

export interface FleetArgs {
  /** What the stack file asked for, every default applied. */
  readonly spec: FleetSpec;
  /** The deterministic layout derived from it (`planFleet(spec)`). */
  readonly plan: FleetPlan;
}

/** One cluster of the fleet, as the stack outputs describe it. */
export interface FleetMember {
  readonly cluster: MeshCluster;
  /** A kubeconfig for platform engineers (secret). */
  readonly kubeconfig: pulumi.Output<string>;
  /** The public NAT addresses the cluster's outbound traffic leaves from; unknown for existing clusters. */
  readonly egress?: pulumi.Output<string[]>;
  readonly trust: ClusterTrust;
}

export class Fleet extends pulumi.ComponentResource {
  /** Every cluster by name. */
  public readonly members: Readonly<Record<string, FleetMember>>;
  public readonly rootCa: RootCa;
  /** The east-west gateway address per cluster (Istio), else empty. */
  public readonly gatewayAddresses: Readonly<Record<string, pulumi.Output<string>>>;
  /** Submariner only: the cluster that hosts the broker. */
  public readonly brokerCluster?: string;

  private readonly spec: FleetSpec;
  private readonly plan: FleetPlan;

  constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super(FLEET_TYPE, name, {}, opts);
    const { spec, plan } = args;
    this.spec = spec;
    this.plan = plan;

    const members: Record<string, FleetMember> = {};
    const material = externalTrustMaterial(spec.trust);
    this.rootCa = new RootCa(name, { plan: plan.trust, externalRoots: material.roots }, { parent: this });
    for (const cluster of spec.clusters) {
      const addresses = addressesOf(plan, cluster.name);
      const built = this.createCluster(spec, cluster, addresses);
      const trustPlan = plan.trust.clusters.find((t) => t.cluster === cluster.name);
      if (trustPlan === undefined) {
        throw new Error(`Fleet ${name}: the trust plan has no entry for cluster ${cluster.name}`);
      }
      const externalIntermediate = material.intermediates[cluster.name];
      const trust = new ClusterTrust(
        cluster.name,
        {
          plan: trustPlan,
          cluster: built.cluster,
          roots: this.rootCa,
          ...(externalIntermediate ? { externalIntermediate } : {}),
        },
        { parent: this },
      );
      members[cluster.name] = { ...built, trust };
    }
    this.members = members;

    const meshClusters = spec.clusters.map((c) => (members[c.name] as FleetMember).cluster);
    if (plan.topology.kind === "istio") {
      const mesh = new IstioMesh(
        name,
        {
          clusters: spec.clusters.map((c) => {
            const m = members[c.name] as FleetMember;
            return { cluster: m.cluster, namespace: m.trust.namespace, cacerts: m.trust.cacerts };
          }),
          istio: spec.istio,
          multiRoot: plan.trust.istio.multiRoot,
          egress: Object.fromEntries(
            spec.clusters.flatMap((c) => {
              const egress = (members[c.name] as FleetMember).egress;
              return egress === undefined ? [] : [[c.name, egress]];
            }),
          ),
        },
        { parent: this },
      );
      this.gatewayAddresses = mesh.gatewayAddresses;
    } else {
      const mesh = new SubmarinerMesh(
        name,
        { clusters: meshClusters, spec: spec.submariner, topology: plan.topology.submariner },
        { parent: this },
      );
      this.gatewayAddresses = {};
      this.brokerCluster = mesh.brokerCluster;
    }
    this.registerOutputs({});
  }

  /** The stack outputs a platform team needs (README "Stack outputs"). */
  public stackOutputs(): Record<string, unknown> {
    const clusters = Object.fromEntries(
      this.spec.clusters.map((c) => {
        const m = this.members[c.name] as FleetMember;
        const a = addressesOf(this.plan, c.name);
        return [
          c.name,
          {
            cloud: c.cloud,
            region: c.region,
            zones: c.zones,
            network: c.network,
            endpoint: m.cluster.endpoint,
            kubeconfig: pulumi.secret(m.kubeconfig),
            gatewayAddress: this.gatewayAddresses[c.name] ?? null,
            ranges: {
              nodes: a.nodes,
              pods: a.pods,
              services: a.services,
              ...(a.controlPlane ? { controlPlane: a.controlPlane } : {}),
            },
          },
        ];
      }),
    );
    return {
      environment: this.spec.environment,
      mesh: this.spec.mesh,
      clusters,
      rootCertificate: this.rootCa.trustBundlePem,
      addressPlan: this.plan.addresses,
      topology: this.plan.topology,
    };
  }

  /**
   * The cloud provider, network and cluster of one cluster. Protection goes to what holds state (the VPC or network
   * and the cluster) inside each component, never to a whole component: node groups, NAT gateways and routes stay
   * replaceable by ordinary config changes.
   */
  private createCluster(
    spec: FleetSpec,
    cluster: ClusterSpec,
    addresses: ClusterAddresses,
  ): Omit<FleetMember, "trust"> {
    const protect = spec.protect;
    const physical = physicalName(spec.environment, cluster.name);
    const gatewayNodes = this.gatewayNodesFor(cluster.name);
    switch (cluster.cloud) {
      case "aws": {
        const tags = awsTags(spec, cluster);
        const provider = new aws.Provider(
          `${cluster.name}-aws`,
          {
            region: cluster.region as aws.Region,
            ...(cluster.aws?.assumeRoleArn
              ? { assumeRoles: [{ roleArn: cluster.aws.assumeRoleArn, sessionName: "multicluster-mesh" }] }
              : {}),
            defaultTags: { tags },
          },
          { parent: this },
        );
        const network = new AwsNetwork(
          cluster.name,
          { cluster, addresses, mesh: spec.mesh, tags, physicalName: physical, protect },
          { parent: this, provider },
        );
        const eks = new EksCluster(
          cluster.name,
          { cluster, addresses, network, mesh: spec.mesh, gatewayNodes, tags, physicalName: physical, protect },
          { parent: this, provider },
        );
        return {
          cluster: eks.meshCluster,
          kubeconfig: eks.kubeconfig,
          egress: pulumi.all(Object.values(network.natPublicIps)),
        };
      }
      case "gcp": {
        const settings = cluster.gcp;
        if (settings === undefined) {
          throw new Error(`Fleet: gcp cluster ${cluster.name} has no gcp settings`);
        }
        const labels = gcpLabels(spec, cluster);
        const provider = new gcp.Provider(
          `${cluster.name}-gcp`,
          { project: settings.project, region: cluster.region, defaultLabels: labels },
          { parent: this },
        );
        const network = new GcpNetwork(
          cluster.name,
          { cluster, addresses, mesh: spec.mesh, labels, protect },
          { parent: this, provider },
        );
        const gke = new GkeCluster(
          cluster.name,
          { spec: cluster, addresses, network, mesh: spec.mesh, gatewayNodes, labels, protect, physicalName: physical },
          { parent: this, provider },
        );
        return { cluster: gke.meshCluster, kubeconfig: gke.kubeconfig, egress: pulumi.all([...network.natPublicIps]) };
      }
      case "existing": {
        const existing = new ExistingCluster(cluster.name, { spec: cluster, addresses }, { parent: this });
        return { cluster: existing.meshCluster, kubeconfig: pulumi.output(cluster.existing?.kubeconfig ?? "") };
      }
    }
  }

  /** Submariner gateway nodes: none in Istio mode and none in a broker-only cluster. */
  private gatewayNodesFor(cluster: string): FleetSpec["submariner"]["gatewayNodes"] {
    const gatewayNodes = this.spec.submariner.gatewayNodes;
    if (this.plan.topology.kind !== "submariner") {
      return gatewayNodes;
    }
    const joined = this.plan.topology.submariner.members.some((m) => m.cluster === cluster);
    return joined ? gatewayNodes : { ...gatewayNodes, count: 0 };
  }
}

function addressesOf(plan: FleetPlan, cluster: string): ClusterAddresses {
  const found = plan.addresses.clusters.find((a) => a.cluster === cluster);
  if (found === undefined) {
    throw new Error(`the address plan has no entry for cluster ${cluster}`);
  }
  return found;
}
