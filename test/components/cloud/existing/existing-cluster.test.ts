import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { ExistingCluster, type ExistingClusterArgs } from "../../../../components/cloud/existing/existing-cluster";
import { isInlineKubeconfig, kubeconfigCaData } from "../../../../components/cloud/existing/existing-kubeconfig";
import type { ClusterAddresses } from "../../../../plan/addresses-types";
import { fakePem } from "../../../../tools/mock-answers";
import { byName, byType, type MockRun, runUnderMocks } from "../../../../tools/mock-runtime";
import { clusterInput, contractOutputs, specFrom } from "../../../support/fixtures";

const STACK = "test";
const COMPONENT = `urn:pulumi:${STACK}::multicluster-mesh::multicluster-mesh:cluster:ExistingCluster::onprem-1`;
const ENDPOINT = "https://onprem-1.example.net:6443";
const CA_ONPREM = Buffer.from(fakePem("CERTIFICATE", "onprem")).toString("base64");
const CA_OTHER = Buffer.from(fakePem("CERTIFICATE", "other")).toString("base64");

/** A kubeconfig with two contexts; the current one is not the cluster's. */
function kubeconfig(
  onpremCluster: Record<string, unknown> = { "certificate-authority-data": CA_ONPREM },
  current = "other",
): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      { name: "kind-onprem", cluster: { server: "https://127.0.0.1:6443", ...onpremCluster } },
      { name: "other", cluster: { server: "https://other:6443", "certificate-authority-data": CA_OTHER } },
    ],
    contexts: [
      { name: "kind-onprem", context: { cluster: "kind-onprem", user: "admin" } },
      { name: "other", context: { cluster: "other", user: "admin" } },
    ],
    "current-context": current,
    users: [{ name: "admin", user: { token: "s3cr3t-token" } }],
  });
}

const PATH = "/home/platform/.kube/onprem.yaml";

const ADDRESSES: ClusterAddresses = {
  cluster: "onprem-1",
  cloud: "existing",
  slot: 7,
  nodes: "192.168.0.0/20",
  pods: "10.244.0.0/16",
  services: "10.96.0.0/16",
  subnets: [],
};

function argsFor(existing: { kubeconfig: string; context?: string }): ExistingClusterArgs {
  const fleet = specFrom({
    mesh: "istio",
    clusters: [
      clusterInput(0, {
        name: "onprem-1",
        cloud: "existing",
        region: "dc-frankfurt",
        zones: ["room-a", "room-b"],
        slot: 7,
        cidrs: { nodes: ADDRESSES.nodes, pods: ADDRESSES.pods, services: ADDRESSES.services },
        existing: { ...existing, endpoint: ENDPOINT },
      }),
    ],
  });
  const spec = fleet.clusters[0];
  if (spec === undefined) {
    throw new Error("fixture has no cluster");
  }
  return { spec, addresses: ADDRESSES };
}

async function plan(existing: { kubeconfig: string; context?: string }): Promise<MockRun> {
  const args = argsFor(existing);
  return runUnderMocks(
    () => {
      const m = new ExistingCluster("onprem-1", args).meshCluster;
      return {
        ...contractOutputs(m),
      };
    },
    { project: "multicluster-mesh", stack: STACK },
  );
}

const names = (run: MockRun): string[] => run.resources.map((r) => `${r.type}::${r.name}`).sort();

describe("ExistingCluster with an inline kubeconfig", () => {
  it("creates only the k8s provider, from the secret kubeconfig and the configured context", async () => {
    const run = await plan({ kubeconfig: kubeconfig(), context: "kind-onprem" });
    expect(names(run)).toEqual([
      "multicluster-mesh:cluster:ExistingCluster::onprem-1",
      "pulumi:providers:kubernetes::onprem-1-k8s",
      "pulumi:pulumi:Stack::multicluster-mesh-test",
    ]);
    const provider = byName(run, "onprem-1-k8s");
    expect(provider.parent).toBe(COMPONENT);
    expect(provider.inputs).toMatchObject({ kubeconfig: "[secret]", context: "kind-onprem" });
    expect(JSON.stringify(run.resources)).not.toContain("s3cr3t-token");
  });

  it("fills every MeshCluster field, taking the CA of the selected context's cluster", async () => {
    const run = await plan({ kubeconfig: kubeconfig(), context: "kind-onprem" });
    expect(run.outputs).toEqual({
      name: "onprem-1",
      cloud: "existing",
      region: "dc-frankfurt",
      zones: ["room-a", "room-b"],
      network: "onprem-1",
      addresses: ADDRESSES,
      endpoint: ENDPOINT,
      caData: CA_ONPREM,
      provider: byName(run, "onprem-1-k8s").urn,
      ready: [],
    });
  });

  it("uses the current context when none is configured", async () => {
    const run = await plan({ kubeconfig: kubeconfig() });
    expect(run.outputs["caData"]).toBe(CA_OTHER);
    expect(byName(run, "onprem-1-k8s").inputs["context"]).toBeUndefined();
  });

  it("reads kube-root-ca.crt when the selected cluster's CA is a file, not inline data", async () => {
    const run = await plan({
      kubeconfig: kubeconfig({ "certificate-authority": "/etc/kind/ca.crt" }),
      context: "kind-onprem",
    });
    expect(byType(run, "kubernetes:core/v1:ConfigMap").map((r) => r.name)).toEqual(["onprem-1-kube-root-ca"]);
    expect(run.outputs["caData"]).toBe(
      Buffer.from(fakePem("CERTIFICATE", "root-ca-onprem-1-kube-root-ca")).toString("base64"),
    );
  });

  it("rejects a context the kubeconfig does not have, naming the ones it has but never its contents", () => {
    const args = argsFor({ kubeconfig: kubeconfig(), context: "prod" });
    expect(() => new ExistingCluster("onprem-1", args)).toThrow(
      'ExistingCluster onprem-1: existing.kubeconfig: the kubeconfig has no context named "prod" — use one of: kind-onprem, other',
    );
  });

  it("asks for a context when the kubeconfig has no current-context", () => {
    const args = argsFor({ kubeconfig: kubeconfig(undefined, "") });
    expect(() => new ExistingCluster("onprem-1", args)).toThrow(
      "ExistingCluster onprem-1: existing.kubeconfig: the kubeconfig sets no current-context — set existing.context to one of its contexts",
    );
  });
});

