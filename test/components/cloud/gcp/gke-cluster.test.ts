import * as gcp from "@pulumi/gcp";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GkeCluster, type GkeClusterArgs } from "../../../../components/cloud/gcp/gke-cluster";
import type { GatewayNodes } from "../../../../plan/interconnect";
import { gkeNodeAccountId, physicalName } from "../../../../plan/names";
import { fakePem } from "../../../../tools/mock-answers";
import { byName, byType, runUnderMocks } from "../../../../tools/mock-runtime";
import { clusterInput } from "../../../support/fixtures";
import {
  ADDRESSES,
  argsFor,
  COMPONENT,
  GCP_PROVIDER,
  inputs,
  names,
  NETWORK_LINK,
  NODE_SA,
  PHYSICAL,
  plan,
  PROJECT,
  protectedNames,
  STACK,
  SUBNET_LINK,
  urn,
} from "./gke-support";

describe("GkeCluster with Istio", () => {
  it("creates exactly the service account, its grant, the secrets key, the cluster, the node pool, the webhook rule and the k8s provider", async () => {
    const run = await plan();
    expect(names(run)).toEqual([
      "gcp:compute/firewall:Firewall::gcp-c1-control-plane-istiod-webhook",
      "gcp:container/cluster:Cluster::gcp-c1-cluster",
      "gcp:container/nodePool:NodePool::gcp-c1-nodes",
      "gcp:kms/cryptoKey:CryptoKey::gcp-c1-secrets-key",
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember::gcp-c1-secrets-key-user",
      "gcp:kms/keyRing:KeyRing::gcp-c1-secrets-keyring",
      "gcp:projects/iAMMember:IAMMember::gcp-c1-node-sa-default-node",
      "gcp:projects/serviceIdentity:ServiceIdentity::gcp-c1-secrets-agent",
      "gcp:serviceaccount/account:Account::gcp-c1-node-sa",
      "multicluster-mesh:cluster:GkeCluster::gcp-c1",
      "pulumi:providers:gcp::gcp-c1-gcp",
      "pulumi:providers:kubernetes::gcp-c1-k8s",
      "pulumi:pulumi:Stack::multicluster-mesh-test",
    ]);
  });

  it("parents every child on the component and resolves the gcp provider passed to the component", async () => {
    const run = await plan();
    const children = run.resources.filter((r) => r.parent === COMPONENT);
    expect(children.map((r) => r.name).sort()).toEqual([
      "gcp-c1-cluster",
      "gcp-c1-control-plane-istiod-webhook",
      "gcp-c1-k8s",
      "gcp-c1-node-sa",
      "gcp-c1-node-sa-default-node",
      "gcp-c1-nodes",
      "gcp-c1-secrets-agent",
      "gcp-c1-secrets-key",
      "gcp-c1-secrets-key-user",
      "gcp-c1-secrets-keyring",
    ]);
    for (const r of children.filter((c) => c.type.startsWith("gcp:"))) {
      expect(r.provider, r.name).toBe(GCP_PROVIDER);
    }
    expect(byName(run, "gcp-c1-k8s").provider).toBeNull();
  });

  it("makes a regional, VPC-native, private cluster with workload identity and no default pool", async () => {
    const run = await plan();
    const cluster = inputs(run, "gcp-c1-cluster");
    expect(cluster).toMatchObject({
      project: PROJECT,
      name: PHYSICAL,
      location: "us-central1",
      nodeLocations: ["us-central1-a", "us-central1-b", "us-central1-c"],
      network: NETWORK_LINK,
      subnetwork: SUBNET_LINK,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: { clusterSecondaryRangeName: "gcp-c1-pods", servicesSecondaryRangeName: "gcp-c1-services" },
      masterAuthorizedNetworksConfig: { cidrBlocks: [{ displayName: "office", cidrBlock: "198.51.100.0/24" }] },
      workloadIdentityConfig: { workloadPool: `${PROJECT}.svc.id.goog` },
      releaseChannel: { channel: "STABLE" },
      minMasterVersion: "1.34",
      removeDefaultNodePool: true,
      deletionProtection: false,
      defaultMaxPodsPerNode: 64,
      resourceLabels: {
        team: "platform",
        "multicluster-mesh-environment": "test",
        "multicluster-mesh-cluster": "gcp-c1",
      },
    });
    // VPC Network Peering: the planned /28 is the control plane's range (istiod's webhook rule allows it).
    expect(cluster["privateClusterConfig"]).toEqual({
      enablePrivateNodes: true,
      enablePrivateEndpoint: false,
      masterIpv4CidrBlock: "10.1.32.0/28",
      masterGlobalAccessConfig: { enabled: true },
    });
    expect(cluster["nodeConfig"]).toMatchObject({
      serviceAccount: NODE_SA,
      workloadMetadataConfig: { mode: "GKE_METADATA" },
    });
    expect(cluster["datapathProvider"]).toBeUndefined();
    const record = byName(run, "gcp-c1-cluster");
    expect(record.protect).toBe(false);
    expect(record.dependsOn).toEqual([urn(run, "gcp-c1-node-sa-default-node"), urn(run, "gcp-c1-secrets-key-user")]);
    expect(cluster["loggingConfig"]).toEqual({
      enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER", "SCHEDULER", "CONTROLLER_MANAGER"],
    });
  });

  it("encrypts Secrets with a KMS key of its own in its region, which GKE's service agent may use", async () => {
    const run = await plan();
    const ring = `projects/${PROJECT}/locations/us-central1/keyRings/${PHYSICAL}-secrets`;
    expect(inputs(run, "gcp-c1-secrets-keyring")).toEqual({
      project: PROJECT,
      location: "us-central1",
      name: `${PHYSICAL}-secrets`,
    });
    expect(inputs(run, "gcp-c1-secrets-key")).toEqual({
      keyRing: ring,
      name: "secrets",
      purpose: "ENCRYPT_DECRYPT",
      rotationPeriod: "7776000s",
    });
    expect(inputs(run, "gcp-c1-secrets-agent")).toEqual({ project: PROJECT, service: "container.googleapis.com" });
    expect(inputs(run, "gcp-c1-secrets-key-user")).toEqual({
      cryptoKeyId: `${ring}/cryptoKeys/secrets`,
      role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
      member: "serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com",
    });
    expect(inputs(run, "gcp-c1-cluster")["databaseEncryption"]).toEqual({
      state: "ENCRYPTED",
      keyName: `${ring}/cryptoKeys/secrets`,
    });
  });

  it("creates no key and leaves databaseEncryption unset with gcp.secretsEncryption false", async () => {
    const cluster = clusterInput(1, { gcp: { project: PROJECT, secretsEncryption: false } });
    const run = await plan({ cluster });
    expect(byType(run, "gcp:kms/cryptoKey:CryptoKey")).toEqual([]);
    expect(inputs(run, "gcp-c1-cluster")["databaseEncryption"]).toBeUndefined();
    expect(byName(run, "gcp-c1-cluster").dependsOn).toEqual([urn(run, "gcp-c1-node-sa-default-node")]);
  });

  it("runs nodes as a dedicated service account holding only the default node role", async () => {
    const run = await plan();
    expect(inputs(run, "gcp-c1-node-sa")).toEqual({
      project: PROJECT,
      accountId: "gcp-c1-beaf9b",
      displayName: "GKE nodes of test-gcp-c1",
    });
    expect(inputs(run, "gcp-c1-node-sa-default-node")).toEqual({
      project: PROJECT,
      role: "roles/container.defaultNodeServiceAccount",
      member: `serviceAccount:${NODE_SA}`,
    });
  });

  it("derives a node account id per environment, so two environments can share a project", async () => {
    const dev = inputs(await plan({ environment: "dev" }), "gcp-c1-node-sa");
    const prod = inputs(await plan({ environment: "prod" }), "gcp-c1-node-sa");
    expect([dev["accountId"], prod["accountId"]]).toEqual(["gcp-c1-fdcc3c", "gcp-c1-91c4b7"]);
    expect([dev["displayName"], prod["displayName"]]).toEqual(["GKE nodes of dev-gcp-c1", "GKE nodes of prod-gcp-c1"]);
  });

  it("keeps the longest account id (20-character cluster, 19-character environment) a valid 6-30 character id", () => {
    const cluster = "gcp-europe-west4-abc";
    const id = gkeNodeAccountId(cluster, physicalName("staging-europe-west", cluster));
    expect(id).toHaveLength(27);
    expect(id).toMatch(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
    expect(id.startsWith(`${cluster}-`)).toBe(true);
  });

  it("spreads one autoscaled node pool over every zone, sized from spec.nodes", async () => {
    const run = await plan();
    const pool = inputs(run, "gcp-c1-nodes");
    expect(pool).toMatchObject({
      project: PROJECT,
      location: "us-central1",
      nodeLocations: ["us-central1-a", "us-central1-b", "us-central1-c"],
      initialNodeCount: 2,
      autoscaling: { minNodeCount: 2, maxNodeCount: 5 },
      maxPodsPerNode: 64,
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: {
        machineType: "n2-standard-8",
        diskSizeGb: 100,
        serviceAccount: NODE_SA,
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        resourceLabels: { "multicluster-mesh-cluster": "gcp-c1" },
      },
    });
    // The pool names the cluster (by its cloud-side name) through its output, so it is created after the cluster.
    expect(pool["cluster"]).toBe(PHYSICAL);
    expect(pool["nodeCount"]).toBeUndefined();
  });

  it("opens istiod's webhook port (15017 only) from the control-plane range to the nodes", async () => {
    const run = await plan();
    expect(byType(run, "gcp:compute/firewall:Firewall")).toHaveLength(1);
    expect(inputs(run, "gcp-c1-control-plane-istiod-webhook")).toMatchObject({
      project: PROJECT,
      network: NETWORK_LINK,
      direction: "INGRESS",
      sourceRanges: ["10.1.32.0/28"],
      allows: [{ protocol: "tcp", ports: ["15017"] }],
      targetServiceAccounts: [NODE_SA],
    });
  });

  it("fills every MeshCluster field", async () => {
    const run = await plan();
    // What the mock answers for the cluster's masterAuth.clusterCaCertificate (base64 PEM, as GKE returns it).
    const ca = Buffer.from(fakePem("CERTIFICATE", "gke-ca-gcp-c1-cluster")).toString("base64");
    expect(run.outputs).toMatchObject({
      name: "gcp-c1",
      cloud: "gcp",
      region: "us-central1",
      zones: ["us-central1-a", "us-central1-b", "us-central1-c"],
      network: "gcp-c1",
      addresses: ADDRESSES,
      provider: urn(run, "gcp-c1-k8s"),
      ready: [urn(run, "gcp-c1-nodes"), urn(run, "gcp-c1-control-plane-istiod-webhook")],
    });
    expect(run.outputs["endpoint"]).toMatch(/^https:\/\/203\.0\.113\.\d+$/);
    expect(run.outputs["caData"]).toBe(ca);
  });

  it("hands the k8s provider a secret kubeconfig named after the cloud-side cluster, authenticated by gke-gcloud-auth-plugin", async () => {
    const run = await plan();
    expect(inputs(run, "gcp-c1-k8s")["kubeconfig"]).toBe("[secret]");
    expect(run.outputs["kubeconfig"]).toBe("[secret]");
    const kubeconfig: unknown = parse(String(run.outputs["kubeconfigText"]));
    expect(kubeconfig).toMatchObject({
      clusters: [
        {
          name: PHYSICAL,
          cluster: { server: run.outputs["endpoint"], "certificate-authority-data": run.outputs["caData"] },
        },
      ],
      contexts: [{ name: PHYSICAL, context: { cluster: PHYSICAL, user: PHYSICAL } }],
      "current-context": PHYSICAL,
      users: [
        {
          name: PHYSICAL,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "gke-gcloud-auth-plugin",
              provideClusterInfo: true,
            },
          },
        },
      ],
    });
  });

  it("turns protect into deletion protection and Pulumi protection of the cluster and its secrets key, and of nothing else", async () => {
    const run = await plan({ protect: true });
    expect(inputs(run, "gcp-c1-cluster")["deletionProtection"]).toBe(true);
    expect(protectedNames(run)).toEqual(["gcp-c1-cluster", "gcp-c1-secrets-key", "gcp-c1-secrets-keyring"]);
  });

  it("protects nothing when protect is false", async () => {
    const run = await plan({ protect: false });
    expect(inputs(run, "gcp-c1-cluster")["deletionProtection"]).toBe(false);
    expect(protectedNames(run)).toEqual([]);
  });

  it("makes the endpoint private and enforces an (empty) authorized list when privateEndpoint is set", async () => {
    const run = await plan({ cluster: clusterInput(1, { gcp: { project: PROJECT, privateEndpoint: true } }) });
    const cluster = inputs(run, "gcp-c1-cluster");
    expect(cluster["privateClusterConfig"]).toMatchObject({ enablePrivateEndpoint: true });
    expect(cluster["masterAuthorizedNetworksConfig"]).toEqual({ cidrBlocks: [] });
    expect(cluster["releaseChannel"]).toEqual({ channel: "REGULAR" });
  });

  it("leaves the API reachable from anywhere when no authorized networks are configured", async () => {
    const run = await plan({ cluster: clusterInput(1) });
    expect(inputs(run, "gcp-c1-cluster")["masterAuthorizedNetworksConfig"]).toBeUndefined();
  });
});

