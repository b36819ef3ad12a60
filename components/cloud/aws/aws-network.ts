/**
 * The network of one EKS cluster: a VPC laid out by the address plan (plan/addresses.ts), with a private and a
 * public subnet in every zone of the cluster.
 *
 * Children, by role (names `${name}-${role}[-${zone}]`, keyed by zone, never by list position):
 * - `vpc`: the VPC (the planned node range; EKS pods take addresses from it), DNS support and hostnames on; the only
 *   child Pulumi protects when `protect` is set (the rest can be replaced by config changes, e.g. the NAT layout);
 * - `private-<zone>`: nodes, pods and internal load balancers (`kubernetes.io/role/internal-elb=1`);
 * - `public-<zone>`: NAT gateways, internet-facing load balancers and Submariner gateways
 *   (`kubernetes.io/role/elb=1`, public IPs on launch); both tiers carry `kubernetes.io/cluster/<physicalName>=shared`
 *   (the EKS cluster's name, which the load balancer controller looks for);
 * - `igw`: the internet gateway; `public-rt` routes 0.0.0.0/0 to it, `public-rta-<zone>` attaches each public subnet;
 * - NAT for the private subnets, by `cluster.aws.natGateways`: `per-zone` puts `nat-eip-<zone>` + `nat-<zone>` in
 *   every zone (a zone outage takes only that zone's egress); `single` puts one `nat-eip` + `nat` in the public subnet
 *   of the zone with the lowest letter (cheaper; egress depends on that zone);
 * - `private-rt-<zone>` (0.0.0.0/0 → the zone's NAT, or the single one) and `private-rta-<zone>`: one route table per
 *   zone in both layouts, so switching layouts replaces only routes and NAT gateways;
 * - pods apart from nodes (`podsApartFromNodes`, an interconnect requirement; VPC CNI custom networking): `pods-cidr`
 *   associates the planned pod range with the VPC as a secondary range, and `pods-<zone>` is the zone's pod subnet
 *   (planned, tier `pods`), routed by the zone's private route table (`pods-rta-<zone>`).
 * - gateway nodes (`gatewayAddressPool` > 0, the interconnect's `gatewayNodes.addressPool`): `gateway-eip-<n>`, n = 1
 *   up to the pool's size, the public addresses reserved for the gateway nodes (one more than the nodes, so a
 *   replacement node takes the spare first), tagged `GATEWAY_ADDRESS_POOL_TAG` = `physicalName`, by which the
 *   in-cluster agent that binds them to gateway nodes finds them. Peers admit the tunnel ports from these alone.
 *
 * Every resource carries the cluster's tags plus `Name`. The AWS provider arrives through `opts.provider` and is
 * inherited by every child (`{ parent: this }`). Security group rules for the mesh belong to the cluster component.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses, SubnetPlan } from "../../../plan/addresses-types";
import { GATEWAY_ADDRESS_POOL_TAG } from "../../../plan/names";
import type { ClusterSpec } from "../../../plan/spec";
import type { AwsNetworkOutputs } from "../../network/contract";

export const AWS_NETWORK_TYPE = "multicluster-mesh:network:AwsNetwork";

/** Where the default routes point. */
const ANYWHERE = "0.0.0.0/0";

export interface AwsNetworkArgs {
  /** The cluster this network serves: its zones and `aws.natGateways` (default per-zone). */
  readonly cluster: ClusterSpec;
  /**
   * The EKS cluster's cloud-side name, `physicalName(environment, cluster.name)` from plan/names.ts (e.g.
   * `prod-aws-use1`): the subnets' `kubernetes.io/cluster/<physicalName>` discovery tag. Resource names keep `name`.
   */
  readonly physicalName: string;
  /** true: Pulumi protects the VPC (nothing else); false: nothing is protected. */
  readonly protect: boolean;
  /** The cluster's planned ranges: `nodes` is the VPC, `subnets` a private and a public subnet per zone. */
  readonly addresses: ClusterAddresses;
  /** Tags for every resource: `awsTags(spec, cluster)` from plan/names.ts. A `Name` tag is added per resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** The interconnect requires pods apart from nodes: the addresses' `pods` range and `pods` subnets become real. */
  readonly podsApartFromNodes: boolean;
  /** Public addresses to reserve for the gateway nodes (`gatewayNodes.addressPool`); 0 or absent: none. */
  readonly gatewayAddressPool?: number;
}

