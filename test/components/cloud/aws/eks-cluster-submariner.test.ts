/**
 * EksCluster with mesh: submariner, a cross-account deploy role and custom node sizes, under mocks: gateway node
 * groups, the Submariner security group rules, access entries and kubeconfig for an assumed role; and the errors.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { MOCK_ACCOUNT_ID } from "../../../../tools/mock-answers";
import { byName, byType, runUnderMocks, type MockRun } from "../../../../tools/mock-runtime";
import { EksCluster } from "../../../../components/cloud/aws/eks-cluster";
import type { GatewayNodes } from "../../../../plan/interconnect";
import { clusterInput, specFrom } from "../../../support/fixtures";
import {
  addressesOf,
  AWS_PROVIDER,
  buildEks,
  CLUSTER,
  clusterSecurityGroupId,
  eksArgs,
  fakeNetwork,
  fleet,
  mockState,
  PHYSICAL,
  ZONES,
} from "./eks-support";

const DEPLOY_ROLE = "arn:aws:iam::210987654321:role/fleet-deployer";
const OPS = "arn:aws:iam::123456789012:role/ops/admins";
const GATEWAYS = ["aws-c0-gateway-us-east-1a", "aws-c0-gateway-us-east-1b"];
let run: MockRun;

beforeAll(async () => {
  run = await buildEks(
    fleet(
      "submariner",
      {
        nodes: { countPerZone: 2, maxPerZone: 4, diskSizeGiB: 80 },
        aws: { assumeRoleArn: DEPLOY_ROLE, adminPrincipalArns: [DEPLOY_ROLE, OPS, OPS] },
      },
      { submariner: { gatewayNodes: { count: 2, instanceTypes: { aws: "c6in.large", gcp: "n2-standard-2" } } } },
    ),
  );
});

const urnOf = (name: string): string => byName(run, name).urn;
const gatewaySg = (): string => mockState("aws:ec2/securityGroup:SecurityGroup", "aws-c0-gateway-sg").id;

describe("EksCluster (submariner)", () => {
  it("adds one gateway node group per gateway zone (the first two zones), a launch template and a gateway security group", () => {
    expect(byType(run, "aws:eks/nodeGroup:NodeGroup").map((r) => r.name)).toEqual([...GATEWAYS, "aws-c0-nodes"]);
    expect(byType(run, "aws:ec2/launchTemplate:LaunchTemplate").map((r) => r.name)).toEqual(["aws-c0-gateway-lt"]);
    expect(byType(run, "aws:ec2/securityGroup:SecurityGroup").map((r) => r.name)).toEqual(["aws-c0-gateway-sg"]);
    for (const name of [...GATEWAYS, "aws-c0-gateway-lt", "aws-c0-gateway-sg"]) {
      expect(byName(run, name).parent, name).toBe(urnOf(CLUSTER));
      expect(byName(run, name).provider, name).toBe(urnOf(AWS_PROVIDER));
    }
  });

  it("puts each gateway in its zone's public subnet, labelled, tainted, one node, from the launch template", () => {
    const template = mockState("aws:ec2/launchTemplate:LaunchTemplate", "aws-c0-gateway-lt").id;
    ZONES.slice(0, 2).forEach((zone, i) => {
      const group = byName(run, GATEWAYS[i] as string);
      expect(group.inputs).toMatchObject({
        clusterName: PHYSICAL,
        version: "1.35",
        nodeRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-c0-node-role`,
        subnetIds: [`subnet-public-${zone}`],
        instanceTypes: ["c6in.large"],
        launchTemplate: { id: template, version: "1" },
        scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 },
        labels: { "submariner.io/gateway": "true" },
        taints: [{ key: "node-role.submariner.io/gateway", effect: "NO_SCHEDULE" }],
        tags: { "multicluster-mesh/zones": zone, "multicluster-mesh/cluster": CLUSTER },
      });
      expect(group.inputs).not.toHaveProperty("diskSize");
      expect(group.dependsOn).toEqual([
        ...["worker", "cni", "ecr"].map((k) => urnOf(`aws-c0-node-role-${k}`)),
        urnOf("aws-c0-vpc-cni"),
        ...ZONES.map((z) => urnOf(`aws-c0-eniconfig-${z}`)),
      ]);
    });
  });

  it("gives gateway nodes a public IP, the cluster and gateway security groups and the configured disk", () => {
    expect(byName(run, "aws-c0-gateway-lt").inputs).toMatchObject({
      networkInterfaces: [
        { deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: [clusterSecurityGroupId(), gatewaySg()] },
      ],
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 80, volumeType: "gp3", encrypted: "true" } }],
      metadataOptions: { httpTokens: "required" },
    });
    const launchTemplate = byName(run, "aws-c0-gateway-lt").inputs;
    expect(launchTemplate["description"]).toBe(`Submariner gateway nodes of EKS cluster ${PHYSICAL}`);
    expect(launchTemplate["tagSpecifications"]).toEqual(
      ["instance", "volume", "network-interface"].map((resourceType) => ({
        resourceType,
        tags: expect.objectContaining({ Name: `${PHYSICAL}-gateway`, "multicluster-mesh/cluster": CLUSTER }),
      })),
    );
    expect(byName(run, "aws-c0-gateway-sg").inputs).toMatchObject({
      vpcId: "vpc-0fake",
      description: `Mesh gateway nodes of EKS cluster ${PHYSICAL}`,
      tags: { Name: `${PHYSICAL}-gateway`, "multicluster-mesh/cluster": CLUSTER },
    });
  });

  it("scales the workload group from countPerZone and maxPerZone", () => {
    expect(byName(run, "aws-c0-nodes").inputs).toMatchObject({
      scalingConfig: { minSize: 3, desiredSize: 6, maxSize: 12 },
      diskSize: 80,
      instanceTypes: ["m6i.large"],
      subnetIds: ZONES.map((z) => `subnet-private-${z}`),
    });
  });

  it("opens AH from RFC 1918 blocks on the gateway group, VXLAN among nodes, and no tunnel port without a peer", () => {
    const cluster = clusterSecurityGroupId();
    const rules = Object.fromEntries(
      byType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => [r.name, r.inputs]),
    );
    const ahFrom = (cidrIpv4: string): Record<string, unknown> => ({
      securityGroupId: gatewaySg(),
      cidrIpv4,
      ipProtocol: "51",
    });
    // One cluster: no tunnel peers, so IKE, NAT-T, NAT discovery and ESP are admitted from nowhere.
    expect(Object.keys(rules).sort()).toEqual(
      ["ah-10-0-0-0-8", "ah-172-16-0-0-12", "ah-192-168-0-0-16"]
        .map((k) => `aws-c0-gateway-sg-${k}`)
        .concat(["aws-c0-sg-vxlan"]),
    );
    expect(rules["aws-c0-gateway-sg-ah-10-0-0-0-8"]).toEqual(expect.objectContaining(ahFrom("10.0.0.0/8")));
    expect(rules["aws-c0-gateway-sg-ah-172-16-0-0-12"]).toEqual(expect.objectContaining(ahFrom("172.16.0.0/12")));
    expect(rules["aws-c0-gateway-sg-ah-192-168-0-0-16"]).toEqual(expect.objectContaining(ahFrom("192.168.0.0/16")));
    for (const r of Object.values(rules).filter((r) => r["ipProtocol"] === "51")) {
      expect(r).not.toHaveProperty("fromPort");
      expect(r).not.toHaveProperty("referencedSecurityGroupId");
    }
    expect(rules["aws-c0-sg-vxlan"]).toMatchObject({
      securityGroupId: cluster,
      referencedSecurityGroupId: cluster,
      ipProtocol: "udp",
      fromPort: 4800,
      toPort: 4800,
    });
    for (const r of Object.values(rules)) {
      expect(r).toMatchObject({ tags: { "multicluster-mesh/cluster": CLUSTER } });
    }
  });

  it("runs VPC CNI custom networking: the configured add-on and one ENIConfig per zone on its pod subnet", () => {
    expect(byName(run, "aws-c0-vpc-cni").inputs).toMatchObject({
      clusterName: PHYSICAL,
      addonName: "vpc-cni",
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
    });
    // One cluster: no peers, so no SNAT exclusions.
    expect(JSON.parse(byName(run, "aws-c0-vpc-cni").inputs["configurationValues"] as string)).toEqual({
      env: { AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true", ENI_CONFIG_LABEL_DEF: "topology.kubernetes.io/zone" },
    });
    for (const zone of ZONES) {
      const eni = byName(run, `aws-c0-eniconfig-${zone}`);
      expect(eni.inputs).toMatchObject({
        apiVersion: "crd.k8s.amazonaws.com/v1alpha1",
        kind: "ENIConfig",
        metadata: { name: zone },
        spec: { subnet: `subnet-pods-${zone}`, securityGroups: [clusterSecurityGroupId()] },
      });
      expect(eni.dependsOn).toEqual([urnOf("aws-c0-vpc-cni")]);
    }
  });

  it("starts the controller after every node group, and lists them and the gateway agents as ready", () => {
    const ready = [urnOf("aws-c0-nodes"), ...GATEWAYS.map(urnOf)];
    expect(byName(run, "aws-c0-lb-controller-release").dependsOn).toEqual([
      ...ready,
      urnOf("aws-c0-lb-controller-policy-attachment"),
    ]);
    expect(run.outputs["ready"]).toEqual([
      ...ready,
      urnOf("aws-c0-kubeip-daemonset"),
      urnOf("aws-c0-source-dest-check"),
      urnOf("aws-c0-lb-controller-release"),
    ]);
  });

  it("uses the assumed role as the deployer: one explicit admin entry, no creator bootstrap, and signs tokens with it", () => {
    const entries = byType(run, "aws:eks/accessEntry:AccessEntry").map((e) => [
      e.name,
      e.inputs["principalArn"],
      e.inputs["clusterName"],
    ]);
    expect(entries).toEqual([
      ["aws-c0-access-123456789012-role-ops-admins", OPS, PHYSICAL],
      ["aws-c0-access-deployer", DEPLOY_ROLE, PHYSICAL],
    ]);
    expect(byName(run, "aws-c0-access-deployer-admin").inputs).toEqual({
      clusterName: PHYSICAL,
      principalArn: DEPLOY_ROLE,
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });
    expect(byName(run, "aws-c0-cluster").inputs["accessConfig"]).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
    expect(byName(run, "aws-c0-k8s").dependsOn).toEqual([urnOf("aws-c0-access-deployer-admin")]);
    const kubeconfig = JSON.parse(String(run.outputs["kubeconfigPlain"])) as {
      users: { user: { exec: { args: string[] } } }[];
    };
    expect(kubeconfig.users[0]?.user.exec.args).toEqual([
      "eks",
      "get-token",
      "--cluster-name",
      PHYSICAL,
      "--region",
      "us-east-1",
      "--output",
      "json",
      "--role-arn",
      DEPLOY_ROLE,
    ]);
  });
});

describe("EksCluster argument checks", () => {
  // The checks run before the component registers itself, so no Pulumi runtime is needed to see them.
  const withoutPrivate = (zone: string): ReturnType<typeof fakeNetwork> => {
    const full = fakeNetwork();
    return {
      ...full,
      privateSubnetIds: Object.fromEntries(Object.entries(full.privateSubnetIds).filter(([z]) => z !== zone)),
    };
  };

  it("reports every wiring problem at once before registering anything", () => {
    const args = { ...eksArgs(fleet("submariner"), withoutPrivate("us-east-1c")), addresses: addressesOf("aws-c9") };
    expect(() => new EksCluster(CLUSTER, args)).toThrow(
      [
        "EksCluster aws-c0: 2 problems",
        "  - addresses are planned for cluster aws-c9",
        "  - the network has no private subnet in zone(s) us-east-1c",
      ].join("\n"),
    );
  });

  it("names a missing public subnet for a gateway zone", () => {
    const args = eksArgs(fleet("submariner"), { ...fakeNetwork(), publicSubnetIds: {} });
    expect(() => new EksCluster(CLUSTER, args)).toThrow(
      "EksCluster aws-c0: 1 problem\n  - the network has no public subnet for gateway nodes in zone(s) us-east-1a, us-east-1b",
    );
  });

  it("refuses a cluster of another cloud", () => {
    const gcp = specFrom({ mesh: "istio", clusters: [clusterInput(1)] });
    expect(() => new EksCluster("gcp-c1", eksArgs(gcp))).toThrow(
      "EksCluster gcp-c1: 2 problems\n  - cluster cloud is gcp, not aws\n",
    );
  });

  it("creates no gateway nodes, gateway group or IPsec rules when a Submariner cluster asks for none", async () => {
    const spec = fleet("submariner");
    const none = await runUnderMocks(
      () => {
        const base = eksArgs(spec);
        const gatewayNodes = { ...(base.requirements.gatewayNodes as GatewayNodes), count: 0 };
        const args = { ...base, requirements: { ...base.requirements, gatewayNodes } };
        new EksCluster(CLUSTER, args, { provider: new aws.Provider(AWS_PROVIDER, { region: "us-east-1" }) });
        return {};
      },
      { project: "multicluster-mesh", stack: "test" },
    );
    expect(byType(none, "aws:eks/nodeGroup:NodeGroup").map((r) => r.name)).toEqual(["aws-c0-nodes"]);
    expect(byType(none, "aws:ec2/securityGroup:SecurityGroup")).toEqual([]);
    expect(byType(none, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.name)).toEqual([
      "aws-c0-sg-vxlan",
    ]);
    // No gateway nodes, no gateway agents.
    expect(none.resources.filter((r) => /kubeip|source-dest-check/.test(r.name))).toEqual([]);
  });

  it("leaves out each gateway agent its requirement does not ask for", async () => {
    const spec = fleet("submariner");
    const only = async (flags: Pick<GatewayNodes, "staticAddresses" | "forwardsForeignTraffic">): Promise<string[]> => {
      const planned = await runUnderMocks(
        () => {
          const base = eksArgs(spec);
          const gatewayNodes = { ...(base.requirements.gatewayNodes as GatewayNodes), ...flags };
          const args = { ...base, requirements: { ...base.requirements, gatewayNodes } };
          new EksCluster(CLUSTER, args, { provider: new aws.Provider(AWS_PROVIDER, { region: "us-east-1" }) });
          return {};
        },
        { project: "multicluster-mesh", stack: "test" },
      );
      return byType(planned, "kubernetes:apps/v1:DaemonSet").map((r) => r.name);
    };
    expect(await only({ staticAddresses: true, forwardsForeignTraffic: false })).toEqual(["aws-c0-kubeip-daemonset"]);
    expect(await only({ staticAddresses: false, forwardsForeignTraffic: true })).toEqual(["aws-c0-source-dest-check"]);
  });

  it("admits every protocol from exactly each peer's pod and service range (one prefix list) on the cluster group, and skips SNAT to them", async () => {
    const two = specFrom({ mesh: "submariner", clusters: [clusterInput(0), clusterInput(1)] });
    const peered = await runUnderMocks(
      () => {
        new EksCluster(
          CLUSTER,
          { ...eksArgs(two), peerGatewaySources: { "gcp-c1": [pulumi.output("198.51.100.1/32")] } },
          { provider: new aws.Provider(AWS_PROVIDER, { region: "us-east-1" }) },
        );
        return {};
      },
      { project: "multicluster-mesh", stack: "test" },
    );
    const list = byName(peered, "aws-c0-peer-ranges");
    expect(list.type).toBe("aws:ec2/managedPrefixList:ManagedPrefixList");
    expect(list.inputs).toMatchObject({
      addressFamily: "IPv4",
      maxEntries: 2,
      entries: [
        { cidr: "10.1.128.0/17", description: "pods of peer cluster gcp-c1" },
        { cidr: "10.1.16.0/20", description: "services of peer cluster gcp-c1" },
      ],
    });
    const peerRules = byType(peered, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
      r.name.includes("-sg-peer"),
    );
    expect(
      peerRules.map((r) => [r.name, r.inputs["prefixListId"], r.inputs["ipProtocol"], r.inputs["cidrIpv4"]]),
    ).toEqual([["aws-c0-sg-peers", expect.stringMatching(/^pl-[0-9a-f]{17}$/), "-1", undefined]]);
    for (const r of peerRules) expect(r.inputs["securityGroupId"]).toBe(clusterSecurityGroupId());
    expect(JSON.parse(byName(peered, "aws-c0-vpc-cni").inputs["configurationValues"] as string)).toMatchObject({
      env: { AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: "10.1.128.0/17,10.1.16.0/20" },
    });
  });

  it("admits IKE, NAT-T, NAT discovery and ESP on the gateway group from each tunnel peer's gateway addresses alone (one prefix list)", async () => {
    const three = specFrom({
      mesh: "submariner",
      clusters: [clusterInput(0), clusterInput(1), clusterInput(2)],
      submariner: { gatewayNodes: { count: 1 } },
    });
    const sources = {
      "gcp-c1": [pulumi.output("198.51.100.1/32"), pulumi.output("198.51.100.2/32")],
      "aws-c2": [pulumi.output("203.0.113.7/32"), pulumi.output("203.0.113.8/32")],
    };
    const peered = await runUnderMocks(
      () => {
        new EksCluster(
          CLUSTER,
          { ...eksArgs(three), peerGatewaySources: sources },
          { provider: new aws.Provider(AWS_PROVIDER, { region: "us-east-1" }) },
        );
        return {};
      },
      { project: "multicluster-mesh", stack: "test" },
    );
    // One prefix list of every tunnel peer's addresses, peers by name, and one rule per port from it.
    const list = byName(peered, "aws-c0-peer-gateways");
    expect(list.type).toBe("aws:ec2/managedPrefixList:ManagedPrefixList");
    expect(list.inputs).toMatchObject({
      addressFamily: "IPv4",
      maxEntries: 4,
      entries: [
        { cidr: "203.0.113.7/32", description: "gateway address 1 of peer cluster aws-c2" },
        { cidr: "203.0.113.8/32", description: "gateway address 2 of peer cluster aws-c2" },
        { cidr: "198.51.100.1/32", description: "gateway address 1 of peer cluster gcp-c1" },
        { cidr: "198.51.100.2/32", description: "gateway address 2 of peer cluster gcp-c1" },
      ],
    });
    const tunnel = byType(peered, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.name.startsWith("aws-c0-gateway-sg-") && r.inputs["ipProtocol"] !== "51",
    );
    expect(
      tunnel.map((r) => [r.name, r.inputs["ipProtocol"], r.inputs["fromPort"] ?? null, r.inputs["cidrIpv4"] ?? null]),
    ).toEqual([
      ["aws-c0-gateway-sg-esp", "50", null, null],
      ["aws-c0-gateway-sg-ike", "udp", 500, null],
      ["aws-c0-gateway-sg-ipsec-nat-t", "udp", 4500, null],
      ["aws-c0-gateway-sg-nat-discovery", "udp", 4490, null],
    ]);
    for (const r of tunnel) {
      expect(r.propertyDependencies?.["prefixListId"]).toEqual([list.urn]);
      expect(r.inputs["securityGroupId"]).toBe(
        mockState("aws:ec2/securityGroup:SecurityGroup", "aws-c0-gateway-sg").id,
      );
      expect(r.inputs["toPort"]).toBe(r.inputs["fromPort"]);
    }
  });

  it("refuses a tunnel peer the fleet handed no gateway addresses for", () => {
    const two = specFrom({ mesh: "submariner", clusters: [clusterInput(0), clusterInput(1)] });
    expect(() => new EksCluster(CLUSTER, { ...eksArgs(two), peerGatewaySources: {} })).toThrow(
      "EksCluster aws-c0: 1 problem\n  - no gateway sources for tunnel peer(s) gcp-c1",
    );
  });

  it("needs no public subnets for istio", async () => {
    const ok = await buildEks(fleet("istio"), () => ({ ...fakeNetwork(), publicSubnetIds: {} }));
    expect(byType(ok, "aws:eks/nodeGroup:NodeGroup").map((r) => r.name)).toEqual(["aws-c0-nodes"]);
  });
});
