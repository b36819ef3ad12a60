import { describe, expect, it } from "vitest";
import { istioFleet, messagesOf, urnOf, violationsOf } from "./support";

const PEM = "-----BEGIN PRIVATE KEY-----\nUk9PVA==\n-----END PRIVATE KEY-----\n";
const key = (name: string): string => urnOf("tls:index/privateKey:PrivateKey", name);
const cert = (name: string): string => urnOf("tls:index/locallySignedCert:LocallySignedCert", name);

describe("intermediate-ca-per-cluster", () => {
  it("passes an intermediate per cluster (redacted Secret data proves nothing either way)", () => {
    expect(messagesOf(istioFleet().run(), "intermediate-ca-per-cluster")).toEqual([]);
  });

  it("passes when each cacerts Secret depends on its own cluster's intermediate", () => {
    const b = istioFleet()
      .change("aws-use1-cacerts", () => ({
        propertyDependencies: {
          stringData: [cert("aws-use1-intermediate-cert-r1-g1"), key("aws-use1-intermediate-key-r1-g1")],
        },
      }))
      .change("gke-usc1-cacerts", () => ({
        propertyDependencies: {
          stringData: [cert("gke-usc1-intermediate-cert-r1-g1"), key("gke-usc1-intermediate-key-r1-g1")],
        },
      }));
    expect(messagesOf(b.run(), "intermediate-ca-per-cluster")).toEqual([]);
  });

  it("fails a cacerts Secret built from another cluster's intermediate", () => {
    const b = istioFleet().change("aws-use1-cacerts", () => ({
      propertyDependencies: {
        stringData: [cert("gke-usc1-intermediate-cert-r1-g1"), key("gke-usc1-intermediate-key-r1-g1")],
      },
    }));
    expect(violationsOf(b.run(), "intermediate-ca-per-cluster")).toEqual([
      {
        policy: "intermediate-ca-per-cluster",
        enforcement: "mandatory",
        urn: urnOf("kubernetes:core/v1:Secret", "aws-use1-cacerts"),
        message:
          "clusters aws-use1, gke-usc1: share an intermediate CA, so one leaked or expiring intermediate affects all of them (gke-usc1-intermediate-cert-r1-g1) — give every cluster its own intermediate key and certificate signed by the root (one ClusterTrust per cluster)",
      },
    ]);
  });

  it("fails two cacerts Secrets with the same plaintext certificate", () => {
    const b = istioFleet()
      .set("aws-use1-cacerts", "stringData", { "ca-cert.pem": "CERT", "ca-key.pem": "KEY-A" })
      .set("gke-usc1-cacerts", "stringData", { "ca-cert.pem": "CERT", "ca-key.pem": "KEY-B" });
    expect(messagesOf(b.run(), "intermediate-ca-per-cluster")).toEqual([
      "clusters aws-use1, gke-usc1: share an intermediate CA, so one leaked or expiring intermediate affects all of them (the same ca-cert.pem) — give every cluster its own intermediate key and certificate signed by the root (one ClusterTrust per cluster)",
    ]);
  });
});