describe("ExistingCluster with a kubeconfig path", () => {
  it("passes the path to the k8s provider and reads the CA from kube-public/kube-root-ca.crt through it", async () => {
    const run = await plan({ kubeconfig: PATH, context: "kind-onprem" });
    expect(names(run)).toEqual([
      "kubernetes:core/v1:ConfigMap::onprem-1-kube-root-ca",
      "multicluster-mesh:cluster:ExistingCluster::onprem-1",
      "pulumi:providers:kubernetes::onprem-1-k8s",
      "pulumi:pulumi:Stack::multicluster-mesh-test",
    ]);
    const provider = byName(run, "onprem-1-k8s");
    expect(provider.inputs).toMatchObject({ kubeconfig: PATH, context: "kind-onprem" });
    const read = byName(run, "onprem-1-kube-root-ca");
    expect(read.parent).toBe(COMPONENT);
    expect(read.provider).toBe(provider.urn);
  });

  it("fills every MeshCluster field, the CA base64-encoded from the ConfigMap's PEM", async () => {
    const run = await plan({ kubeconfig: PATH });
    expect(run.outputs).toEqual({
      name: "onprem-1",
      cloud: "existing",
      region: "dc-frankfurt",
      zones: ["room-a", "room-b"],
      network: "onprem-1",
      addresses: ADDRESSES,
      endpoint: ENDPOINT,
      caData: Buffer.from(fakePem("CERTIFICATE", "root-ca-onprem-1-kube-root-ca")).toString("base64"),
      provider: byName(run, "onprem-1-k8s").urn,
      ready: [],
    });
  });
});

describe("ExistingCluster arguments", () => {
  it("refuses a cluster of another cloud and someone else's addresses, listing both", () => {
    const gke = specFrom({ mesh: "istio", clusters: [clusterInput(1)] }).clusters[0];
    if (gke === undefined) {
      throw new Error("fixture has no cluster");
    }
    expect(() => new ExistingCluster("gcp-c1", { spec: gke, addresses: ADDRESSES })).toThrow(
      "ExistingCluster gcp-c1: the cluster's cloud is gcp, not existing — create a GkeCluster instead; " +
        "the cluster has no existing settings — set clusters[i].existing.kubeconfig and endpoint; " +
        "the addresses belong to cluster onprem-1 — pass this cluster's addresses",
    );
  });
});

describe("kubeconfig helpers", () => {
  it.each([
    ["/home/platform/.kube/config", false],
    ["~/.kube/config", false],
    ["kubeconfig.yaml", false],
    ["C:\\Users\\me\\.kube\\config", false],
    [kubeconfig(), true],
    [JSON.stringify({ apiVersion: "v1", kind: "Config", clusters: [] }), true],
  ])("isInlineKubeconfig(%j) is %s", (value, expected) => {
    expect(isInlineKubeconfig(value)).toBe(expected);
  });

  it("returns undefined when the selected cluster has no inline CA, and rejects what is not a kubeconfig", () => {
    expect(kubeconfigCaData(kubeconfig({ "insecure-skip-tls-verify": true }), "kind-onprem")).toBeUndefined();
    expect(kubeconfigCaData(kubeconfig(), "other")).toBe(CA_OTHER);
    expect(() => kubeconfigCaData("- just\n- a list\n")).toThrow(
      "the kubeconfig is not a YAML or JSON mapping — give the kubeconfig's contents or a path to it",
    );
  });
});
