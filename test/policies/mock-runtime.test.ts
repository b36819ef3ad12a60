/**
 * The runner over a real mock run (tools/mock-runtime.ts): URNs with parent type chains, providers recorded by the
 * runtime, secrets redacted to "[secret]".
 */
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { describe, expect, it } from "vitest";
import { runUnderMocks } from "../../tools/mock-runtime";
import { violationsFor } from "../../tools/policy-runner";

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("multicluster-mesh:test:Holder", name, {}, {});
  }
}

describe("the runner over a mock run", () => {
  it("attributes resources by their recorded providers and parents, and leaves redacted values opaque", async () => {
    const run = await runUnderMocks(
      () => {
        const provider = new gcp.Provider("g1-gcp", { project: "mesh-dev-1234", region: "us-central1" });
        new gcp.container.Cluster("g1-cluster", { location: "us-central1-a", initialNodeCount: 1 }, { provider });
        const root = new Holder("dev");
        const key = new tls.PrivateKey("dev-root-key", { algorithm: "RSA", rsaBits: 4096 }, { parent: root });
        new tls.SelfSignedCert(
          "dev-root-cert",
          {
            privateKeyPem: key.privateKeyPem,
            isCaCertificate: true,
            validityPeriodHours: 87600,
            allowedUses: ["cert_signing"],
            subject: { commonName: "Root CA" },
          },
          { parent: root, protect: true },
        );
        const k8sProvider = new k8s.Provider("g1-k8s", { kubeconfig: pulumi.secret("apiVersion: v1") });
        new k8s.core.v1.Secret(
          "g1-backup",
          { metadata: { namespace: "default" }, stringData: { "root-key.pem": key.privateKeyPem } },
          { provider: k8sProvider },
        );
        return {};
      },
      { project: "multicluster-mesh", stack: "dev" },
    );
    // The bare GKE cluster also lacks secrets encryption; that rule is not what this test is about.
    const violations = violationsFor(run, {
      "protect-stateful-resources": "mandatory",
      "secrets-encryption": "disabled",
    });
    expect(violations.map((v) => [v.policy, v.enforcement, v.urn?.split("::").slice(2).join("::"), v.message])).toEqual(
      [
        [
          "gke-regional",
          "mandatory",
          "gcp:container/cluster:Cluster::g1-cluster",
          'cluster g1: GKE cluster is zonal, so its control plane is a single replica in one zone (location "us-central1-a") — set location to the region us-central1 and list the zones in nodeLocations',
        ],
        [
          "nodes-span-zones",
          "mandatory",
          "gcp:container/cluster:Cluster::g1-cluster",
          'cluster g1: nodes span 1 zone(s), fewer than minZones 3 (["us-central1-a"]) — list at least 3 zones for g1 in multicluster-mesh:clusters[].zones',
        ],
        [
          "vpc-per-cluster",
          "mandatory",
          "gcp:container/cluster:Cluster::g1-cluster",
          'cluster g1: has no VPC or network of its own (GKE cluster "g1-cluster") — create a network for g1 (tagged/labelled with its cluster name) instead of reusing one',
        ],
        [
          // Found through the recorded property dependencies: the Secret's data was computed from the root key.
          "root-key-off-cluster",
          "mandatory",
          "kubernetes:core/v1:Secret::g1-backup",
          "cluster g1: Secret default/g1-backup holds the root CA key (depends on root key dev-root-key) — put only the cluster's own intermediate key in ca-key.pem and keep the root key out of every cluster",
        ],
        [
          "protect-stateful-resources",
          "mandatory",
          "gcp:container/cluster:Cluster::g1-cluster",
          "cluster g1: gcp:container/cluster:Cluster g1-cluster is not protected, so a destroy or a replacing change deletes it (protect: false) — set multicluster-mesh:protect: true in the stack file",
        ],
        [
          "protect-stateful-resources",
          "mandatory",
          "multicluster-mesh:test:Holder$tls:index/privateKey:PrivateKey::dev-root-key",
          "root CA: tls:index/privateKey:PrivateKey dev-root-key is not protected, so a destroy or a replacing change deletes it (protect: false) — protect the root key and certificate (the trust component does; do not override it)",
        ],
      ],
    );
    // @pulumi/kubernetes marks a Secret's whole stringData secret, so its keys stay opaque offline; the finding
    // comes from the recorded property dependencies (the data was computed from the root key).
    expect(run.resources.find((r) => r.name === "g1-backup")?.inputs["stringData"]).toBe("[secret]");
    expect(violations.filter((v) => v.policy === "root-key-off-cluster")).toHaveLength(1);
  });
});