describe("root-key-off-cluster", () => {
  it("passes cacerts Secrets holding intermediates only", () => {
    const b = istioFleet().change("aws-use1-cacerts", () => ({
      propertyDependencies: {
        stringData: [cert("aws-use1-intermediate-cert-r1-g1"), key("aws-use1-intermediate-key-r1-g1")],
      },
    }));
    expect(messagesOf(b.run(), "root-key-off-cluster")).toEqual([]);
  });

  it("fails a Secret that depends on the root key", () => {
    const b = istioFleet().change("aws-use1-cacerts", () => ({
      propertyDependencies: { stringData: [key("test-root-key-r1")] },
    }));
    expect(violationsOf(b.run(), "root-key-off-cluster")).toEqual([
      {
        policy: "root-key-off-cluster",
        enforcement: "mandatory",
        urn: urnOf("kubernetes:core/v1:Secret", "aws-use1-cacerts"),
        message:
          "cluster aws-use1: Secret istio-system/cacerts holds the root CA key (depends on root key test-root-key-r1) — put only the cluster's own intermediate key in ca-key.pem and keep the root key out of every cluster",
      },
    ]);
  });

  it("fails a Secret whose ca-key.pem is the root key's PEM (base64 in data)", () => {
    const b = istioFleet()
      .set("test-root-key-r1", "privateKeyPem", PEM)
      .set("gke-usc1-cacerts", "stringData", undefined)
      .set("gke-usc1-cacerts", "data", { "ca-key.pem": Buffer.from(PEM).toString("base64") });
    expect(messagesOf(b.run(), "root-key-off-cluster")).toEqual([
      "cluster gke-usc1: Secret istio-system/cacerts holds the root CA key (ca-key.pem holds root key test-root-key-r1) — put only the cluster's own intermediate key in ca-key.pem and keep the root key out of every cluster",
    ]);
  });

  it("fails a root-key.pem data key in any Secret", () => {
    const b = istioFleet();
    b.add(
      "kubernetes:core/v1:Secret",
      "gke-usc1-backup",
      { metadata: { name: "ca-backup", namespace: "default" }, stringData: { "root-key.pem": "..." } },
      { provider: urnOf("pulumi:providers:kubernetes", "gke-usc1-k8s") },
    );
    expect(messagesOf(b.run(), "root-key-off-cluster")).toEqual([
      "cluster gke-usc1: Secret default/ca-backup holds the root CA key (data key root-key.pem) — put only the cluster's own intermediate key in ca-key.pem and keep the root key out of every cluster",
    ]);
  });

  it("tells the root key from the intermediates by the self-signed certificate that uses it", () => {
    // The root key's certificate names it explicitly; an intermediate key in the same parent stays an intermediate.
    const b = istioFleet()
      .change("test-root-cert-r1", () => ({ propertyDependencies: { privateKeyPem: [key("test-root-key-r1")] } }))
      .change("aws-use1-cacerts", () => ({
        propertyDependencies: { stringData: [key("aws-use1-intermediate-key-r1-g1")] },
      }));
    expect(messagesOf(b.run(), "root-key-off-cluster")).toEqual([]);
  });
});

describe("protect-stateful-resources", () => {
  it("passes protected clusters, networks and root CA", () => {
    expect(messagesOf(istioFleet().run(), "protect-stateful-resources")).toEqual([]);
  });

  it("is advisory by default and names each unprotected resource", () => {
    const b = istioFleet()
      .change("aws-use1-vpc", () => ({ protect: false }))
      .change("test-root-key-r1", () => ({ protect: false }));
    expect(violationsOf(b.run(), "protect-stateful-resources")).toEqual([
      {
        policy: "protect-stateful-resources",
        enforcement: "advisory",
        urn: urnOf("aws:ec2/vpc:Vpc", "aws-use1-vpc"),
        message:
          "cluster aws-use1: aws:ec2/vpc:Vpc aws-use1-vpc is not protected, so a destroy or a replacing change deletes it (protect: false) — set multicluster-mesh:protect: true in the stack file",
      },
      {
        policy: "protect-stateful-resources",
        enforcement: "advisory",
        urn: key("test-root-key-r1"),
        message:
          "root CA: tls:index/privateKey:PrivateKey test-root-key-r1 is not protected, so a destroy or a replacing change deletes it (protect: false) — protect the root key and certificate (the trust component does; do not override it)",
      },
    ]);
  });

  it("checks the configured types and the root CA only when asked", () => {
    const b = istioFleet()
      .change("gke-usc1-cluster", () => ({ protect: false }))
      .change("test-root-cert-r1", () => ({ protect: false }));
    expect(
      messagesOf(b.run(), "protect-stateful-resources", { resourceTypes: ["aws:ec2/vpc:Vpc"], protectRootCa: false }),
    ).toEqual([]);
    expect(
      messagesOf(b.run(), "protect-stateful-resources", {
        resourceTypes: ["gcp:container/cluster:Cluster"],
        protectRootCa: true,
      }),
    ).toEqual([
      "cluster gke-usc1: gcp:container/cluster:Cluster gke-usc1-cluster is not protected, so a destroy or a replacing change deletes it (protect: false) — set multicluster-mesh:protect: true in the stack file",
      "root CA: tls:index/selfSignedCert:SelfSignedCert test-root-cert-r1 is not protected, so a destroy or a replacing change deletes it (protect: false) — protect the root key and certificate (the trust component does; do not override it)",
    ]);
  });
});
