import * as pulumi from "@pulumi/pulumi";
import { Service } from "kubernetes-models/v1/Service";
import { describe, expect, it } from "vitest";
import { EastWestGateway } from "../../../../components/mesh/istio/east-west-gateway";
import type { IstioClusterPlan } from "../../../../plan/interconnect/istio/topology";
import type { IstioSpec } from "../../../../plan/spec";
import { byName, type MockRun, runUnderMocks } from "../../../../tools/mock-runtime";
import { fleetSpec } from "../../../support/fixtures";
import { type ClusterShape, readyCluster, short, withoutTypeMeta } from "./members";

const istio = (gateway: Record<string, unknown> = {}): IstioSpec => fleetSpec(1, { istio: { gateway } }).istio;

interface Captured {
  deleteBeforeReplace?: boolean;
  replaceOnChanges?: string[];
}

/** Runs one EastWestGateway `gw` and captures the Service's resource options through a stack transformation. */
async function gatewayRun(shape: ClusterShape, spec: IstioSpec): Promise<{ run: MockRun; serviceOptions: Captured }> {
  const serviceOptions: Captured = {};
  const run = await runUnderMocks(
    () => {
      pulumi.runtime.registerStackTransformation((args) => {
        if (args.name === "gw-service") {
          serviceOptions.deleteBeforeReplace = (args.opts as pulumi.CustomResourceOptions).deleteBeforeReplace;
          serviceOptions.replaceOnChanges = args.opts.replaceOnChanges;
        }
        return undefined;
      });
      const cluster = readyCluster(shape, 0);
      const istiod = new pulumi.ComponentResource("test:index:Istiod", "istiod-stand-in");
      const plan: IstioClusterPlan = {
        name: cluster.name,
        cloud: cluster.cloud,
        clusterName: cluster.name,
        network: `${cluster.name}-net`,
      };
      const gw = new EastWestGateway("gw", { cluster, plan, namespace: "istio-system", istio: spec, istiod });
      return { address: gw.address };
    },
    { project: "multicluster-mesh", stack: "test" },
  );
  return { run, serviceOptions };
}

const annotations = (run: MockRun): unknown =>
  (byName(run, "gw-service").inputs["metadata"] as Record<string, unknown>)["annotations"];

