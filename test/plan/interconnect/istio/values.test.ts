import { DestinationRule } from "@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule";
import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1beta1/Gateway";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import fc from "fast-check";
import { Service } from "kubernetes-models/v1/Service";
import { describe, expect, it } from "vitest";
import type { IstioClusterPlan } from "../../../../plan/interconnect/istio/topology";
import {
  baseValues,
  crossNetworkGateway,
  eastWestGatewayValues,
  eastWestService,
  eastWestServiceAnnotations,
  istiodReleaseName,
  istiodValues,
  LOAD_BALANCER_KIND_ANNOTATIONS,
  localityFailoverRule,
  meshPeerAuthentication,
  proxyMetadata,
} from "../../../../plan/interconnect/istio/values";
import type { IstioSpec } from "../../../../plan/spec";
import { fleetSpec } from "../../../support/fixtures";

const istio = (overrides: Record<string, unknown> = {}): IstioSpec => fleetSpec(1, { istio: overrides }).istio;
const AWS: IstioClusterPlan = { name: "aws-use1", cloud: "aws", clusterName: "aws-use1", network: "net-a" };
const GCP: IstioClusterPlan = { name: "gcp-usc1", cloud: "gcp", clusterName: "gcp-usc1", network: "net-g" };

/** The upstream models ship networking v1beta1 / security v1beta1; their spec schemas equal v1's. */
function validateIstio(object: { apiVersion: string; kind: string; metadata: object; spec: object }): void {
  const data = { metadata: object.metadata, spec: object.spec } as never;
  switch (object.kind) {
    case "Gateway":
      new Gateway(data).validate();
      return;
    case "PeerAuthentication":
      new PeerAuthentication(data).validate();
      return;
    case "DestinationRule":
      new DestinationRule(data).validate();
      return;
    default:
      throw new Error(`no schema for ${object.kind}`);
  }
}

describe("istiod values", () => {
  it("carry the mesh id, this cluster's clusterName and network, DNS proxying and locality load balancing", () => {
    expect(istiodValues("prod-mesh", AWS, istio(), false)).toEqual({
      revision: "",
      global: { meshID: "prod-mesh", multiCluster: { clusterName: "aws-use1" }, network: "net-a" },
      autoscaleEnabled: true,
      autoscaleMin: 2,
      autoscaleMax: 5,
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: { app: "istiod", "istio.io/rev": "default" } },
        },
        {
          maxSkew: 1,
          topologyKey: "kubernetes.io/hostname",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { app: "istiod", "istio.io/rev": "default" } },
        },
      ],
      meshConfig: {
        defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } },
        localityLbSetting: { enabled: true },
        tcpKeepalive: { time: "120s", interval: "30s", probes: 3 },
      },
    });
  });

  it("keep the configured istiod replicas and a mesh-wide TCP keepalive, and select the revision's pods", () => {
    const values = istiodValues(
      "m",
      GCP,
      istio({
        revision: "canary",
        istiod: { replicas: 3, maxReplicas: 4 },
        tcpKeepalive: { timeSeconds: 60, intervalSeconds: 10, probes: 5 },
      }),
      false,
    );
    expect([values["autoscaleMin"], values["autoscaleMax"]]).toEqual([3, 4]);
    expect((values["meshConfig"] as Record<string, unknown>)["tcpKeepalive"]).toEqual({
      time: "60s",
      interval: "10s",
      probes: 5,
    });
    const spread = values["topologySpreadConstraints"] as { labelSelector: { matchLabels: object } }[];
    expect(spread.map((c) => c.labelSelector.matchLabels)).toEqual([
      { app: "istiod", "istio.io/rev": "canary" },
      { app: "istiod", "istio.io/rev": "canary" },
    ]);
  });

  it("turn on multi-root trust in istiod and the proxies while two roots are trusted", () => {
    const values = istiodValues("m", AWS, istio(), true);
    expect(values["env"]).toEqual({ ISTIO_MULTIROOT_MESH: "true" });
    expect(values["meshConfig"]).toEqual({
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true", PROXY_CONFIG_XDS_AGENT: "true" } },
      localityLbSetting: { enabled: true },
      tcpKeepalive: { time: "120s", interval: "30s", probes: 3 },
    });
  });

  it("leave DNS proxying and locality settings out when switched off", () => {
    const values = istiodValues("m", GCP, istio({ dnsProxy: false, localityFailover: false }), false);
    expect(values["meshConfig"]).toEqual({ tcpKeepalive: { time: "120s", interval: "30s", probes: 3 } });
    expect(values["global"]).toEqual({ meshID: "m", multiCluster: { clusterName: "gcp-usc1" }, network: "net-g" });
  });

  it("ask proxies to auto-allocate addresses only before Istio 1.25 (istiod does it itself from 1.25)", () => {
    expect(proxyMetadata(istio({ version: "1.24.3" }), false)).toEqual({
      ISTIO_META_DNS_CAPTURE: "true",
      ISTIO_META_DNS_AUTO_ALLOCATE: "true",
    });
    expect(proxyMetadata(istio({ version: "1.25.0" }), false)).toEqual({ ISTIO_META_DNS_CAPTURE: "true" });
    expect(proxyMetadata(istio({ version: "1.30.1", dnsProxy: false }), true)).toEqual({
      PROXY_CONFIG_XDS_AGENT: "true",
    });
  });

  it("name the release and the default validator by revision", () => {
    expect(istiodReleaseName(istio())).toBe("istiod");
    expect(baseValues(istio())).toEqual({ defaultRevision: "default" });
    expect(istiodReleaseName(istio({ revision: "canary" }))).toBe("istiod-canary");
    expect(baseValues(istio({ revision: "canary" }))).toEqual({ defaultRevision: "canary" });
  });
});