export class AwsNetwork extends pulumi.ComponentResource implements AwsNetworkOutputs {
  public readonly vpcId: pulumi.Output<string>;
  public readonly privateSubnetIds: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly publicSubnetIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** Pod subnet id per zone (pods apart from nodes only; otherwise empty). */
  public readonly podSubnetIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** The NAT gateways' public addresses, keyed by zone (`single`: one entry, under the NAT's zone). */
  public readonly natPublicIps: Readonly<Record<string, pulumi.Output<string>>>;
  /** The addresses reserved for the gateway nodes, in pool order (`gateway-eip-1` first); empty without a pool. */
  public readonly gatewayPublicIps: readonly pulumi.Output<string>[];

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const zones = checkArgs(name, args); // before registering anything
    super(AWS_NETWORK_TYPE, name, {}, opts);
    const tagged = (resource: string, extra: Record<string, string> = {}): Record<string, string> => ({
      ...args.tags,
      ...extra,
      // The console shows Name: the cloud-side name, so dev and prod stay apart in a shared account.
      Name: resource.startsWith(`${name}-`) ? `${args.physicalName}${resource.slice(name.length)}` : resource,
    });

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.addresses.nodes,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: tagged(`${name}-vpc`),
      },
      { parent: this, ...(args.protect ? { protect: true } : {}) },
    );
    const subnets = createSubnets(this, name, args, zones, vpc, tagged);
    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: tagged(`${name}-igw`) },
      { parent: this },
    );
    createPublicRoutes(this, name, zones, vpc, igw, subnets.public, tagged);
    const nats = createNatGateways(this, name, args, zones, igw, subnets.public, tagged);
    const privateTables = createPrivateRoutes(this, name, zones, vpc, nats, subnets.private, tagged);
    this.podSubnetIds = args.podsApartFromNodes
      ? createPodSubnets(this, name, args, zones, vpc, privateTables, tagged)
      : {};

    this.vpcId = vpc.id;
    this.privateSubnetIds = Object.fromEntries(
      zones.map((z) => [z.zone, subnets.private[z.zone]?.id as pulumi.Output<string>]),
    );
    this.publicSubnetIds = Object.fromEntries(
      zones.map((z) => [z.zone, subnets.public[z.zone]?.id as pulumi.Output<string>]),
    );
    this.natPublicIps = Object.fromEntries(Object.entries(nats.byZone).map(([zone, nat]) => [zone, nat.publicIp]));
    this.gatewayPublicIps = Array.from({ length: args.gatewayAddressPool ?? 0 }, (_, i) => {
      const eipName = `${name}-gateway-eip-${i + 1}`;
      const eip = new aws.ec2.Eip(
        eipName,
        { domain: "vpc", tags: tagged(eipName, { [GATEWAY_ADDRESS_POOL_TAG]: args.physicalName }) },
        { parent: this },
      );
      return eip.publicIp;
    });
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
      podSubnetIds: this.podSubnetIds,
      natPublicIps: this.natPublicIps,
      gatewayPublicIps: this.gatewayPublicIps,
    });
  }
}

/** One zone's planned subnets. */
interface ZoneSubnets {
  readonly zone: string;
  readonly private: string;
  readonly public: string;
  /** Pods apart from nodes only. */
  readonly pods?: string;
}

type Tagger = (resource: string, extra?: Record<string, string>) => Record<string, string>;
type ByZone<T> = Record<string, T>;