describe("GkeCluster with Submariner", () => {
  it("attaches the control plane through Private Service Connect, its endpoint in a subnetwork of the planned /28", async () => {
    const run = await plan({ mesh: "submariner" });
    expect(names(run)).toEqual([
      "gcp:compute/subnetwork:Subnetwork::gcp-c1-endpoint-subnet",
      "gcp:container/cluster:Cluster::gcp-c1-cluster",
      "gcp:container/nodePool:NodePool::gcp-c1-gateways",
      "gcp:container/nodePool:NodePool::gcp-c1-nodes",
      "gcp:kms/cryptoKey:CryptoKey::gcp-c1-secrets-key",
      "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember::gcp-c1-secrets-key-user",
      "gcp:kms/keyRing:KeyRing::gcp-c1-secrets-keyring",
      "gcp:projects/iAMCustomRole:IAMCustomRole::gcp-c1-kubeip-role",
      "gcp:projects/iAMMember:IAMMember::gcp-c1-kubeip-role-member",
      "gcp:projects/iAMMember:IAMMember::gcp-c1-node-sa-default-node",
      "gcp:projects/serviceIdentity:ServiceIdentity::gcp-c1-secrets-agent",
      "gcp:serviceaccount/account:Account::gcp-c1-kubeip-gsa",
      "gcp:serviceaccount/account:Account::gcp-c1-node-sa",
      "gcp:serviceaccount/iAMMember:IAMMember::gcp-c1-kubeip-workload-identity",
      "kubernetes:apps/v1:DaemonSet::gcp-c1-kubeip-daemonset",
      "kubernetes:core/v1:ServiceAccount::gcp-c1-kubeip-sa",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::gcp-c1-kubeip-node-reader",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::gcp-c1-kubeip-node-reader-binding",
      "kubernetes:rbac.authorization.k8s.io/v1:Role::gcp-c1-kubeip-lock",
      "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::gcp-c1-kubeip-lock-binding",
      "multicluster-mesh:cluster:GkeCluster::gcp-c1",
      "multicluster-mesh:cluster:KubeipAgent::gcp-c1-kubeip",
      "pulumi:providers:gcp::gcp-c1-gcp",
      "pulumi:providers:kubernetes::gcp-c1-k8s",
      "pulumi:pulumi:Stack::multicluster-mesh-test",
    ]);
    const subnet = byName(run, "gcp-c1-endpoint-subnet");
    expect(subnet.parent).toBe(COMPONENT);
    expect(subnet.provider).toBe(GCP_PROVIDER);
    expect(subnet.protect).toBe(false);
    expect(subnet.inputs).toMatchObject({
      project: PROJECT,
      network: NETWORK_LINK,
      region: "us-central1",
      ipCidrRange: "10.1.32.0/28",
    });
    // No masterIpv4CidrBlock: that would make a VPC-peered cluster, which refuses the gateway pool's public IPs.
    expect(inputs(run, "gcp-c1-cluster")["privateClusterConfig"]).toEqual({
      enablePrivateNodes: true,
      enablePrivateEndpoint: false,
      privateEndpointSubnetwork: "gcp-c1-endpoint-subnet",
      masterGlobalAccessConfig: { enabled: true },
    });
    expect(inputs(run, "gcp-c1-cluster")["name"]).toBe(PHYSICAL);
  });

  it("adds a public, tainted gateway pool with one node in each of the first gatewayNodes.count zones, and no webhook rule", async () => {
    const run = await plan({ mesh: "submariner" });
    expect(byType(run, "gcp:compute/firewall:Firewall")).toEqual([]);
    const gateways = byName(run, "gcp-c1-gateways");
    expect(gateways.type).toBe("gcp:container/nodePool:NodePool");
    expect(gateways.parent).toBe(COMPONENT);
    expect(gateways.provider).toBe(GCP_PROVIDER);
    expect(gateways.inputs).toMatchObject({
      location: "us-central1",
      nodeLocations: ["us-central1-a", "us-central1-b"],
      nodeCount: 1,
      networkConfig: { enablePrivateNodes: false },
      nodeConfig: {
        machineType: "n2-standard-8",
        labels: { "submariner.io/gateway": "true" },
        taints: [{ key: "node-role.submariner.io/gateway", value: "true", effect: "NO_SCHEDULE" }],
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        serviceAccount: NODE_SA,
      },
    });
    expect(gateways.inputs["cluster"]).toBe(PHYSICAL);
    expect(gateways.inputs["autoscaling"]).toBeUndefined();
    expect(inputs(run, "gcp-c1-cluster")["datapathProvider"]).toBe("LEGACY_DATAPATH");
    expect(run.outputs["ready"]).toEqual([
      urn(run, "gcp-c1-nodes"),
      urn(run, "gcp-c1-gateways"),
      urn(run, "gcp-c1-kubeip-daemonset"),
    ]);
  });

  it("uses the gateway machine type when one is configured", async () => {
    const args = argsFor({ mesh: "submariner" });
    const run = await runUnderMocks(
      () => {
        const provider = new gcp.Provider("gcp-c1-gcp", { project: PROJECT, region: "us-central1" });
        new GkeCluster(
          "gcp-c1",
          {
            ...args,
            requirements: {
              ...args.requirements,
              gatewayNodes: {
                ...(args.requirements.gatewayNodes as GatewayNodes),
                count: 1,
                instanceTypes: { aws: "c6in.large", gcp: "e2-standard-2" },
              },
            },
          },
          { provider },
        );
        return {};
      },
      { project: "multicluster-mesh", stack: STACK },
    );
    expect(inputs(run, "gcp-c1-gateways")).toMatchObject({
      nodeLocations: ["us-central1-a"],
      nodeConfig: { machineType: "e2-standard-2" },
    });
  });

  it("refuses more gateway nodes than zones, and a max below the count, listing both problems", async () => {
    // The stack config already refuses both (test/plan/spec.test.ts); the component guards its own arguments too.
    const valid = argsFor({
      mesh: "submariner",
      cluster: clusterInput(1, { zones: ["us-central1-a", "us-central1-b"] }),
    });
    const args: GkeClusterArgs = {
      ...valid,
      spec: { ...valid.spec, nodes: { ...valid.spec.nodes, countPerZone: 4, maxPerZone: 3 } },
      requirements: {
        ...valid.requirements,
        gatewayNodes: { ...(valid.requirements.gatewayNodes as GatewayNodes), count: 3 },
      },
    };
    expect(() => new GkeCluster("gcp-c1", args)).toThrow(
      "GkeCluster gcp-c1: nodes.maxPerZone (3) is below nodes.countPerZone (4) — raise maxPerZone; " +
        "submariner.gatewayNodes.count (3) exceeds the cluster's 2 zone(s); gateways go one per zone — list more zones or lower the count",
    );
  });
});

