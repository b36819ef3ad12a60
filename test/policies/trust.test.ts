import { describe, expect, it } from "vitest";
import { edit, istioSpec, messagesOf, record, urnIn, violationsOf } from "./support";

const PEM = "-----BEGIN PRIVATE KEY-----\nUk9PVA==\n-----END PRIVATE KEY-----\n";
const istio = () => record(istioSpec());
const SHARED_FIX =
  "give every cluster its own intermediate key and certificate signed by the root (one ClusterTrust per cluster)";
const ROOT_FIX = "put only the cluster's own intermediate key in ca-key.pem and keep the root key out of every cluster";

describe("intermediate-ca-per-cluster", () => {
  it("passes the recorded fleet: each cacerts Secret depends on its own cluster's intermediate and the root certificate", async () => {
    const run = await istio();
    const deps = run.resources.find((r) => r.name === "aws-use1-cacerts")?.propertyDependencies?.["stringData"];
    expect(deps?.map((u) => u.slice(u.lastIndexOf("::") + 2))).toEqual([
      "aws-use1-intermediate-cert-root-1-g1",
      "aws-use1-intermediate-key-root-1-g1",
      "prod-root-cert-root-1",
    ]);
    expect(messagesOf(run, "intermediate-ca-per-cluster")).toEqual([]);
  });

  it("fails a cacerts Secret built from another cluster's intermediate", async () => {
    const base = await istio();
    const run = edit(base)
      .change("aws-use1-cacerts", (r) => ({
        propertyDependencies: {
          ...r.propertyDependencies,
          stringData: [
            urnIn(base, "gcp-usc1-intermediate-cert-root-1-g1"),
            urnIn(base, "gcp-usc1-intermediate-key-root-1-g1"),
          ],
        },
      }))
      .run();
    expect(violationsOf(run, "intermediate-ca-per-cluster")).toEqual([
      {
        policy: "intermediate-ca-per-cluster",
        enforcement: "mandatory",
        urn: urnIn(base, "aws-use1-cacerts"),
        message: `clusters aws-use1, gcp-usc1: share an intermediate CA, so one leaked or expiring intermediate affects all of them (gcp-usc1-intermediate-cert-root-1-g1) — ${SHARED_FIX}`,
      },
    ]);
  });

  it("fails two cacerts Secrets with the same plaintext certificate", async () => {
    const run = edit(await istio())
      .set("aws-use1-cacerts", "stringData", { "ca-cert.pem": "CERT", "ca-key.pem": "KEY-A" })
      .set("gcp-usc1-cacerts", "stringData", { "ca-cert.pem": "CERT", "ca-key.pem": "KEY-B" })
      .run();
    expect(messagesOf(run, "intermediate-ca-per-cluster")).toEqual([
      `clusters aws-use1, gcp-usc1: share an intermediate CA, so one leaked or expiring intermediate affects all of them (the same ca-cert.pem) — ${SHARED_FIX}`,
    ]);
  });
});

describe("root-key-off-cluster", () => {
  it("passes cacerts Secrets holding intermediates only (the root key signs, its certificate is shared)", async () => {
    expect(messagesOf(await istio(), "root-key-off-cluster")).toEqual([]);
  });

  it("fails a Secret that depends on the root key", async () => {
    const base = await istio();
    const run = edit(base)
      .change("aws-use1-cacerts", (r) => ({
        propertyDependencies: { ...r.propertyDependencies, stringData: [urnIn(base, "prod-root-key-root-1")] },
      }))
      .run();
    expect(violationsOf(run, "root-key-off-cluster")).toEqual([
      {
        policy: "root-key-off-cluster",
        enforcement: "mandatory",
        urn: urnIn(base, "aws-use1-cacerts"),
        message: `cluster aws-use1: Secret istio-system/cacerts holds the root CA key (depends on root key prod-root-key-root-1) — ${ROOT_FIX}`,
      },
    ]);
  });

  it("fails a Secret whose ca-key.pem is the root key's PEM (base64 in data)", async () => {
    const run = edit(await istio())
      .set("prod-root-key-root-1", "privateKeyPem", PEM)
      .set("gcp-usc1-cacerts", "stringData", undefined)
      .set("gcp-usc1-cacerts", "data", { "ca-key.pem": Buffer.from(PEM).toString("base64") })
      .run();
    expect(messagesOf(run, "root-key-off-cluster")).toEqual([
      `cluster gcp-usc1: Secret istio-system/cacerts holds the root CA key (ca-key.pem holds root key prod-root-key-root-1) — ${ROOT_FIX}`,
    ]);
  });

  it("fails a root-key.pem data key in any Secret", async () => {
    const e = edit(await istio());
    e.copy("gcp-usc1-cacerts", "gcp-usc1-backup", (inputs) => ({
      ...inputs,
      metadata: { name: "ca-backup", namespace: "default" },
      stringData: { "root-key.pem": "..." },
    }));
    expect(messagesOf(e.run(), "root-key-off-cluster")).toEqual([
      `cluster gcp-usc1: Secret default/ca-backup holds the root CA key (data key root-key.pem) — ${ROOT_FIX}`,
    ]);
  });

  it("tells the root key from the intermediates by the self-signed certificate that uses it", async () => {
    // The recorded root certificate names its key; an intermediate key in a Secret stays an intermediate.
    const base = await istio();
    const run = edit(base)
      .change("aws-use1-cacerts", (r) => ({
        propertyDependencies: {
          ...r.propertyDependencies,
          stringData: [urnIn(base, "aws-use1-intermediate-key-root-1-g1")],
        },
      }))
      .run();
    expect(messagesOf(run, "root-key-off-cluster")).toEqual([]);
  });
});