/** Every problem with the arguments at once; returns the planned subnets per zone, in the cluster's zone order. */
function checkArgs(name: string, args: AwsNetworkArgs): ZoneSubnets[] {
  const problems: string[] = [];
  const { cluster, addresses } = args;
  if (cluster.cloud !== "aws") {
    problems.push(`the cluster's cloud is ${cluster.cloud}, not aws — create a GcpNetwork or none`);
  }
  if (addresses.cluster !== cluster.name) {
    problems.push(
      `the addresses belong to cluster ${addresses.cluster}, not ${cluster.name} — pass the cluster's own ClusterAddresses`,
    );
  }
  const find = (zone: string, tier: SubnetPlan["tier"]): string | undefined =>
    addresses.subnets.find((s) => s.zone === zone && s.tier === tier)?.cidr;
  const zones: ZoneSubnets[] = [];
  for (const zone of cluster.zones) {
    const [priv, pub, pods] = [find(zone, "private"), find(zone, "public"), find(zone, "pods")];
    if (priv === undefined || pub === undefined) {
      problems.push(
        `the address plan has no ${priv === undefined ? "private" : "public"} subnet for zone ${zone} — plan the addresses from the same spec`,
      );
    } else if (args.podsApartFromNodes && pods === undefined) {
      problems.push(`the address plan has no pod subnet for zone ${zone} — plan the addresses from the same spec`);
    } else {
      zones.push({ zone, private: priv, public: pub, ...(args.podsApartFromNodes ? { pods } : {}) });
    }
  }
  if (zones.length === 0 && problems.length === 0) {
    problems.push("the cluster has no zones — list at least two");
  }
  if (problems.length > 0) {
    throw new Error(`AwsNetwork ${name}: ${problems.join("; ")}`);
  }
  return zones;
}

function createSubnets(
  parent: AwsNetwork,
  name: string,
  args: AwsNetworkArgs,
  zones: readonly ZoneSubnets[],
  vpc: aws.ec2.Vpc,
  tagged: Tagger,
): { private: ByZone<aws.ec2.Subnet>; public: ByZone<aws.ec2.Subnet> } {
  const discovery = { [`kubernetes.io/cluster/${args.physicalName}`]: "shared" };
  const priv: ByZone<aws.ec2.Subnet> = {};
  const pub: ByZone<aws.ec2.Subnet> = {};
  for (const z of zones) {
    const privateName = `${name}-private-${z.zone}`;
    priv[z.zone] = new aws.ec2.Subnet(
      privateName,
      {
        vpcId: vpc.id,
        cidrBlock: z.private,
        availabilityZone: z.zone,
        tags: tagged(privateName, { ...discovery, "kubernetes.io/role/internal-elb": "1" }),
      },
      { parent },
    );
    const publicName = `${name}-public-${z.zone}`;
    pub[z.zone] = new aws.ec2.Subnet(
      publicName,
      {
        vpcId: vpc.id,
        cidrBlock: z.public,
        availabilityZone: z.zone,
        mapPublicIpOnLaunch: true,
        tags: tagged(publicName, { ...discovery, "kubernetes.io/role/elb": "1" }),
      },
      { parent },
    );
  }
  return { private: priv, public: pub };
}

function createPublicRoutes(
  parent: AwsNetwork,
  name: string,
  zones: readonly ZoneSubnets[],
  vpc: aws.ec2.Vpc,
  igw: aws.ec2.InternetGateway,
  subnets: ByZone<aws.ec2.Subnet>,
  tagged: Tagger,
): void {
  const table = new aws.ec2.RouteTable(
    `${name}-public-rt`,
    { vpcId: vpc.id, tags: tagged(`${name}-public-rt`) },
    { parent },
  );
  new aws.ec2.Route(
    `${name}-public-default`,
    { routeTableId: table.id, destinationCidrBlock: ANYWHERE, gatewayId: igw.id },
    { parent },
  );
  for (const z of zones) {
    new aws.ec2.RouteTableAssociation(
      `${name}-public-rta-${z.zone}`,
      { routeTableId: table.id, subnetId: (subnets[z.zone] as aws.ec2.Subnet).id },
      { parent },
    );
  }
}

/** The NAT gateways, and which one serves each zone's private subnet. */
interface Nats {
  /** The NAT gateways by the zone they sit in. */
  readonly byZone: ByZone<aws.ec2.NatGateway>;
  /** The NAT gateway each zone's private subnet routes through. */
  readonly forZone: (zone: string) => aws.ec2.NatGateway;
}