describe("east-west gateway values", () => {
  it("set labels, network view and ports by hand (no networkGateway), render no Service, and spread replicas", () => {
    expect(eastWestGatewayValues(AWS, istio({ gateway: { replicas: 3, maxReplicas: 6, minAvailable: 2 } }))).toEqual({
      revision: "",
      labels: { istio: "eastwestgateway", "topology.istio.io/network": "net-a" },
      env: { ISTIO_META_REQUESTED_NETWORK_VIEW: "net-a" },
      service: { type: "None" },
      replicaCount: 3,
      autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 6 },
      podDisruptionBudget: { minAvailable: 2 },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: "topology.kubernetes.io/zone",
          whenUnsatisfiable: "DoNotSchedule",
          labelSelector: { matchLabels: { app: "istio-eastwestgateway", istio: "eastwestgateway" } },
        },
        {
          maxSkew: 1,
          topologyKey: "kubernetes.io/hostname",
          whenUnsatisfiable: "ScheduleAnyway",
          labelSelector: { matchLabels: { app: "istio-eastwestgateway", istio: "eastwestgateway" } },
        },
      ],
      podAnnotations: { "proxy.istio.io/config": '{"terminationDrainDuration":"90s"}' },
      terminationGracePeriodSeconds: 100,
    });
    expect("networkGateway" in eastWestGatewayValues(AWS, istio())).toBe(false);
  });

  it("drain for drainSeconds and give Kubernetes 10 s more before it kills the pod", () => {
    const values = eastWestGatewayValues(
      GCP,
      istio({ gateway: { drainSeconds: 200, deregistrationDelaySeconds: 150 } }),
    );
    expect(values["podAnnotations"]).toEqual({ "proxy.istio.io/config": '{"terminationDrainDuration":"200s"}' });
    expect(values["terminationGracePeriodSeconds"]).toBe(210);
  });

  it("spread across zones softly on existing clusters, whose nodes may carry no zone label (kind)", () => {
    const existing = { ...AWS, cloud: "existing" as const };
    const spread = eastWestGatewayValues(existing, istio())["topologySpreadConstraints"] as {
      topologyKey: string;
      whenUnsatisfiable: string;
    }[];
    expect(spread.map((c) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ["topology.kubernetes.io/zone", "ScheduleAnyway"],
      ["kubernetes.io/hostname", "ScheduleAnyway"],
    ]);
  });

  it("create no PodDisruptionBudget for a single replica (it would block every drain)", () => {
    expect(eastWestGatewayValues(GCP, istio({ gateway: { replicas: 1 } }))["podDisruptionBudget"]).toEqual({});
  });
});