describe("protect-stateful-resources", () => {
  const STACK_FIX = "set multicluster-mesh:protect: true in the stack file";

  it("passes protected clusters, networks and root CA", async () => {
    expect(messagesOf(await istio(), "protect-stateful-resources")).toEqual([]);
  });

  it("is advisory by default and names each resource `protect: false` leaves unprotected (not the root CA)", async () => {
    const run = await record(istioSpec((raw) => ({ ...raw, protect: false })));
    expect(violationsOf(run, "protect-stateful-resources").map((v) => [v.enforcement, v.urn, v.message])).toEqual(
      [
        ["aws-use1", "aws:eks/cluster:Cluster aws-use1-cluster"],
        ["gcp-usc1", "gcp:container/cluster:Cluster gcp-usc1-cluster"],
        ["aws-use1", "aws:ec2/vpc:Vpc aws-use1-vpc"],
        ["gcp-usc1", "gcp:compute/network:Network gcp-usc1-network"],
      ].map(([c, what]) => [
        "advisory",
        urnIn(run, (what ?? "").split(" ")[1] ?? ""),
        `cluster ${c}: ${what} is not protected, so a destroy or a replacing change deletes it (protect: false) — ${STACK_FIX}`,
      ]),
    );
  });

  it("names an unprotected root key (the trust component protects it; an override would not)", async () => {
    const base = await istio();
    const run = edit(base)
      .change("prod-root-key-root-1", () => ({ protect: false }))
      .run();
    expect(violationsOf(run, "protect-stateful-resources")).toEqual([
      {
        policy: "protect-stateful-resources",
        enforcement: "advisory",
        urn: urnIn(base, "prod-root-key-root-1"),
        message:
          "root CA: tls:index/privateKey:PrivateKey prod-root-key-root-1 is not protected, so a destroy or a replacing change deletes it (protect: false) — protect the root key and certificate (the trust component does; do not override it)",
      },
    ]);
  });

  it("checks the configured types and the root CA only when asked", async () => {
    const run = edit(await istio())
      .change("gcp-usc1-cluster", () => ({ protect: false }))
      .change("prod-root-cert-root-1", () => ({ protect: false }))
      .run();
    expect(
      messagesOf(run, "protect-stateful-resources", { resourceTypes: ["aws:ec2/vpc:Vpc"], protectRootCa: false }),
    ).toEqual([]);
    expect(
      messagesOf(run, "protect-stateful-resources", {
        resourceTypes: ["gcp:container/cluster:Cluster"],
        protectRootCa: true,
      }),
    ).toEqual([
      `cluster gcp-usc1: gcp:container/cluster:Cluster gcp-usc1-cluster is not protected, so a destroy or a replacing change deletes it (protect: false) — ${STACK_FIX}`,
      "root CA: tls:index/selfSignedCert:SelfSignedCert prod-root-cert-root-1 is not protected, so a destroy or a replacing change deletes it (protect: false) — protect the root key and certificate (the trust component does; do not override it)",
    ]);
  });
});
