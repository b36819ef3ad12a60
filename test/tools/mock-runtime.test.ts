import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { describe, expect, it } from "vitest";
import { answerInvoke, MOCK_ACCOUNT_ID, MOCK_CALLER_ARN } from "../../tools/mock-answers";
import { byName, byType, type MockRun, runUnderMocks, SECRET } from "../../tools/mock-runtime";

const STACK = "urn:pulumi:test::multicluster-mesh::pulumi:pulumi:Stack::multicluster-mesh-test";

class Holder extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("multicluster-mesh:test:Holder", name, {}, opts);
    this.registerOutputs({});
  }
}

/** A small program touching every recorded field: parent, inherited provider, protect, dependsOn, secrets. */
function program(): Record<string, unknown> {
  const provider = new aws.Provider("east-aws", { region: "us-east-1" });
  const holder = new Holder("east", { provider });
  const vpc = new aws.ec2.Vpc(
    "east-vpc",
    { cidrBlock: "10.0.0.0/17", tags: { Name: "east", owner: pulumi.secret("platform") } },
    { parent: holder, protect: true },
  );
  new aws.ec2.Tag("east-vpc-flow-logs", { resourceId: vpc.id, key: "flow-logs", value: "off" }, { parent: vpc });
  const cluster = new aws.eks.Cluster(
    "east-eks",
    { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: [vpc.id] } },
    { parent: holder, dependsOn: [vpc] },
  );
  const kube = new k8s.Provider("east-k8s", {
    kubeconfig: pulumi.secret(pulumi.interpolate`server: ${cluster.endpoint}`),
  });
  const token = new k8s.core.v1.Secret(
    "east-reader-token",
    { type: "kubernetes.io/service-account-token", metadata: { name: "reader", namespace: "istio-system" } },
    { provider: kube },
  );
  const gateway = new k8s.core.v1.Service(
    "east-gateway",
    {
      metadata: { annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "external" } },
      spec: { type: "LoadBalancer", ports: [{ port: 15443 }] },
    },
    { provider: kube },
  );
  const key = new tls.PrivateKey("root-key", { algorithm: "RSA", rsaBits: 4096 });
  const caller = aws.getCallerIdentityOutput({}, { provider });
  return {
    endpoint: cluster.endpoint,
    gateway: gateway.status.loadBalancer.ingress[0]?.hostname,
    tokenData: pulumi.secret(token.data),
    rootKey: key.privateKeyPem,
    caller: caller.arn,
    plain: { nested: [1, "two"] },
  };
}

describe("runUnderMocks", () => {
  let run: MockRun;
  it("evaluates a program as a stack", async () => {
    run = await runUnderMocks(program, { project: "multicluster-mesh", stack: "test" });
    expect(run.resources.map((r) => r.type)).toContain("pulumi:pulumi:Stack");
  });

  it("records the parent tree, with the root stack as parent of top-level resources", () => {
    expect(byName(run, "east-vpc").parent).toBe(byName(run, "east").urn);
    expect(byName(run, "east").parent).toBe(STACK);
    expect(byName(run, "east-vpc").urn).toBe(
      "urn:pulumi:test::multicluster-mesh::multicluster-mesh:test:Holder$aws:ec2/vpc:Vpc::east-vpc",
    );
    expect(byType(run, "pulumi:pulumi:Stack")[0]?.parent).toBeNull();
    // As the engine names them: a direct child of the stack is not qualified by the stack's type.
    expect(byName(run, "east").urn).toBe("urn:pulumi:test::multicluster-mesh::multicluster-mesh:test:Holder::east");
    expect(byName(run, "east-aws").urn).toBe("urn:pulumi:test::multicluster-mesh::pulumi:providers:aws::east-aws");
  });

  it("records the resolved provider, including one inherited from a component", () => {
    const awsProvider = byName(run, "east-aws").urn;
    expect(byName(run, "east-vpc").provider).toBe(awsProvider);
    expect(byName(run, "east-eks").provider).toBe(awsProvider);
    expect(byName(run, "east-reader-token").provider).toBe(byName(run, "east-k8s").urn);
    expect(byName(run, "east").provider).toBeNull();
  });

  it("records protect (also when inherited from a parent) and dependsOn", () => {
    expect(byName(run, "east-vpc").protect).toBe(true);
    expect(byName(run, "east-vpc-flow-logs").protect).toBe(true);
    expect(byName(run, "east-eks").protect).toBe(false);
    expect(byName(run, "east-eks").dependsOn).toEqual([byName(run, "east-vpc").urn]);
  });

  it("records which resources each input was computed from", () => {
    expect(byName(run, "east-eks").propertyDependencies).toEqual({ vpcConfig: [byName(run, "east-vpc").urn] });
    expect(byName(run, "east-vpc").propertyDependencies).toEqual({});
  });

  it("records inputs with secret values redacted, leaf by leaf", () => {
    expect(byName(run, "east-vpc").inputs).toEqual({ cidrBlock: "10.0.0.0/17", tags: { Name: "east", owner: SECRET } });
    expect(byName(run, "east-k8s").inputs["kubeconfig"]).toBe(SECRET);
    expect(byName(run, "east-aws").inputs["region"]).toBe("us-east-1");
  });

  it("answers with realistic, region-aware values and resolves outputs, redacting secrets", () => {
    expect(run.outputs["endpoint"]).toMatch(/^https:\/\/[0-9A-F]{32}\.gr7\.us-east-1\.eks\.amazonaws\.com$/);
    expect(run.outputs["gateway"]).toMatch(/^k8s-[0-9a-f]{20}\.elb\.us-east-1\.amazonaws\.com$/);
    expect(run.outputs["tokenData"]).toBe(SECRET);
    expect(run.outputs["rootKey"]).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(run.outputs["caller"]).toBe(MOCK_CALLER_ARN);
    expect(run.outputs["plain"]).toEqual({ nested: [1, "two"] });
    expect(MOCK_CALLER_ARN).toContain(MOCK_ACCOUNT_ID);
  });

  it("is deterministic: a second run in the same process gives the same document", async () => {
    const again = await runUnderMocks(program, { project: "multicluster-mesh", stack: "test" });
    expect(again).toEqual(run);
  });

  it("fails loudly on an invoke it has no answer for", () => {
    expect(() => answerInvoke("aws:ec2/getAmi:getAmi", {}, {})).toThrow(
      "mock runtime: no answer for invoke aws:ec2/getAmi:getAmi; add one in tools/mock-answers.ts",
    );
  });

  it("rejects two resources with the same type and name", async () => {
    await expect(
      runUnderMocks(
        () => {
          new Holder("twin");
          new Holder("twin", { parent: new Holder("other") });
          return {};
        },
        { project: "multicluster-mesh", stack: "test" },
      ),
    ).rejects.toThrow("resources registered twice with the same type and name: multicluster-mesh:test:Holder::twin");
  });
});
