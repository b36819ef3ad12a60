/**
 * The gateway agents' pure parts: the pool filters, the GCP ids, the exact AWS policies and GCP permissions, and the
 * source/destination check script.
 */
import { describe, expect, it } from "vitest";
import {
  awsGatewayInstanceName,
  KUBEIP,
  KUBEIP_GCP_PERMISSIONS,
  kubeipAwsFilter,
  kubeipGcpAccountId,
  kubeipGcpFilter,
  kubeipGcpRoleId,
  renderKubeipAwsPolicy,
  renderSourceDestCheckPolicy,
  renderSourceDestCheckScript,
  SOURCE_DEST_CHECK_AGENT,
} from "../../../plan/cloud/gateway-agents";
import { GATEWAY_ADDRESS_POOL_LABEL, GATEWAY_ADDRESS_POOL_TAG } from "../../../plan/names";

const SCOPE = { partition: "aws", region: "us-west-2", accountId: "123456789012", physicalName: "prod-aws-usw2" };

describe("kubeip's pool filters", () => {
  it("select the cluster's pool by its tag (AWS describe-addresses syntax) or label (gcloud filter syntax)", () => {
    expect(GATEWAY_ADDRESS_POOL_TAG).toBe("multicluster-mesh/gateway-pool");
    expect(kubeipAwsFilter("prod-aws-usw2")).toBe("Name=tag:multicluster-mesh/gateway-pool,Values=prod-aws-usw2");
    expect(GATEWAY_ADDRESS_POOL_LABEL).toBe("multicluster-mesh-gateway-pool");
    expect(kubeipGcpFilter("prod-gcp-usw1")).toBe("labels.multicluster-mesh-gateway-pool=prod-gcp-usw1");
  });

  it("are one filter each: kubeip splits FILTER on ';' and would AND the parts", () => {
    expect(kubeipAwsFilter("a-b")).not.toContain(";");
    expect(kubeipGcpFilter("a-b")).not.toContain(";");
  });
});

describe("kubeip's AWS policy", () => {
  it("allows describing addresses and instances, and associating only the pool's addresses with this cluster's gateways", () => {
    expect(JSON.parse(renderKubeipAwsPolicy(SCOPE))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "FindPoolAndInstance",
          Effect: "Allow",
          Action: ["ec2:DescribeAddresses", "ec2:DescribeInstances"],
          Resource: "*",
        },
        {
          Sid: "AssociatePoolAddress",
          Effect: "Allow",
          Action: ["ec2:AssociateAddress"],
          Resource: "arn:aws:ec2:us-west-2:123456789012:elastic-ip/*",
          Condition: { StringEquals: { "aws:ResourceTag/multicluster-mesh/gateway-pool": "prod-aws-usw2" } },
        },
        {
          Sid: "AssociateWithGatewayNode",
          Effect: "Allow",
          Action: ["ec2:AssociateAddress"],
          Resource: [
            "arn:aws:ec2:us-west-2:123456789012:instance/*",
            "arn:aws:ec2:us-west-2:123456789012:network-interface/*",
          ],
          Condition: { StringEquals: { "aws:ResourceTag/Name": "prod-aws-usw2-gateway" } },
        },
      ],
    });
  });

  it("grants nothing else: no disassociation (addresses are kept on exit) and nothing outside EC2", () => {
    const actions = (
      JSON.parse(renderKubeipAwsPolicy(SCOPE)) as { Statement: { Action: string[] }[] }
    ).Statement.flatMap((s) => s.Action);
    expect([...new Set(actions)].sort()).toEqual([
      "ec2:AssociateAddress",
      "ec2:DescribeAddresses",
      "ec2:DescribeInstances",
    ]);
  });

  it("names the gateway instances as the launch template tags them", () => {
    expect(awsGatewayInstanceName("prod-aws-usw2")).toBe("prod-aws-usw2-gateway");
  });
});

describe("kubeip on GCP", () => {
  it("gets exactly the permissions its calls need", () => {
    expect([...KUBEIP_GCP_PERMISSIONS]).toEqual([
      "compute.addresses.get",
      "compute.addresses.list",
      "compute.addresses.use",
      "compute.instances.addAccessConfig",
      "compute.instances.deleteAccessConfig",
      "compute.instances.get",
      "compute.subnetworks.useExternalIp",
      "compute.zoneOperations.get",
    ]);
  });

  it("has a service account id of 6–30 characters and a role id GCP accepts, both distinct per environment", () => {
    const longest = "a".repeat(19) + "-" + "b".repeat(20);
    for (const physical of ["dev-gcp-usw1", "prod-gcp-usw1", longest]) {
      expect(kubeipGcpAccountId(physical)).toMatch(/^[a-z]([-a-z0-9]{4,28})[a-z0-9]$/);
      expect(kubeipGcpRoleId(physical)).toMatch(/^[a-zA-Z0-9_.]{3,64}$/);
    }
    expect(kubeipGcpAccountId("dev-gcp-usw1")).not.toBe(kubeipGcpAccountId("prod-gcp-usw1"));
    expect(kubeipGcpRoleId("prod-gcp-usw1")).toBe("kubeip_prod_gcp_usw1");
  });

  it("runs as the Kubernetes ServiceAccount kube-system/kubeip from the pinned v2 agent image", () => {
    expect(KUBEIP).toMatchObject({
      image: "doitintl/kubeip-agent:2.2.0",
      namespace: "kube-system",
      serviceAccount: "kubeip",
    });
  });
});

describe("the source/destination check agent", () => {
  it("may describe interfaces and change only this cluster's gateway interfaces", () => {
    expect(JSON.parse(renderSourceDestCheckPolicy(SCOPE))).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Sid: "FindGatewayInterface", Effect: "Allow", Action: ["ec2:DescribeNetworkInterfaces"], Resource: "*" },
        {
          Sid: "DisableSourceDestCheck",
          Effect: "Allow",
          Action: ["ec2:ModifyNetworkInterfaceAttribute"],
          Resource: "arn:aws:ec2:us-west-2:123456789012:network-interface/*",
          Condition: { StringEquals: { "aws:ResourceTag/Name": "prod-aws-usw2-gateway" } },
        },
      ],
    });
  });

  it("turns the check off on the node's primary interface, only when it is on, and looks again every interval", () => {
    const script = renderSourceDestCheckScript(600);
    expect(script).toContain(
      '"Name=addresses.private-ip-address,Values=${HOST_IP}" "Name=attachment.device-index,Values=0"',
    );
    expect(script).toContain('"Name=tag:Name,Values=${GATEWAY_NAME}"');
    expect(script).toContain('if [ "$2" != "False" ]; then');
    expect(script).toContain(
      'aws ec2 modify-network-interface-attribute --network-interface-id "$1" --no-source-dest-check',
    );
    // The instance attribute refuses instances with more than one interface, which VPC CNI attaches.
    expect(script).not.toContain("modify-instance-attribute");
    expect(script).toContain("sleep 600 & wait $!");
    expect(script.startsWith("set -eu\n")).toBe(true);
  });

  it("uses the pinned AWS CLI image", () => {
    expect(SOURCE_DEST_CHECK_AGENT.image).toBe("amazon/aws-cli:2.36.7");
    expect(renderSourceDestCheckScript()).toContain(`sleep ${SOURCE_DEST_CHECK_AGENT.intervalSeconds} & wait`);
  });
});
