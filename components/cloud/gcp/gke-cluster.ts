/**
 * A regional, VPC-native, private GKE cluster that satisfies the mesh contract (`meshCluster`).
 *
 * Children, by role:
 * - `node-sa`: the nodes' own service account (account id `gkeNodeAccountId`, unique per environment), granted only
 *   the role GKE needs for logging and monitoring (`node-sa-default-node`), instead of the Compute Engine default;
 * - `cluster`: the control plane, named `physicalName` in GCP, replicated across the region's zones (never zonal: a
 *   zonal control plane is a single replica), with the default node pool removed. The only child that holds state,
 *   so the only one `protect` covers;
 * - `endpoint-subnet` (Private Service Connect attachment only): a subnetwork holding the planned control-plane /28, where the control
 *   plane's internal endpoint lives (see "Control-plane connectivity" below);
 * - `secrets-keyring`, `secrets-key`, `secrets-agent`, `secrets-key-user` (with `gcp.secretsEncryption`, the
 *   default): the KMS key the cluster encrypts Secrets with and GKE's grant on it (./gke-secrets-key.ts);
 * - `nodes`: the managed node pool, autoscaled per zone across every configured zone;
 * - `gateways` (when the interconnect requires gateway nodes, e.g. Submariner): a dedicated pool of public-IP gateway
 *   nodes, one per zone in the first `gatewayNodes.count` zones, labelled and tainted as the requirement says, with the
 *   network tag `<physicalName>-gateway` that the tunnel rules target, and with `staticAddresses` kubeip on them
 *   (./gke-gateway-addresses.ts), which the cluster's workloads wait for;
 * - `control-plane-<port key>`: firewall rules letting the private control plane reach the ports the interconnect
 *   says it calls (e.g. istiod's webhook) on the nodes (GKE's own rule only opens 443 and 10250);
 * - authorized networks (`gcp.authorizedNetworks`, or a private endpoint): the configured ones, then per cluster that
 *   calls the API server (the interconnect's `apiClients`: istiod of every peer, or every member at the Submariner
 *   broker) its egress addresses `<cluster>-egress-<n>` and, calling from gateway nodes, `<cluster>-gateway-<n>`;
 * - `tunnel-peers` (on the gateway nodes' network tag): one firewall rule admitting the interconnect's tunnel ports (its
 *   `peers` ports but AH; Submariner: IKE, NAT-T, NAT discovery, ESP) from the tunnel peers' gateway addresses alone;
 * - `<cluster>-k8s`: the Kubernetes provider, authenticating through `gke-gcloud-auth-plugin`.
 *
 * Control-plane connectivity, as the interconnect's `controlPlaneAttachment` requires. `peering` (Istio): the private
 * control plane is reached over VPC Network Peering, with the planned /28 as `masterIpv4CidrBlock` (the source range
 * of istiod's webhook rule). A peered private cluster refuses a node pool that overrides private nodes
 * ("EnablePrivateNodes must be enabled for private clusters with valid masterIpv4Cidr"), and Submariner's gateways
 * need public IPs, so `private-service-connect` (Submariner) uses Private Service Connect instead (no `masterIpv4CidrBlock`; `privateEndpointSubnetwork` = the /28's subnetwork), which lets the
 * gateway pool set `networkConfig.enablePrivateNodes: false` while every other node stays private.
 *
 * The gcp provider (project, region) arrives through `opts.provider`; children inherit it. Nothing here reads the
 * cluster before it exists, so a preview of a new environment works.
 */
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses } from "../../../plan/addresses-types";
import { gkeNodeAccountId, k8sProviderName } from "../../../plan/names";
import type { ClusterRequirements } from "../../../plan/interconnect";
import type { ClusterSpec, GcpClusterSettings } from "../../../plan/spec";
import type { GcpNetworkOutputs } from "../../network/contract";
import type { MeshCluster } from "../../cluster/contract";
import { createGatewayAddresses } from "./gke-gateway-addresses";
import { renderGkeKubeconfig } from "./gke-kubeconfig";
import { createSecretsKey } from "./gke-secrets-key";
import { peersWithoutSources, type SourceLists } from "../tunnel-sources";
import { authorizedNetworks } from "./gke-authorized-networks";
import { createControlPlaneRules, createTunnelRules, gatewayNetworkTag } from "./gke-firewall";

export const GKE_CLUSTER_TYPE = "multicluster-mesh:cluster:GkeCluster";

/** The only project role the node service account gets: logging, monitoring and metadata writes, nothing else. */
const NODE_ROLES: Readonly<Record<string, string>> = {
  "default-node": "roles/container.defaultNodeServiceAccount",
};

