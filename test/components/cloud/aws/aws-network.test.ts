import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { AwsNetwork, type AwsNetworkArgs } from "../../../../components/cloud/aws/aws-network";
import { planAddresses } from "../../../../plan/addresses";
import { awsTags, physicalName } from "../../../../plan/names";
import type { ClusterInput } from "../../../../plan/spec";
import { answerResource } from "../../../../tools/mock-answers";
import { byName, byType, type MockRun, runUnderMocks } from "../../../../tools/mock-runtime";
import { clusterInput, requirementsOf, specFrom } from "../../../support/fixtures";

const STACK = "test";
const URN = `urn:pulumi:${STACK}::multicluster-mesh::`;
const COMPONENT = `${URN}multicluster-mesh:network:AwsNetwork::aws-c0`;
const AWS_PROVIDER = `${URN}pulumi:providers:aws::aws-c0-aws`;
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
/** The EKS cluster's cloud-side name, `<environment>-<cluster>` (specFrom's environment is "test"). */
const PHYSICAL = "test-aws-c0";

function argsFor(cluster: ClusterInput, protect = false): AwsNetworkArgs {
  const fleet = specFrom({ mesh: "submariner", clusters: [cluster], tags: { team: "platform" } });
  const spec = fleet.clusters[0];
  const addresses = planAddresses(fleet).clusters[0];
  if (spec === undefined || addresses === undefined) {
    throw new Error("fixture has no cluster");
  }
  return {
    cluster: spec,
    physicalName: physicalName(fleet.environment, spec.name),
    protect,
    addresses,
    tags: awsTags(fleet, spec),
    podsApartFromNodes: requirementsOf(fleet).podsApartFromNodes,
  };
}

async function plan(args: AwsNetworkArgs): Promise<MockRun> {
  return runUnderMocks(
    () => {
      const provider = new aws.Provider("aws-c0-aws", { region: "us-east-1" });
      const network = new AwsNetwork("aws-c0", args, { provider });
      return {
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        publicSubnetIds: network.publicSubnetIds,
        natPublicIps: network.natPublicIps,
      };
    },
    { project: "multicluster-mesh", stack: STACK },
  );
}

/** The id the mock cloud gives a resource (deterministic in its type and name). */
function idOf(type: string, name: string): string {
  return answerResource({ type, name, inputs: {}, providerInputs: {} }).id;
}
const subnetId = (name: string): string => idOf("aws:ec2/subnet:Subnet", name);
const natId = (name: string): string => idOf("aws:ec2/natGateway:NatGateway", name);
const tableId = (name: string): string => idOf("aws:ec2/routeTable:RouteTable", name);
const inputs = (run: MockRun, name: string): Record<string, unknown> => byName(run, name).inputs;
const childNames = (run: MockRun, type: string): string[] =>
  byType(run, type)
    .map((r) => r.name)
    .sort();

const TAGS = { team: "platform", "multicluster-mesh/environment": "test", "multicluster-mesh/cluster": "aws-c0" };