describe("GkeCluster protection with Submariner", () => {
  it("protects the cluster and its secrets key only, not the endpoint subnetwork or the gateway pool", async () => {
    const run = await plan({ mesh: "submariner", protect: true });
    expect(protectedNames(run)).toEqual(["gcp-c1-cluster", "gcp-c1-secrets-key", "gcp-c1-secrets-keyring"]);
  });
});

describe("GkeCluster arguments", () => {
  it("refuses a physical name GKE would reject (over 40 characters)", () => {
    const args = { ...argsFor({}), physicalName: "a-nineteen-char-env-and-a-long-cluster-name" };
    expect(() => new GkeCluster("gcp-c1", args)).toThrow(
      "GkeCluster gcp-c1: the physical name a-nineteen-char-env-and-a-long-cluster-name is not a GKE cluster name " +
        "(at most 40 lowercase letters, digits and '-', starting with a letter, not ending with '-') — " +
        "shorten the stack or cluster name",
    );
  });

  it("needs a control-plane range and this cluster's addresses", async () => {
    const args = { ...argsFor({}), addresses: { ...ADDRESSES, cluster: "gcp-c9", controlPlane: undefined } };
    expect(() => new GkeCluster("gcp-c1", args)).toThrow(
      "GkeCluster gcp-c1: the address plan has no control-plane range — plan the cluster's addresses with cloud gcp; " +
        "the addresses belong to cluster gcp-c9 — pass this cluster's addresses",
    );
  });
});