/**
 * The components GKE sends logs of to Cloud Logging: system components and workloads (GKE's default) plus the API
 * server, scheduler and controller manager. They land in the project's `_Default` bucket (30 days' retention).
 */
export const GKE_LOG_COMPONENTS = [
  "SYSTEM_COMPONENTS",
  "WORKLOADS",
  "APISERVER",
  "SCHEDULER",
  "CONTROLLER_MANAGER",
] as const;

/** Scopes are left wide open on purpose: the node service account's IAM roles are what limits the nodes. */
const NODE_OAUTH_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"];

/** GKE cluster names: a lowercase letter, then up to 39 lowercase letters, digits or '-', not ending with '-'. */
const GKE_CLUSTER_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

export interface GkeClusterArgs {
  /** The cluster as configured; `spec.gcp` must be present. Region, zones, node sizing, version come from here. */
  readonly spec: ClusterSpec;
  /**
   * The GKE cluster's cloud-side name, `physicalName(environment, cluster.name)` from plan/names.ts (e.g.
   * `prod-gcp-usc1`, at most 40 characters): the cluster's `name`, the kubeconfig's cluster/context/user name, and
   * the seed of the node service account's id. Pulumi resource names keep `name`.
   */
  readonly physicalName: string;
  /** The cluster's planned ranges; `controlPlane` (the private control plane's /28) must be present. */
  readonly addresses: ClusterAddresses;
  /** The VPC and subnetwork the cluster joins; the secondary ranges are referenced by name. */
  readonly network: GcpNetworkOutputs;
  /**
   * What the interconnect requires of this cluster (the plan's `requirements[cluster]`): the control-plane ports it
   * calls get firewall rules, `gatewayNodes` a gateway node pool (`instanceTypes.gcp` defaults to the node type),
   * `datapath` and `controlPlaneAttachment` the cluster's settings.
   */
  readonly requirements: ClusterRequirements;
  /**
   * Other clusters' gateway sources by cluster name (their reserved gateway addresses as /32s): the `peers` ports
   * admit those of `requirements.tunnelPeers`, each of which must be here. Absent: none (no tunnel peers).
   */
  readonly peerGatewaySources?: Readonly<Record<string, readonly pulumi.Output<string>[]>>;
  /** The same, combined once for the fleet (`combineSources`); absent: combined here from `peerGatewaySources`. */
  readonly peerGatewaySourceLists?: SourceLists;
  /**
   * Clusters' egress addresses by cluster name: a control plane restricted to authorized networks (configured ones,
   * or a private endpoint) also admits those of `requirements.apiClients` (and their gateway sources when they call
   * from gateway nodes). A client without an entry (an existing cluster) adds nothing.
   */
  readonly peerEgress?: Readonly<Record<string, pulumi.Output<string[]>>>;
  /** GCP labels for the cluster and its nodes (plan/names.ts `gcpLabels`). */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * true: GKE refuses to delete the cluster (deletionProtection) and Pulumi protects the cluster resource; false:
   * neither. Nothing else here is protected: node pools, the service account and firewall rules hold no state.
   */
  readonly protect: boolean;
}

export class GkeCluster extends pulumi.ComponentResource {
  /** The cluster as mesh and trust components see it. */
  public readonly meshCluster: MeshCluster;
  /** A kubeconfig for this cluster (secret); it authenticates through gke-gcloud-auth-plugin. */
  public readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything, so a bad argument leaves no half-registered component behind.
    const { gcp: settings, controlPlane } = checkArgs(name, args);
    super(GKE_CLUSTER_TYPE, name, {}, opts);
    const { spec, addresses } = args;
    const project = settings.project;

    const nodeSa = new gcp.serviceaccount.Account(
      `${name}-node-sa`,
      {
        project,
        accountId: gkeNodeAccountId(spec.name, args.physicalName),
        displayName: `GKE nodes of ${args.physicalName}`,
      },
      { parent: this },
    );
    const nodeSaMember = pulumi.interpolate`serviceAccount:${nodeSa.email}`;
    const grants = Object.entries(NODE_ROLES).map(
      ([key, role]) =>
        new gcp.projects.IAMMember(`${name}-node-sa-${key}`, { project, role, member: nodeSaMember }, { parent: this }),
    );
    const nodeSecurity = {
      serviceAccount: nodeSa.email,
      oauthScopes: NODE_OAUTH_SCOPES,
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      metadata: { "disable-legacy-endpoints": "true" },
    };