describe("AwsNetwork, one NAT gateway per zone", () => {
  const args = argsFor(clusterInput(0));

  it("creates exactly the VPC, its pod range, three subnets per zone, the internet gateway, NAT per zone and the routes", async () => {
    const run = await plan(args);
    const children = run.resources.filter((r) => r.parent === COMPONENT).map((r) => `${r.type}::${r.name}`);
    const perZone = (z: string): string[] => [
      `aws:ec2/subnet:Subnet::aws-c0-private-${z}`,
      `aws:ec2/subnet:Subnet::aws-c0-public-${z}`,
      `aws:ec2/eip:Eip::aws-c0-nat-eip-${z}`,
      `aws:ec2/natGateway:NatGateway::aws-c0-nat-${z}`,
      `aws:ec2/routeTable:RouteTable::aws-c0-private-rt-${z}`,
      `aws:ec2/route:Route::aws-c0-private-default-${z}`,
      `aws:ec2/routeTableAssociation:RouteTableAssociation::aws-c0-private-rta-${z}`,
      `aws:ec2/routeTableAssociation:RouteTableAssociation::aws-c0-public-rta-${z}`,
      `aws:ec2/subnet:Subnet::aws-c0-pods-${z}`,
      `aws:ec2/routeTableAssociation:RouteTableAssociation::aws-c0-pods-rta-${z}`,
    ];
    expect(children.sort()).toEqual(
      [
        "aws:ec2/vpc:Vpc::aws-c0-vpc",
        "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation::aws-c0-pods-cidr",
        "aws:ec2/internetGateway:InternetGateway::aws-c0-igw",
        "aws:ec2/routeTable:RouteTable::aws-c0-public-rt",
        "aws:ec2/route:Route::aws-c0-public-default",
        ...ZONES.flatMap(perZone),
      ].sort(),
    );
    expect(run.resources.map((r) => r.type).filter((t) => !t.startsWith("aws:ec2/"))).toEqual([
      "multicluster-mesh:network:AwsNetwork",
      "pulumi:providers:aws",
      "pulumi:pulumi:Stack",
    ]);
  });

  it("parents every child on the component and resolves the AWS provider passed to the component", async () => {
    const run = await plan(args);
    const children = run.resources.filter((r) => r.type.startsWith("aws:"));
    expect(children).toHaveLength(35);
    for (const r of children) {
      expect(r.parent, r.name).toBe(COMPONENT);
      expect(r.provider, r.name).toBe(AWS_PROVIDER);
    }
    expect(byName(run, "aws-c0").parent).toBe(`${URN}pulumi:pulumi:Stack::multicluster-mesh-test`);
  });

  it("associates the planned pod range with the VPC and puts a pod subnet in every zone on its private route table", async () => {
    const run = await plan(args);
    expect(byName(run, "aws-c0-pods-cidr").inputs).toMatchObject({ cidrBlock: "100.64.0.0/18" });
    ZONES.forEach((zone, k) => {
      expect(byName(run, `aws-c0-pods-${zone}`).inputs).toMatchObject({
        cidrBlock: `100.64.${8 * k}.0/21`,
        availabilityZone: zone,
        tags: { Name: `${PHYSICAL}-pods-${zone}` },
      });
      expect(byName(run, `aws-c0-pods-${zone}`).dependsOn).toEqual([byName(run, "aws-c0-pods-cidr").urn]);
      expect(byName(run, `aws-c0-pods-rta-${zone}`).inputs["routeTableId"]).toBe(
        byName(run, `aws-c0-private-rta-${zone}`).inputs["routeTableId"],
      );
    });
  });

  it("creates no pod range or pod subnets when the interconnect keeps pods in the VPC", async () => {
    const run = await plan({ ...args, podsApartFromNodes: false });
    expect(run.resources.filter((r) => r.name.includes("-pods"))).toEqual([]);
  });

  it("builds the VPC from the planned node range with DNS support and hostnames", async () => {
    const run = await plan(args);
    expect(inputs(run, "aws-c0-vpc")).toEqual({
      cidrBlock: "10.0.0.0/17",
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { ...TAGS, Name: "test-aws-c0-vpc" },
    });
  });

  it("places the planned subnets in their zones with the load balancer discovery tags of the EKS cluster's name", async () => {
    const run = await plan(args);
    const vpcId = idOf("aws:ec2/vpc:Vpc", "aws-c0-vpc");
    const expected = [
      ["us-east-1a", "10.0.0.0/20", "10.0.112.0/24"],
      ["us-east-1b", "10.0.16.0/20", "10.0.113.0/24"],
      ["us-east-1c", "10.0.32.0/20", "10.0.114.0/24"],
    ] as const;
    for (const [zone, priv, pub] of expected) {
      expect(inputs(run, `aws-c0-private-${zone}`)).toMatchObject({
        vpcId,
        cidrBlock: priv,
        availabilityZone: zone,
        tags: {
          ...TAGS,
          Name: `test-aws-c0-private-${zone}`,
          "kubernetes.io/role/internal-elb": "1",
          [`kubernetes.io/cluster/${PHYSICAL}`]: "shared",
        },
      });
      expect(inputs(run, `aws-c0-private-${zone}`)["mapPublicIpOnLaunch"]).not.toBe(true);
      for (const tier of ["private", "public"]) {
        const clusterTags = Object.keys(inputs(run, `aws-c0-${tier}-${zone}`)["tags"] as object).filter((k) =>
          k.startsWith("kubernetes.io/cluster/"),
        );
        expect(clusterTags).toEqual([`kubernetes.io/cluster/${PHYSICAL}`]);
      }
      expect(inputs(run, `aws-c0-public-${zone}`)).toMatchObject({
        vpcId,
        cidrBlock: pub,
        availabilityZone: zone,
        mapPublicIpOnLaunch: true,
        tags: {
          ...TAGS,
          Name: `test-aws-c0-public-${zone}`,
          "kubernetes.io/role/elb": "1",
          [`kubernetes.io/cluster/${PHYSICAL}`]: "shared",
        },
      });
    }
  });

  it("puts a NAT gateway with its own EIP in every zone's public subnet, after the internet gateway", async () => {
    const run = await plan(args);
    const igw = byName(run, "aws-c0-igw").urn;
    for (const zone of ZONES) {
      expect(inputs(run, `aws-c0-nat-eip-${zone}`)).toMatchObject({
        domain: "vpc",
        tags: { ...TAGS, Name: `test-aws-c0-nat-eip-${zone}` },
      });
      expect(inputs(run, `aws-c0-nat-${zone}`)).toMatchObject({
        allocationId: idOf("aws:ec2/eip:Eip", `aws-c0-nat-eip-${zone}`),
        subnetId: subnetId(`aws-c0-public-${zone}`),
        tags: { ...TAGS, Name: `test-aws-c0-nat-${zone}` },
      });
      expect(byName(run, `aws-c0-nat-${zone}`).dependsOn).toEqual([igw]);
    }
  });

  it("routes public subnets to the internet gateway and each private subnet to its zone's NAT gateway", async () => {
    const run = await plan(args);
    expect(inputs(run, "aws-c0-public-default")).toEqual({
      routeTableId: tableId("aws-c0-public-rt"),
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: idOf("aws:ec2/internetGateway:InternetGateway", "aws-c0-igw"),
    });
    for (const zone of ZONES) {
      expect(inputs(run, `aws-c0-public-rta-${zone}`)).toEqual({
        routeTableId: tableId("aws-c0-public-rt"),
        subnetId: subnetId(`aws-c0-public-${zone}`),
      });
      expect(inputs(run, `aws-c0-private-default-${zone}`)).toEqual({
        routeTableId: tableId(`aws-c0-private-rt-${zone}`),
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: natId(`aws-c0-nat-${zone}`),
      });
      expect(inputs(run, `aws-c0-private-rta-${zone}`)).toEqual({
        routeTableId: tableId(`aws-c0-private-rt-${zone}`),
        subnetId: subnetId(`aws-c0-private-${zone}`),
      });
      expect(inputs(run, `aws-c0-private-rt-${zone}`)).toMatchObject({
        tags: { ...TAGS, Name: `test-aws-c0-private-rt-${zone}` },
      });
    }
  });

  it("protects nothing when protect is false", async () => {
    const run = await plan(args);
    expect(run.resources.filter((r) => r.protect).map((r) => r.name)).toEqual([]);
  });

  it("outputs the VPC id, the subnet ids and the NAT addresses keyed by zone", async () => {
    const run = await plan(args);
    expect(run.outputs).toEqual({
      vpcId: idOf("aws:ec2/vpc:Vpc", "aws-c0-vpc"),
      privateSubnetIds: Object.fromEntries(ZONES.map((z) => [z, subnetId(`aws-c0-private-${z}`)])),
      publicSubnetIds: Object.fromEntries(ZONES.map((z) => [z, subnetId(`aws-c0-public-${z}`)])),
      natPublicIps: Object.fromEntries(ZONES.map((z) => [z, expect.stringMatching(/^203\.0\.113\.\d+$/)])),
    });
  });
});

