/**
 * The pure pieces behind EksCluster: the kubeconfig, principal keys, the IRSA trust and the controller's IAM policy.
 */
import { describe, expect, it } from "vitest";
import { renderLoadBalancerControllerPolicy } from "../../../../components/cloud/aws/aws-load-balancer-controller-policy";
import { renderIrsaTrustPolicy } from "../../../../components/cloud/aws/aws-load-balancer-controller";
import { principalKey } from "../../../../components/cloud/aws/eks-access";
import { renderEksKubeconfig } from "../../../../components/cloud/aws/eks-kubeconfig";

describe("renderEksKubeconfig", () => {
  const base = {
    clusterName: "aws-use1",
    region: "us-east-1",
    endpoint: "https://ABC.gr7.us-east-1.eks.amazonaws.com",
    caData: "Q0E=",
  };

  it("points one context at the endpoint and CA, with an aws eks get-token exec user", () => {
    expect(JSON.parse(renderEksKubeconfig(base))).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "aws-use1", cluster: { server: base.endpoint, "certificate-authority-data": "Q0E=" } }],
      users: [
        {
          name: "aws-use1",
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: ["eks", "get-token", "--cluster-name", "aws-use1", "--region", "us-east-1", "--output", "json"],
              interactiveMode: "Never",
            },
          },
        },
      ],
      contexts: [{ name: "aws-use1", context: { cluster: "aws-use1", user: "aws-use1" } }],
      "current-context": "aws-use1",
    });
  });

  it("assumes the deploy role when one is given", () => {
    const parsed = JSON.parse(renderEksKubeconfig({ ...base, roleArn: "arn:aws:iam::210987654321:role/deployer" })) as {
      users: { user: { exec: { args: string[] } } }[];
    };
    expect(parsed.users[0]?.user.exec.args.slice(-2)).toEqual([
      "--role-arn",
      "arn:aws:iam::210987654321:role/deployer",
    ]);
  });
});

describe("principalKey", () => {
  it.each([
    ["arn:aws:iam::123456789012:role/admins", "123456789012-role-admins"],
    ["arn:aws:iam::123456789012:role/ops/eu/admins", "123456789012-role-ops-eu-admins"],
    ["arn:aws:iam::123456789012:user/alice.smith", "123456789012-user-alice-smith"],
    [
      "arn:aws-cn:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0a1b",
      "123456789012-role-aws-reserved-sso-amazonaws-com-AWSReservedSSO-Admin-0a1b",
    ],
  ])("%s → %s", (arn, key) => {
    expect(principalKey(arn)).toBe(key);
  });
});

describe("renderIrsaTrustPolicy", () => {
  it("trusts one service account of one issuer, for the STS audience", () => {
    const doc = renderIrsaTrustPolicy(
      "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
      "system:serviceaccount:kube-system:aws-load-balancer-controller",
    );
    expect(JSON.parse(doc)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub":
                "system:serviceaccount:kube-system:aws-load-balancer-controller",
              "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
            },
          },
        },
      ],
    });
  });
});

describe("renderLoadBalancerControllerPolicy", () => {
  interface Stmt {
    Sid: string;
    Effect: string;
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
  }
  const scope = {
    partition: "aws",
    region: "eu-west-1",
    accountId: "123456789012",
    clusterName: "aws-euw1",
    vpcId: "vpc-0abc",
  };
  const text = renderLoadBalancerControllerPolicy(scope);
  const statements = (JSON.parse(text) as { Statement: Stmt[] }).Statement;
  const actions = statements.flatMap((s) => s.Action);
  const readOnly = (a: string): boolean => /:(Describe|Get)/.test(a);

  it("fits IAM's managed policy size limit (6,144 characters without whitespace)", () => {
    expect(text.replace(/\s/g, "").length).toBeLessThan(6144);
  });

  it("allows what an NLB for a LoadBalancer Service needs", () => {
    for (const needed of [
      "iam:CreateServiceLinkedRole",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:CreateSecurityGroup",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:DeleteSecurityGroup",
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup",
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:RegisterTargets",
      "elasticloadbalancing:DeregisterTargets",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:AddTags",
    ]) {
      expect(actions, needed).toContain(needed);
    }
  });

  it("grants nothing for ALBs, WAF, Shield, Cognito or ACM, and no wildcard actions", () => {
    expect(
      actions.filter(
        (a) => /^(wafv2|waf-regional|shield|cognito-idp|acm):/.test(a) || a.includes("*") || /Rule$|WebAcl/.test(a),
      ),
    ).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain("/app/");
  });

  it("scopes every mutating statement by resource ARN or by a condition", () => {
    const allowedOpen = ["CreateSecurityGroup"]; // EC2 cannot scope CreateSecurityGroup without also gating its VPC.
    for (const s of statements.filter((st) => !st.Action.every(readOnly))) {
      const scoped = s.Condition !== undefined || s.Resource !== "*";
      expect(scoped || allowedOpen.includes(s.Sid), s.Sid).toBe(true);
    }
    for (const s of statements) {
      expect(s.Effect).toBe("Allow");
      for (const r of [s.Resource].flat()) {
        expect(
          r === "*" ||
            r.startsWith("arn:aws:ec2:eu-west-1:123456789012:") ||
            r.startsWith("arn:aws:elasticloadbalancing:eu-west-1:123456789012:"),
          r,
        ).toBe(true);
      }
    }
  });

  it("ties ownership to this cluster's tag and rule changes to this VPC", () => {
    const conditions = JSON.stringify(statements.map((s) => s.Condition ?? {}));
    expect(conditions).toContain('"aws:ResourceTag/elbv2.k8s.aws/cluster":"aws-euw1"');
    expect(conditions).toContain('"aws:RequestTag/elbv2.k8s.aws/cluster":"aws-euw1"');
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid["ManageSecurityGroupRulesInVpc"]?.Condition).toEqual({
      ArnEquals: { "ec2:Vpc": "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0abc" },
    });
    expect(bySid["CreateOwnedLoadBalancers"]?.Condition).toEqual({
      StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": "aws-euw1" },
    });
    expect(bySid["ManageOwnedLoadBalancers"]?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "aws-euw1" },
    });
    expect(bySid["RetagOwnedLoadBalancers"]?.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "aws-euw1" },
      Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "true" },
    });
  });

  it("writes ARNs in the given partition", () => {
    const cn = renderLoadBalancerControllerPolicy({ ...scope, partition: "aws-cn", region: "cn-north-1" });
    expect(cn).toContain("arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:targetgroup/*/*");
    expect(cn).not.toContain("arn:aws:");
  });
});