    // Private Service Connect, with the control plane's internal endpoint in the planned /28 (see above).
    const endpointSubnet =
      args.requirements.controlPlaneAttachment === "private-service-connect"
        ? new gcp.compute.Subnetwork(
            `${name}-endpoint-subnet`,
            {
              project,
              network: args.network.networkSelfLink,
              region: spec.region,
              ipCidrRange: controlPlane,
              description: `multicluster-mesh: control-plane endpoint of cluster ${spec.name}`,
            },
            { parent: this },
          )
        : undefined;
    const controlPlaneAttachment =
      endpointSubnet === undefined
        ? { masterIpv4CidrBlock: controlPlane }
        : { privateEndpointSubnetwork: endpointSubnet.name };

    const secretsKey = settings.secretsEncryption
      ? createSecretsKey(this, name, {
          project,
          region: spec.region,
          physicalName: args.physicalName,
          protect: args.protect,
        })
      : undefined;

    // Only a restricted control plane lists the callers' addresses (an Output per caller: not built otherwise).
    const restricted = settings.authorizedNetworks.length > 0 || settings.privateEndpoint;
    const authorized = restricted
      ? authorizedNetworks(settings.authorizedNetworks, args.requirements.apiClients, {
          egress: args.peerEgress ?? {},
          gatewaySources: args.peerGatewaySources ?? {},
        })
      : undefined;
    const cluster = new gcp.container.Cluster(
      `${name}-cluster`,
      {
        project,
        name: args.physicalName,
        location: spec.region,
        nodeLocations: [...spec.zones],
        description: `multicluster-mesh cluster ${spec.name}`,
        resourceLabels: { ...args.labels },
        network: args.network.networkSelfLink,
        subnetwork: args.network.subnetworkSelfLink,
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: {
          clusterSecondaryRangeName: args.network.podsRangeName,
          servicesSecondaryRangeName: args.network.servicesRangeName,
        },
        defaultMaxPodsPerNode: spec.nodes.maxPodsPerNode,
        privateClusterConfig: {
          enablePrivateNodes: true,
          enablePrivateEndpoint: settings.privateEndpoint,
          ...controlPlaneAttachment,
          // Peers in other regions (over a VPN) reach a private endpoint only with global access.
          masterGlobalAccessConfig: { enabled: true },
        },
        // Unset means reachable from anywhere (TLS + auth); a private endpoint always enforces the list.
        ...(authorized !== undefined ? { masterAuthorizedNetworksConfig: { cidrBlocks: authorized } } : {}),
        workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
        releaseChannel: { channel: settings.releaseChannel },
        minMasterVersion: spec.kubernetesVersion,
        // e.g. Submariner is not tested on Dataplane V2: pin the iptables datapath rather than follow GKE's default.
        ...(args.requirements.datapath === "legacy" ? { datapathProvider: "LEGACY_DATAPATH" } : {}),
        ...(secretsKey === undefined
          ? {}
          : { databaseEncryption: { state: "ENCRYPTED", keyName: secretsKey.keyName } }),
        // GKE's default is system components and workloads; the control plane's logs are the equivalent of EKS's.
        loggingConfig: { enableComponents: [...GKE_LOG_COMPONENTS] },
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        // The short-lived default pool runs as the node service account too, never as the Compute Engine default.
        nodeConfig: nodeSecurity,
        deletionProtection: args.protect,
      },
      {
        parent: this,
        dependsOn: secretsKey === undefined ? grants : [...grants, secretsKey.grant],
        // The replacement has the same name and would claim the same control-plane /28, so the old cluster goes first.
        deleteBeforeReplace: true,
        // nodeConfig only shapes the short-lived default pool; a later diff on it must never replace the cluster.
        ignoreChanges: ["nodeConfig"],
        protect: args.protect,
      },
    );