describe("east-west gateway Service", () => {
  it.each([
    [
      "aws",
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
      "aws",
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
      "gcp",
      "internal",
      {
        "networking.gke.io/load-balancer-type": "Internal",
        "networking.gke.io/internal-load-balancer-allow-global-access": "true",
      },
    ],
    ["gcp", "internet-facing", { "cloud.google.com/l4-rbs": "enabled" }],
    ["existing", "internet-facing", {}],
    ["existing", "internal", {}],
  ] as const)("%s, %s: %j", (cloud, exposure, annotations) => {
    expect(eastWestServiceAnnotations(cloud, istio({ gateway: { exposure } }).gateway)).toEqual(annotations);
  });

  it("changing the exposure always changes a load-balancer-kind annotation (so the Service is replaced, not mutated)", () => {
    fc.assert(
      fc.property(fc.constantFrom("aws", "gcp" as const), (cloud) => {
        const a = eastWestServiceAnnotations(cloud, istio({ gateway: { exposure: "internal" } }).gateway);
        const b = eastWestServiceAnnotations(cloud, istio({ gateway: { exposure: "internet-facing" } }).gateway);
        expect(LOAD_BALANCER_KIND_ANNOTATIONS.some((k) => a[k] !== b[k])).toBe(true);
      }),
    );
  });

  it("sets the 15443 listener's idle timeout and the deregistration delay from the config on AWS", () => {
    const gateway = istio({
      gateway: { idleTimeoutSeconds: 1800, deregistrationDelaySeconds: 30, drainSeconds: 45 },
    }).gateway;
    expect(eastWestServiceAnnotations("aws", gateway)).toMatchObject({
      "service.beta.kubernetes.io/aws-load-balancer-listener-attributes.TCP-15443": "tcp.idle_timeout.seconds=1800",
      "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "deregistration_delay.timeout_seconds=30",
    });
  });

  it("exposes only 15021 and 15443, selects the gateway pods, carries the network label and the source ranges", () => {
    const svc = eastWestService(AWS, istio({ gateway: { sourceRanges: ["198.51.100.0/24"] } }));
    expect(svc.metadata.labels).toEqual({
      app: "istio-eastwestgateway",
      istio: "eastwestgateway",
      "topology.istio.io/network": "net-a",
    });
    expect(svc.spec).toEqual({
      type: "LoadBalancer",
      selector: { app: "istio-eastwestgateway", istio: "eastwestgateway" },
      ports: [
        { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
        { name: "tls", port: 15443, targetPort: 15443, protocol: "TCP" },
      ],
      loadBalancerSourceRanges: ["198.51.100.0/24"],
    });
    expect("loadBalancerSourceRanges" in eastWestService(GCP, istio()).spec).toBe(false);
    expect(() =>
      new Service({ metadata: { ...svc.metadata, namespace: "istio-system" }, spec: svc.spec }).validate(),
    ).not.toThrow();
  });
});

describe("mesh-wide Istio objects", () => {
  it("cross-network Gateway: 15443 tls/TLS, AUTO_PASSTHROUGH, *.local, on the east-west gateway", () => {
    const gw = crossNetworkGateway();
    expect(gw).toEqual({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "cross-network-gateway", namespace: "istio-system" },
      spec: {
        selector: { istio: "eastwestgateway" },
        servers: [
          {
            port: { number: 15443, name: "tls", protocol: "TLS" },
            tls: { mode: "AUTO_PASSTHROUGH" },
            hosts: ["*.local"],
          },
        ],
      },
    });
    expect(() => validateIstio(gw)).not.toThrow();
  });

  it.each(["STRICT", "PERMISSIVE"] as const)("PeerAuthentication default in istio-system, mode %s", (mode) => {
    const pa = meshPeerAuthentication(istio({ mtls: mode }));
    expect(pa).toEqual({
      apiVersion: "security.istio.io/v1",
      kind: "PeerAuthentication",
      metadata: { name: "default", namespace: "istio-system" },
      spec: { mtls: { mode } },
    });
    expect(() => validateIstio(pa)).not.toThrow();
  });

  it("locality failover rule: outlier detection for every *.local host, no TLS override", () => {
    const dr = localityFailoverRule();
    expect(dr.metadata).toEqual({ name: "default-locality-failover", namespace: "istio-system" });
    expect(dr.spec).toEqual({
      host: "*.local",
      trafficPolicy: {
        outlierDetection: {
          consecutive5xxErrors: 5,
          interval: "10s",
          baseEjectionTime: "30s",
          maxEjectionPercent: 100,
        },
      },
    });
    expect(() => validateIstio(dr)).not.toThrow();
  });

  it("the schemas used here do reject a wrong object", () => {
    const gw = crossNetworkGateway();
    const broken = { ...gw, spec: { ...gw.spec, servers: [{ port: { number: "15443" }, tls: { mode: "PASSTHRU" } }] } };
    expect(() => validateIstio(broken)).toThrow("data/spec/servers/0/port/number must be integer");
  });
});
