import { describe, expect, it } from "vitest";
import { edit, istioSpec, messagesOf, record, stackSpec, urnIn, violationsOf } from "./support";

/** prod's first two clusters (EKS aws-use1, GKE gcp-usc1), perimeter closed. */
const istio = () => record(istioSpec());
/** The same two clusters with the dev stack's open perimeter. */
const open = () =>
  record(
    istioSpec((raw) => ({
      ...raw,
      istio: { gateway: { replicas: 3, maxReplicas: 6, minAvailable: 2, allowPeersOnly: false } },
    })),
  );

describe("gke-nat-ports", () => {
  it("passes dynamic port allocation with the default minimum (1024) in every shipped GKE stack", async () => {
    for (const stack of ["dev", "staging", "prod", "submariner"]) {
      expect(messagesOf(await record(stackSpec(stack)), "gke-nat-ports"), stack).toEqual([]);
    }
  });

  it("fails static port allocation", async () => {
    const base = await istio();
    const run = edit(base).set("gcp-usc1-nat", "enableDynamicPortAllocation", undefined).run();
    expect(violationsOf(run, "gke-nat-ports")).toEqual([
      {
        policy: "gke-nat-ports",
        enforcement: "mandatory",
        urn: urnIn(base, "gcp-usc1-nat"),
        message:
          "cluster gcp-usc1: Cloud NAT allocates ports statically (enableDynamicPortAllocation false) — set enableDynamicPortAllocation: true with minPortsPerVm 1024 or more (multicluster-mesh:clusters[i].gcp.nat)",
      },
    ]);
  });

  it("fails a minimum below the configured one, and passes it once the configured minimum is lowered", async () => {
    const run = edit(await istio())
      .set("gcp-usc1-nat", "minPortsPerVm", 256)
      .run();
    expect(messagesOf(run, "gke-nat-ports")).toEqual([
      "cluster gcp-usc1: Cloud NAT guarantees a node fewer than 1024 ports (minPortsPerVm 256) — raise multicluster-mesh:clusters[i].gcp.nat.minPortsPerVm to 1024 or more",
    ]);
    expect(messagesOf(run, "gke-nat-ports", { minPortsPerVm: 256 })).toEqual([]);
  });
});

describe("secrets-encryption", () => {
  it("passes GKE clusters with application-layer secrets encryption", async () => {
    expect(messagesOf(await istio(), "secrets-encryption", { clusters: ["gke"] })).toEqual([]);
  });

  it("fails a GKE cluster without it", async () => {
    const base = await istio();
    const run = edit(base).set("gcp-usc1-cluster", "databaseEncryption", undefined).run();
    expect(violationsOf(run, "secrets-encryption", { clusters: ["gke"] })).toEqual([
      {
        policy: "secrets-encryption",
        enforcement: "mandatory",
        urn: urnIn(base, "gcp-usc1-cluster"),
        message:
          'cluster gcp-usc1: GKE stores Secrets without application-layer encryption (databaseEncryption.state "DECRYPTED") — set multicluster-mesh:clusters[i].gcp.secretsEncryption: true (a KMS key in the cluster\'s region)',
      },
    ]);
  });

  it("reads EKS encryptionConfig: passes one covering secrets, fails none or one without secrets", async () => {
    const base = await istio();
    const key = { keyArn: "arn:aws:kms:us-east-1:123456789012:key/mock" };
    const covered = edit(base).set("aws-use1-cluster", "encryptionConfig", { provider: key, resources: ["secrets"] });
    expect(messagesOf(covered.run(), "secrets-encryption")).toEqual([]);

    const none = edit(base).set("aws-use1-cluster", "encryptionConfig", undefined);
    expect(messagesOf(none.run(), "secrets-encryption")).toEqual([
      'cluster aws-use1: EKS stores Secrets without envelope encryption (no encryptionConfig) — set encryptionConfig with a KMS key (provider.keyArn) and resources ["secrets"]',
    ]);
    // Only GKE is required: the EKS cluster is not checked.
    expect(messagesOf(none.run(), "secrets-encryption", { clusters: ["gke"] })).toEqual([]);

    const other = edit(base).set("aws-use1-cluster", "encryptionConfig", { provider: key, resources: ["configmaps"] });
    expect(messagesOf(other.run(), "secrets-encryption")).toEqual([
      'cluster aws-use1: EKS envelope encryption does not cover Secrets (encryptionConfig.resources ["configmaps"]) — add "secrets" to encryptionConfig.resources',
    ]);
  });
});

describe("gateway-perimeter-closed", () => {
  const FIX =
    "set multicluster-mesh:istio.gateway.allowPeersOnly: true (or list multicluster-mesh:istio.gateway.sourceRanges)";

  it("passes gateways that admit only the peers' egress addresses (staging and prod)", async () => {
    expect(messagesOf(await istio(), "gateway-perimeter-closed")).toEqual([]);
    expect(messagesOf(await record(stackSpec("staging")), "gateway-perimeter-closed")).toEqual([]);
  });

  it("fails every gateway open to any source", async () => {
    const base = await open();
    expect(violationsOf(base, "gateway-perimeter-closed")).toEqual([
      {
        policy: "gateway-perimeter-closed",
        enforcement: "mandatory",
        urn: urnIn(base, "prod-aws-use1-eastwest-service"),
        message: `cluster aws-use1: the east-west gateway accepts any source address (no loadBalancerSourceRanges) — ${FIX}`,
      },
      {
        policy: "gateway-perimeter-closed",
        enforcement: "mandatory",
        urn: urnIn(base, "prod-gcp-usc1-eastwest-service"),
        message: `cluster gcp-usc1: the east-west gateway accepts any source address (no loadBalancerSourceRanges) — ${FIX}`,
      },
    ]);
  });

  it("fails a list that admits the whole internet", async () => {
    const run = edit(await istio())
      .set("prod-gcp-usc1-eastwest-service", "spec.loadBalancerSourceRanges", ["203.0.113.7/32", "0.0.0.0/0"])
      .run();
    expect(messagesOf(run, "gateway-perimeter-closed")).toEqual([
      `cluster gcp-usc1: the east-west gateway accepts any source address (loadBalancerSourceRanges ["203.0.113.7/32","0.0.0.0/0"]) — ${FIX}`,
    ]);
  });
});