    const common = { project, cluster: cluster.name, location: spec.region, maxPodsPerNode: spec.nodes.maxPodsPerNode };
    const nodes = new gcp.container.NodePool(
      `${name}-nodes`,
      {
        ...common,
        nodeLocations: [...spec.zones],
        initialNodeCount: spec.nodes.countPerZone,
        autoscaling: { minNodeCount: spec.nodes.countPerZone, maxNodeCount: spec.nodes.maxPerZone },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          ...nodeSecurity,
          machineType: spec.nodes.instanceType,
          diskSizeGb: spec.nodes.diskSizeGiB,
          resourceLabels: { ...args.labels },
        },
      },
      // The autoscaler owns the node count once the pool exists; initialNodeCount would otherwise force a replacement.
      { parent: this, dependsOn: grants, ignoreChanges: ["initialNodeCount"] },
    );
    const ready: pulumi.Resource[] = [nodes];

    const gatewayNodes = args.requirements.gatewayNodes;
    if (gatewayNodes !== undefined) {
      ready.push(
        new gcp.container.NodePool(
          `${name}-gateways`,
          {
            ...common,
            nodeLocations: spec.zones.slice(0, gatewayNodes.count),
            nodeCount: 1,
            management: { autoRepair: true, autoUpgrade: true },
            // Gateways talk to peers through their own public IPs (NAT traversal), so this pool is not private.
            // Only a Private Service Connect cluster accepts this override (see "Control-plane connectivity").
            networkConfig: { enablePrivateNodes: false },
            nodeConfig: {
              ...nodeSecurity,
              machineType: gatewayNodes.instanceTypes.gcp ?? spec.nodes.instanceType,
              diskSizeGb: spec.nodes.diskSizeGiB,
              resourceLabels: { ...args.labels },
              labels: { [gatewayNodes.label]: "true" },
              // The network tag the tunnel rules target, so they open nothing on other nodes.
              tags: [gatewayNetworkTag(args.physicalName)],
              taints: [{ key: gatewayNodes.taint, value: "true", effect: "NO_SCHEDULE" }],
            },
          },
          { parent: this, dependsOn: grants },
        ),
      );
    }
    ready.push(...createControlPlaneRules(this, name, args, { project, controlPlane, nodeAccount: nodeSa.email }));
    createTunnelRules(this, name, args, { project, targetTag: gatewayNetworkTag(args.physicalName) });

    const endpoint = pulumi.interpolate`https://${cluster.endpoint}`;
    const caData = cluster.masterAuth.clusterCaCertificate;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, endpoint, caData])
        .apply(([clusterName, server, ca]) => renderGkeKubeconfig(clusterName, server, ca)),
    );
    const provider = new k8s.Provider(k8sProviderName(spec.name), { kubeconfig: this.kubeconfig }, { parent: this });
    if (gatewayNodes !== undefined) {
      const at = {
        project,
        region: spec.region,
        physicalName: args.physicalName,
        k8sProvider: provider,
        after: [...ready],
      };
      ready.push(...createGatewayAddresses(name, { ...at, gatewayNodes }, this));
    }

    this.meshCluster = {
      name: spec.name,
      cloud: "gcp",
      region: spec.region,
      zones: [...spec.zones],
      network: spec.network,
      addresses,
      endpoint,
      caData,
      provider,
      ready,
    };
    this.registerOutputs({ endpoint, caData, kubeconfig: this.kubeconfig });
  }
}

/** Every problem with the arguments at once; returns the parts the cluster cannot do without. */
function checkArgs(name: string, args: GkeClusterArgs): { gcp: GcpClusterSettings; controlPlane: string } {
  const problems: string[] = [];
  const { spec, addresses } = args;
  if (spec.cloud !== "gcp") {
    problems.push(
      `the cluster's cloud is ${spec.cloud}, not gcp — create an ${spec.cloud === "aws" ? "EksCluster" : "ExistingCluster"} instead`,
    );
  }
  if (spec.gcp === undefined) {
    problems.push("the cluster has no gcp settings — set clusters[i].gcp.project");
  }
  if (addresses.controlPlane === undefined) {
    problems.push("the address plan has no control-plane range — plan the cluster's addresses with cloud gcp");
  }
  if (addresses.cluster !== spec.name) {
    problems.push(`the addresses belong to cluster ${addresses.cluster} — pass this cluster's addresses`);
  }
  if (!GKE_CLUSTER_NAME.test(args.physicalName)) {
    problems.push(
      `the physical name ${args.physicalName} is not a GKE cluster name (at most 40 lowercase letters, digits and '-', ` +
        "starting with a letter, not ending with '-') — shorten the stack or cluster name",
    );
  }
  if (spec.nodes.maxPerZone < spec.nodes.countPerZone) {
    problems.push(
      `nodes.maxPerZone (${spec.nodes.maxPerZone}) is below nodes.countPerZone (${spec.nodes.countPerZone}) — raise maxPerZone`,
    );
  }
  const gatewayNodes = args.requirements.gatewayNodes;
  if (gatewayNodes !== undefined && gatewayNodes.count > spec.zones.length) {
    problems.push(
      `${gatewayNodes.countKey} (${gatewayNodes.count}) exceeds the cluster's ${spec.zones.length} zone(s); ` +
        "gateways go one per zone — list more zones or lower the count",
    );
  }
  const unknown = peersWithoutSources(args.requirements.tunnelPeers, args.peerGatewaySources ?? {});
  if (unknown.length > 0) {
    problems.push(`no gateway sources for tunnel peer(s) ${unknown.join(", ")} — pass every peer's reserved addresses`);
  }
  if (problems.length > 0 || spec.gcp === undefined || addresses.controlPlane === undefined) {
    throw new Error(`GkeCluster ${name}: ${problems.join("; ")}`);
  }
  return { gcp: spec.gcp, controlPlane: addresses.controlPlane };
}