describe("AwsNetwork, one shared NAT gateway", () => {
  // Zones listed out of order: the NAT goes to the lowest letter, not the first listed.
  const args = argsFor(clusterInput(0, { zones: ["us-east-1c", "us-east-1b"], aws: { natGateways: "single" } }));

  it("creates one EIP and one NAT gateway in the lowest-lettered zone and routes every private subnet through it", async () => {
    const run = await plan(args);
    expect(childNames(run, "aws:ec2/eip:Eip")).toEqual(["aws-c0-nat-eip"]);
    expect(childNames(run, "aws:ec2/natGateway:NatGateway")).toEqual(["aws-c0-nat"]);
    expect(inputs(run, "aws-c0-nat")).toMatchObject({ subnetId: subnetId("aws-c0-public-us-east-1b") });
    for (const zone of ["us-east-1b", "us-east-1c"]) {
      expect(inputs(run, `aws-c0-private-default-${zone}`)).toMatchObject({ natGatewayId: natId("aws-c0-nat") });
    }
    expect(childNames(run, "aws:ec2/routeTable:RouteTable")).toEqual([
      "aws-c0-private-rt-us-east-1b",
      "aws-c0-private-rt-us-east-1c",
      "aws-c0-public-rt",
    ]);
    expect(inputs(run, "aws-c0-private-us-east-1c")).toMatchObject({ cidrBlock: "10.0.32.0/20" });
    expect(Object.keys(run.outputs["natPublicIps"] as object)).toEqual(["us-east-1b"]);
  });
});

