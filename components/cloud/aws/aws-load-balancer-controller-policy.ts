/**
 * The IAM policy of one cluster's AWS Load Balancer Controller, limited to what it needs for Network Load Balancers
 * behind `type: LoadBalancer` Services (no ALB, WAF, Shield, Cognito or ACM permissions).
 *
 * Written from the controller's documented required actions, scoped tighter than the upstream sample: every
 * mutating call is limited to this account and region, to resources tagged `elbv2.k8s.aws/cluster=<this cluster>`
 * (the tag the controller puts on everything it creates), and security group rule changes to this cluster's VPC.
 * Pure: plain values in, JSON text out.
 */

/** The tag the controller writes on every load balancer, target group and security group it creates. */
export const LB_CONTROLLER_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

export interface LbControllerPolicyScope {
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The EKS cluster name: the value the controller writes in its ownership tag. */
  readonly clusterName: string;
  readonly vpcId: string;
}

interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/** Read-only discovery: subnets, security groups, instances and ENIs (targets), and the controller's own ELB state. */
const DISCOVERY_ACTIONS = [
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAddresses",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeInstances",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSubnets",
  "ec2:DescribeTags",
  "ec2:DescribeVpcs",
  "ec2:GetSecurityGroupsForVpc",
  "elasticloadbalancing:DescribeCapacityReservation",
  "elasticloadbalancing:DescribeListenerAttributes",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeLoadBalancerAttributes",
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeTargetGroupAttributes",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetHealth",
];

/** Changes to a load balancer or target group this cluster's controller owns. */
const OWNED_ELB_ACTIONS = [
  "elasticloadbalancing:DeleteLoadBalancer",
  "elasticloadbalancing:DeleteTargetGroup",
  "elasticloadbalancing:ModifyListenerAttributes",
  "elasticloadbalancing:ModifyLoadBalancerAttributes",
  "elasticloadbalancing:ModifyTargetGroup",
  "elasticloadbalancing:ModifyTargetGroupAttributes",
  "elasticloadbalancing:SetIpAddressType",
  "elasticloadbalancing:SetSecurityGroups",
  "elasticloadbalancing:SetSubnets",
];

/** Renders the policy document (JSON). */
export function renderLoadBalancerControllerPolicy(scope: LbControllerPolicyScope): string {
  const { partition, region, accountId, clusterName, vpcId } = scope;
  const ec2 = `arn:${partition}:ec2:${region}:${accountId}`;
  const elb = `arn:${partition}:elasticloadbalancing:${region}:${accountId}`;
  const securityGroups = `${ec2}:security-group/*`;
  const nlbAndTargetGroups = [`${elb}:loadbalancer/net/*/*`, `${elb}:targetgroup/*/*`];
  const ownedResource = { StringEquals: { [`aws:ResourceTag/${LB_CONTROLLER_CLUSTER_TAG}`]: clusterName } };
  const ownedRequest = { [`aws:RequestTag/${LB_CONTROLLER_CLUSTER_TAG}`]: clusterName };
  // Tag edits on owned resources may not touch the ownership tag itself.
  const keepsOwnershipTag = { Null: { [`aws:RequestTag/${LB_CONTROLLER_CLUSTER_TAG}`]: "true" } };

  const statements: Statement[] = [
    {
      Sid: "CreateElbServiceLinkedRole",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: "*",
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },
    { Sid: "Discover", Effect: "Allow", Action: DISCOVERY_ACTIONS, Resource: "*" },
    // Security groups: the NLB's frontend group (created and tagged by the controller) ...
    { Sid: "CreateSecurityGroup", Effect: "Allow", Action: ["ec2:CreateSecurityGroup"], Resource: "*" },
    {
      Sid: "TagSecurityGroupOnCreate",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: securityGroups,
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", ...ownedRequest } },
    },
    {
      Sid: "ManageOwnedSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:DeleteSecurityGroup"],
      Resource: securityGroups,
      Condition: ownedResource,
    },
    {
      Sid: "RetagOwnedSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: securityGroups,
      Condition: { ...ownedResource, ...keepsOwnershipTag },
    },
    // ... and the rules that let NLB traffic reach the nodes' and pods' security groups, within this VPC only.
    {
      Sid: "ManageSecurityGroupRulesInVpc",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: securityGroups,
      Condition: { ArnEquals: { "ec2:Vpc": `${ec2}:vpc/${vpcId}` } },
    },
    // Load balancers and target groups: created only with this cluster's ownership tag ...
    {
      Sid: "CreateOwnedLoadBalancers",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: "*",
      Condition: { StringEquals: ownedRequest },
    },
    {
      Sid: "TagLoadBalancersOnCreate",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags"],
      Resource: nlbAndTargetGroups,
      Condition: {
        StringEquals: {
          "elasticloadbalancing:CreateAction": ["CreateLoadBalancer", "CreateTargetGroup"],
          ...ownedRequest,
        },
      },
    },
    // ... then changed, retagged and deleted only while they carry it.
    {
      Sid: "ManageOwnedLoadBalancers",
      Effect: "Allow",
      Action: OWNED_ELB_ACTIONS,
      Resource: "*",
      Condition: ownedResource,
    },
    {
      Sid: "RetagOwnedLoadBalancers",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: nlbAndTargetGroups,
      Condition: { ...ownedResource, ...keepsOwnershipTag },
    },
    {
      Sid: "ManageListeners",
      Effect: "Allow",
      Action: [
        "elasticloadbalancing:CreateListener",
        "elasticloadbalancing:DeleteListener",
        "elasticloadbalancing:ModifyListener",
      ],
      Resource: [`${elb}:loadbalancer/net/*/*`, `${elb}:listener/net/*/*/*`],
    },
    {
      Sid: "TagListeners",
      Effect: "Allow",
      Action: ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
      Resource: `${elb}:listener/net/*/*/*`,
    },
    {
      Sid: "RegisterTargets",
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: `${elb}:targetgroup/*/*`,
    },
  ];
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
