import { describe, expect, it } from "vitest";
import { renderIssue } from "../../plan/issues";
import { checkFleetConfig, DEFAULT_KUBERNETES_VERSION, STANDARD_SUPPORT_VERSIONS } from "../../plan/spec";

const aws0 = { name: "aws-use1", cloud: "aws", region: "us-east-1", zones: ["us-east-1a", "us-east-1b"], slot: 0 };
const gcp1 = {
  name: "gcp-usc1",
  cloud: "gcp",
  region: "us-central1",
  zones: ["us-central1-a"],
  slot: 1,
  gcp: { project: "acme-platform" },
};

function problems(cluster: Record<string, unknown>): string[] {
  return checkFleetConfig({ mesh: "istio", clusters: [cluster] }, "dev").map(renderIssue);
}

describe("Kubernetes versions the clouds offer", () => {
  it("defaults to a version every cloud offers in standard support on its default channel", () => {
    expect(DEFAULT_KUBERNETES_VERSION).toBe("1.35");
    expect(STANDARD_SUPPORT_VERSIONS.aws.standard).toContain(DEFAULT_KUBERNETES_VERSION);
    expect(STANDARD_SUPPORT_VERSIONS.gcp.REGULAR).toContain(DEFAULT_KUBERNETES_VERSION);
    expect(problems(aws0)).toEqual([]);
    expect(problems(gcp1)).toEqual([]);
  });

  it("refuses a version outside EKS standard support, naming the supported ones", () => {
    expect(problems({ ...aws0, kubernetesVersion: "1.33" })).toEqual([
      'multicluster-mesh:clusters[0].kubernetesVersion: EKS standard support does not offer this version (table of 2026-11-29) ("1.33") — use one of: 1.34, 1.35',
    ]);
  });

  it("refuses a version the GKE channel does not offer, per channel", () => {
    expect(problems({ ...gcp1, kubernetesVersion: "1.33" })).toEqual([
      'multicluster-mesh:clusters[0].kubernetesVersion: GKE\'s REGULAR channel does not offer this version (table of 2026-11-29) ("1.33") — use one of: 1.34, 1.35, 1.36',
    ]);
    const stable = { ...gcp1, gcp: { project: "acme-platform", releaseChannel: "STABLE" } };
    expect(problems({ ...stable, kubernetesVersion: "1.36" })).toEqual([
      'multicluster-mesh:clusters[0].kubernetesVersion: GKE\'s STABLE channel does not offer this version (table of 2026-11-29) ("1.36") — use one of: 1.34, 1.35',
    ]);
    const rapid = { ...gcp1, gcp: { project: "acme-platform", releaseChannel: "RAPID" } };
    expect(problems({ ...rapid, kubernetesVersion: "1.37" })).toEqual([]);
  });

  it("leaves existing clusters' versions alone", () => {
    const kind = {
      name: "kind-east",
      cloud: "existing",
      region: "local",
      zones: ["local"],
      slot: 2,
      kubernetesVersion: "1.29",
      existing: { kubeconfig: "~/.kube/config", endpoint: "https://east-control-plane:6443" },
      cidrs: { nodes: "172.18.0.0/16", pods: "10.244.0.0/16", services: "10.96.0.0/16" },
    };
    expect(problems(kind)).toEqual([]);
  });
});