describe("AwsNetwork, protect: true", () => {
  it("protects the VPC and nothing else (NAT gateways, routes and subnets stay replaceable)", async () => {
    const run = await plan(argsFor(clusterInput(0), true));
    expect(run.resources.filter((r) => r.protect).map((r) => `${r.type}::${r.name}`)).toEqual([
      "aws:ec2/vpc:Vpc::aws-c0-vpc",
    ]);
    for (const name of ["aws-c0-nat-us-east-1a", "aws-c0-private-default-us-east-1a", "aws-c0-private-us-east-1a"]) {
      expect(byName(run, name).protect, name).toBe(false);
    }
  });
});

describe("AwsNetwork arguments", () => {
  it("rejects a non-AWS cluster and someone else's addresses, listing every problem, before registering anything", () => {
    const args = argsFor(clusterInput(0));
    const gcp = specFrom({ mesh: "istio", clusters: [clusterInput(1)] }).clusters[0];
    if (gcp === undefined) {
      throw new Error("fixture has no cluster");
    }
    expect(() => new AwsNetwork("aws-c0", { ...args, cluster: gcp })).toThrow(
      "AwsNetwork aws-c0: the cluster's cloud is gcp, not aws — create a GcpNetwork or none; " +
        "the addresses belong to cluster aws-c0, not gcp-c1 — pass the cluster's own ClusterAddresses; " +
        "the address plan has no private subnet for zone us-central1-a — plan the addresses from the same spec; " +
        "the address plan has no private subnet for zone us-central1-b — plan the addresses from the same spec; " +
        "the address plan has no private subnet for zone us-central1-c — plan the addresses from the same spec",
    );
  });
});

describe("AwsNetwork gateway address pool", () => {
  it("reserves one Elastic IP per place of the pool, tagged with the pool, and nothing without one", async () => {
    const args = argsFor(clusterInput(0));
    const run = await plan({ ...args, gatewayAddressPool: 3 });
    const pool = byType(run, "aws:ec2/eip:Eip").filter((r) => r.name.includes("-gateway-eip-"));
    expect(pool.map((r) => r.name)).toEqual(["aws-c0-gateway-eip-1", "aws-c0-gateway-eip-2", "aws-c0-gateway-eip-3"]);
    pool.forEach((r, i) => {
      expect(r.inputs).toEqual({
        domain: "vpc",
        tags: {
          ...args.tags,
          "multicluster-mesh/gateway-pool": PHYSICAL,
          Name: `${PHYSICAL}-gateway-eip-${i + 1}`,
        },
      });
      expect(r.parent).toBe(COMPONENT);
      expect(r.provider).toBe(AWS_PROVIDER);
    });
    const none = await plan(args);
    expect(byType(none, "aws:ec2/eip:Eip").filter((r) => r.name.includes("-gateway-"))).toEqual([]);
  });
});