function createNatGateways(
  parent: AwsNetwork,
  name: string,
  args: AwsNetworkArgs,
  zones: readonly ZoneSubnets[],
  igw: aws.ec2.InternetGateway,
  subnets: ByZone<aws.ec2.Subnet>,
  tagged: Tagger,
): Nats {
  const create = (suffix: string, zone: string): aws.ec2.NatGateway => {
    const eipName = `${name}-nat-eip${suffix}`;
    const natName = `${name}-nat${suffix}`;
    const eip = new aws.ec2.Eip(eipName, { domain: "vpc", tags: tagged(eipName) }, { parent });
    return new aws.ec2.NatGateway(
      natName,
      { allocationId: eip.id, subnetId: (subnets[zone] as aws.ec2.Subnet).id, tags: tagged(natName) },
      // AWS needs the VPC attached to an internet gateway before a public NAT gateway can work.
      { parent, dependsOn: [igw] },
    );
  };
  if ((args.cluster.aws?.natGateways ?? "per-zone") === "single") {
    // The lowest zone letter: stable when zones are reordered or added.
    const home = [...zones].sort((a, b) => (a.zone < b.zone ? -1 : 1))[0] as ZoneSubnets;
    const nat = create("", home.zone);
    return { byZone: { [home.zone]: nat }, forZone: () => nat };
  }
  const byZone: ByZone<aws.ec2.NatGateway> = Object.fromEntries(
    zones.map((z) => [z.zone, create(`-${z.zone}`, z.zone)]),
  );
  return { byZone, forZone: (zone) => byZone[zone] as aws.ec2.NatGateway };
}

function createPrivateRoutes(
  parent: AwsNetwork,
  name: string,
  zones: readonly ZoneSubnets[],
  vpc: aws.ec2.Vpc,
  nats: Nats,
  subnets: ByZone<aws.ec2.Subnet>,
  tagged: Tagger,
): ByZone<aws.ec2.RouteTable> {
  const tables: ByZone<aws.ec2.RouteTable> = {};
  for (const z of zones) {
    const tableName = `${name}-private-rt-${z.zone}`;
    const table = new aws.ec2.RouteTable(tableName, { vpcId: vpc.id, tags: tagged(tableName) }, { parent });
    new aws.ec2.Route(
      `${name}-private-default-${z.zone}`,
      { routeTableId: table.id, destinationCidrBlock: ANYWHERE, natGatewayId: nats.forZone(z.zone).id },
      { parent },
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-private-rta-${z.zone}`,
      { routeTableId: table.id, subnetId: (subnets[z.zone] as aws.ec2.Subnet).id },
      { parent },
    );
    tables[z.zone] = table;
  }
  return tables;
}

/** The pod range as a secondary VPC range, and per zone its pod subnet on the zone's private route table. */
function createPodSubnets(
  parent: AwsNetwork,
  name: string,
  args: AwsNetworkArgs,
  zones: readonly ZoneSubnets[],
  vpc: aws.ec2.Vpc,
  tables: ByZone<aws.ec2.RouteTable>,
  tagged: Tagger,
): ByZone<pulumi.Output<string>> {
  const association = new aws.ec2.VpcIpv4CidrBlockAssociation(
    `${name}-pods-cidr`,
    { vpcId: vpc.id, cidrBlock: args.addresses.pods },
    { parent },
  );
  const ids: ByZone<pulumi.Output<string>> = {};
  for (const z of zones) {
    const subnetName = `${name}-pods-${z.zone}`;
    const subnet = new aws.ec2.Subnet(
      subnetName,
      { vpcId: association.vpcId, cidrBlock: z.pods as string, availabilityZone: z.zone, tags: tagged(subnetName) },
      { parent, dependsOn: [association] },
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-pods-rta-${z.zone}`,
      { routeTableId: (tables[z.zone] as aws.ec2.RouteTable).id, subnetId: subnet.id },
      { parent },
    );
    ids[z.zone] = subnet.id;
  }
  return ids;
}