describe("EastWestGateway", () => {
  it("installs the gateway chart as istio-eastwestgateway after istiod and readiness, with labels, network view and sizes set by hand", async () => {
    const { run } = await gatewayRun(
      { name: "aws-use1", cloud: "aws", region: "us-east-1" },
      istio({ replicas: 3, maxReplicas: 7, minAvailable: 2 }),
    );
    const release = byName(run, "gw-release");
    expect(release.provider).toBe(byName(run, "aws-use1-k8s").urn);
    expect(release.dependsOn.map(short).sort()).toEqual([
      "kubernetes:core/v1:ConfigMap::aws-use1-ready",
      "test:index:Istiod::istiod-stand-in",
    ]);
    expect(release.inputs).toMatchObject({
      name: "istio-eastwestgateway",
      chart: "gateway",
      version: "1.28.0",
      namespace: "istio-system",
      repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" },
    });
    const values = release.inputs["values"] as Record<string, unknown>;
    expect(values).toMatchObject({
      labels: { istio: "eastwestgateway", "topology.istio.io/network": "aws-use1-net" },
      env: { ISTIO_META_REQUESTED_NETWORK_VIEW: "aws-use1-net" },
      service: { type: "None" },
      autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 7 },
      podDisruptionBudget: { minAvailable: 2 },
    });
    expect(values["topologySpreadConstraints"]).toContainEqual({
      maxSkew: 1,
      topologyKey: "topology.kubernetes.io/zone",
      whenUnsatisfiable: "DoNotSchedule",
      labelSelector: { matchLabels: { app: "istio-eastwestgateway", istio: "eastwestgateway" } },
    });
    expect(values["networkGateway"]).toBeUndefined();
  });

  it("renders its own LoadBalancer Service: network label, ports 15021 and 15443 only, after the release and readiness", async () => {
    const { run } = await gatewayRun(
      { name: "aws-use1", cloud: "aws", region: "us-east-1" },
      istio({ sourceRanges: ["198.51.100.0/24", "203.0.113.0/24"] }),
    );
    const svc = byName(run, "gw-service");
    expect(svc.parent).toBe(byName(run, "gw").urn);
    expect(svc.provider).toBe(byName(run, "aws-use1-k8s").urn);
    expect(svc.dependsOn.map(short).sort()).toEqual([
      "kubernetes:core/v1:ConfigMap::aws-use1-ready",
      "kubernetes:helm.sh/v3:Release::gw-release",
    ]);
    const body = withoutTypeMeta(svc.inputs);
    expect(body).toEqual({
      metadata: {
        name: "istio-eastwestgateway",
        namespace: "istio-system",
        labels: { app: "istio-eastwestgateway", istio: "eastwestgateway", "topology.istio.io/network": "aws-use1-net" },
        annotations: expect.any(Object),
      },
      spec: {
        type: "LoadBalancer",
        selector: { app: "istio-eastwestgateway", istio: "eastwestgateway" },
        ports: [
          { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
          { name: "tls", port: 15443, targetPort: 15443, protocol: "TCP" },
        ],
        loadBalancerSourceRanges: ["198.51.100.0/24", "203.0.113.0/24"],
      },
    });
    expect(() => new Service(body as never).validate()).not.toThrow();
    expect(run.outputs["address"]).toMatch(/^k8s-[0-9a-f]{20}\.elb\.us-east-1\.amazonaws\.com$/);
  });

  it.each([
    [
      { name: "aws-use1", cloud: "aws", region: "us-east-1" },
      "internet-facing",
      {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
        "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
        "service.beta.kubernetes.io/aws-load-balancer-listener-attributes.TCP-15443": "tcp.idle_timeout.seconds=600",
        "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes":
          "deregistration_delay.timeout_seconds=60",
      },
    ],
    [
      { name: "aws-euw1", cloud: "aws", region: "eu-west-1" },
      "internal",
      {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
        "service.beta.kubernetes.io/aws-load-balancer-attributes": "load_balancing.cross_zone.enabled=true",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "15021",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-path": "/healthz/ready",
        "service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol": "http",
        "service.beta.kubernetes.io/aws-load-balancer-listener-attributes.TCP-15443": "tcp.idle_timeout.seconds=600",
        "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes":
          "deregistration_delay.timeout_seconds=60",
      },
    ],
    [
      { name: "gcp-usc1", cloud: "gcp", region: "us-central1" },
      "internal",
      {
        "networking.gke.io/load-balancer-type": "Internal",
        "networking.gke.io/internal-load-balancer-allow-global-access": "true",
      },
    ],
    [
      { name: "gcp-usc1", cloud: "gcp", region: "us-central1" },
      "internet-facing",
      { "cloud.google.com/l4-rbs": "enabled" },
    ],
    [{ name: "onprem-dc1", cloud: "existing" }, "internet-facing", {}],
  ] as const)("%j, %s: annotations %j", async (shape, exposure, expected) => {
    const { run } = await gatewayRun(shape, istio({ exposure }));
    expect(annotations(run)).toEqual(expected);
    expect("loadBalancerSourceRanges" in (byName(run, "gw-service").inputs["spec"] as object)).toBe(false);
  });

  it("replaces the Service (delete first) instead of changing its load-balancer kind in place", async () => {
    const { serviceOptions } = await gatewayRun({ name: "gcp-usc1", cloud: "gcp", region: "us-central1" }, istio());
    expect(serviceOptions).toEqual({
      deleteBeforeReplace: true,
      replaceOnChanges: [
        'metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-type"]',
        'metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"]',
        'metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]',
        'metadata.annotations["networking.gke.io/load-balancer-type"]',
        'metadata.annotations["cloud.google.com/l4-rbs"]',
      ],
    });
  });

  it("creates the cross-network Gateway after the gateway release", async () => {
    const { run } = await gatewayRun({ name: "gcp-usc1", cloud: "gcp", region: "us-central1" }, istio());
    const gw = byName(run, "gw-cross-network");
    expect(gw.type).toBe("kubernetes:networking.istio.io/v1:Gateway");
    expect(gw.dependsOn.map(short)).toEqual(["kubernetes:helm.sh/v3:Release::gw-release"]);
    expect(gw.provider).toBe(byName(run, "gcp-usc1-k8s").urn);
    expect(run.outputs["address"]).toMatch(/^203\.0\.113\.\d+$/);
  });
});