describe("machine types, node counts and disk sizes within each cloud's limits", () => {
  it("refuses a machine type of the other cloud, and one of neither", () => {
    expect(problems({ ...aws0, nodes: { instanceType: "e2-standard-4" } })).toEqual([
      'multicluster-mesh:clusters[0].nodes.instanceType: is a Compute Engine machine type, not an EC2 instance type ("e2-standard-4") — use an EC2 instance type such as m6i.large',
    ]);
    expect(problems({ ...gcp1, nodes: { instanceType: "m6i.large" } })).toEqual([
      'multicluster-mesh:clusters[0].nodes.instanceType: is an EC2 instance type, not a Compute Engine machine type ("m6i.large") — use a Compute Engine machine type such as e2-standard-4',
    ]);
    expect(problems({ ...aws0, nodes: { instanceType: "M6I.LARGE" } })).toEqual([
      'multicluster-mesh:clusters[0].nodes.instanceType: is not an EC2 instance type ("M6I.LARGE") — use an EC2 instance type such as m6i.large',
    ]);
    for (const ok of ["c7gn.16xlarge", "mac2-m2pro.metal", "u-6tb1.56xlarge", "m7i.metal-24xl", "t3.nano"]) {
      expect(problems({ ...aws0, nodes: { instanceType: ok } }), ok).toEqual([]);
    }
    for (const ok of ["n2-highmem-8", "c3-standard-4-lssd", "custom-4-16384", "a3-highgpu-8g"]) {
      expect(problems({ ...gcp1, nodes: { instanceType: ok } }), ok).toEqual([]);
    }
  });

  it("keeps an EKS node group within 450 nodes and a GKE pool within 1,000 per zone", () => {
    expect(problems({ ...aws0, nodes: { maxPerZone: 226 } })).toEqual([
      "multicluster-mesh:clusters[0].nodes.maxPerZone: makes 452 nodes in one node group over 2 zones; EKS allows 450 nodes per managed node group (the adjustable quota L-BD136A63) (226) — use 225 or fewer, or split the nodes over more clusters",
    ]);
    expect(problems({ ...aws0, nodes: { maxPerZone: 225 } })).toEqual([]);
    // Few NAT ports per node, so a thousand nodes still fit one NAT address and only the pool limit speaks.
    const fewPorts = { ...gcp1, gcp: { ...gcp1.gcp, nat: { minPortsPerVm: 32, maxPortsPerVm: 64 } } };
    expect(problems({ ...fewPorts, nodes: { maxPerZone: 1001 } })).toEqual([
      "multicluster-mesh:clusters[0].nodes.maxPerZone: is above 1000; GKE allows 1,000 nodes per node pool per zone (1001) — use 1000 or fewer, or split the nodes over more clusters",
    ]);
    expect(problems({ ...fewPorts, nodes: { maxPerZone: 1000 } })).toEqual([]);
  });

  it("bounds disk sizes per cloud", () => {
    expect(problems({ ...aws0, nodes: { diskSizeGiB: 10 } })).toEqual([
      "multicluster-mesh:clusters[0].nodes.diskSizeGiB: is outside 20–65536 GiB; EKS node disks are 20 GiB (the node image) to 64 TiB (gp3) (10) — use a size from 20 to 65536",
    ]);
    expect(problems({ ...gcp1, nodes: { diskSizeGiB: 10 } })).toEqual([]);
    expect(problems({ ...gcp1, nodes: { diskSizeGiB: 500000 } })).toEqual([
      "multicluster-mesh:clusters[0].nodes.diskSizeGiB: is outside 10–65536 GiB; GKE boot disks are 10 GB to 64 TiB (500000) — use a size from 10 to 65536",
    ]);
  });
});

describe("Submariner gateway machine types", () => {
  it("are each cloud's own", () => {
    const raw = {
      mesh: "submariner",
      clusters: [{ ...gcp1, zones: ["us-central1-a", "us-central1-b"] }],
      submariner: { gatewayNodes: { instanceTypes: { aws: "e2-standard-2", gcp: "c6in.large" } } },
    };
    expect(checkFleetConfig(raw, "dev").map(renderIssue)).toEqual([
      'multicluster-mesh:submariner.gatewayNodes.instanceTypes.aws: is not an EC2 instance type ("e2-standard-2") — use an EC2 instance type such as m6i.large',
      'multicluster-mesh:submariner.gatewayNodes.instanceTypes.gcp: is not a Compute Engine machine type ("c6in.large") — use a Compute Engine machine type such as e2-standard-4',
    ]);
  });
});
