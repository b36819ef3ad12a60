/**
 * The whole environment: the composition root that turns a FleetPlan into resources, in the order the domain
 * requires (networks → clusters → trust → mesh), every child named by its cluster, never by list position.
 *
 * Children, by role:
 * - per cluster `<c>`, created by its cloud's module (components/cloud/<cloud>) in two steps, every cluster's network
 *   before any cluster: its cloud provider `<c>-aws` (region, optional role) or `<c>-gcp` (project, region) and its
 *   network (`AwsNetwork`/`GcpNetwork` `<c>`, with the ports the interconnect requires); then its cluster
 *   (`EksCluster`/`GkeCluster`/`ExistingCluster` `<c>`, with the gateway nodes, datapath and control-plane attachment
 *   it requires), whose `<c>-k8s` provider every in-cluster resource uses; and its `ClusterTrust` `<c>` (the root
 *   bundle; with a workload CA also istio-system and cacerts);
 * - `RootCa` `<env>`: the environment's root(s) of trust;
 * - the mesh of the planned interconnect (components/mesh/registry.ts): `IstioMesh` `<env>` or `SubmarinerMesh`
 *   `<env>`, from the plan's `interconnect` slice, over the clusters' shared contract.
 */
import * as pulumi from "@pulumi/pulumi";
import type { FleetPlan } from "../plan";
import type { ClusterAddresses } from "../plan/addresses-types";
import type { ClusterRequirements } from "../plan/interconnect";
import type { Cloud, FleetSpec } from "../plan/spec";
import { type BuiltCluster, CLOUD_MODULES, type CloudModule } from "./cloud";
import { createMesh } from "./mesh/registry";
import { combineSources } from "./cloud/tunnel-sources";
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

/** One cluster of the fleet, as the stack outputs describe it: what its cloud module built, and its trust. */
export interface FleetMember extends BuiltCluster {
  /** The public NAT addresses the cluster's outbound traffic leaves from; absent where unknown. */
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
    // Every network first: a cluster's rules admit what its peers' networks reserve.
    const steps = spec.clusters.map((cluster) => {
      const args = {
        fleet: spec,
        cluster,
        addresses: addressesOf(plan, cluster.name),
        requirements: requirementsOf(plan, cluster.name),
      };
      const module: CloudModule<Cloud> = CLOUD_MODULES[cluster.cloud];
      return { args, module, network: module.createNetwork(args, this) };
    });
    const gatewaySources = Object.fromEntries(
      steps.flatMap((s) =>
        s.network.gatewaySources === undefined ? [] : [[s.args.cluster.name, s.network.gatewaySources]],
      ),
    );
    const peers = {
      gatewaySources,
      gatewaySourceLists: combineSources(gatewaySources),
      egress: Object.fromEntries(
        steps.flatMap((s) => (s.network.egress === undefined ? [] : [[s.args.cluster.name, s.network.egress]])),
      ),
    };
    for (const { args, module, network } of steps) {
      const { cluster } = args;
      const built = module.createCluster(args, network, peers, this);
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
      members[cluster.name] = { ...built, ...(network.egress === undefined ? {} : { egress: network.egress }), trust };
    }
    this.members = members;

    const mesh = createMesh(
      name,
      plan,
      spec.clusters.map((c) => {
        const m = members[c.name] as FleetMember;
        return {
          cluster: m.cluster,
          ...(m.trust.namespace === undefined ? {} : { namespace: m.trust.namespace }),
          ...(m.trust.cacerts === undefined ? {} : { cacerts: m.trust.cacerts }),
          ...(m.egress === undefined ? {} : { egress: m.egress }),
        };
      }),
      this,
    );
    this.gatewayAddresses = mesh.gatewayAddresses;
    if (mesh.brokerCluster !== undefined) {
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
      certificates: {
        roots: this.rootCa.rootEndTimes,
        // Only clusters that hold an intermediate (with Submariner they hold the root bundle alone).
        intermediates: Object.fromEntries(
          this.spec.clusters.flatMap((c) => {
            const end = (this.members[c.name] as FleetMember).trust.intermediateEndTime;
            return end === undefined ? [] : [[c.name, end]];
          }),
        ),
        // The same clusters: each intermediate's path-length constraint, as read from the certificate in cacerts.
        pathLengths: Object.fromEntries(
          this.spec.clusters.flatMap((c) => {
            const length = (this.members[c.name] as FleetMember).trust.intermediatePathLength;
            return length === undefined ? [] : [[c.name, length]];
          }),
        ),
      },
      addressPlan: this.plan.addresses,
      topology: this.plan.topology,
    };
  }
}

function addressesOf(plan: FleetPlan, cluster: string): ClusterAddresses {
  const found = plan.addresses.clusters.find((a) => a.cluster === cluster);
  if (found === undefined) {
    throw new Error(`the address plan has no entry for cluster ${cluster}`);
  }
  return found;
}

function requirementsOf(plan: FleetPlan, cluster: string): ClusterRequirements {
  const found = plan.requirements[cluster];
  if (found === undefined) {
    throw new Error(`the plan has no requirements for cluster ${cluster}`);
  }
  return found;
}
