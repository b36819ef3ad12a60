import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { MeshCluster } from "../../../../components/cluster/contract";
import { readerKubeconfig, RemoteSecrets, type RemoteSource } from "../../../../components/mesh/istio/remote-secrets";
import { planIstioTopology, remoteSecretsHeldBy } from "../../../../plan/interconnect/istio/topology";
import { byName, runUnderMocks } from "../../../../tools/mock-runtime";
import { member, readyCluster, short } from "./members";

const topology = planIstioTopology("m", [
  { name: "aws-use1", cloud: "aws", network: "aws-use1" },
  { name: "gcp-usc1", cloud: "gcp", network: "gcp-usc1" },
  { name: "onprem-dc1", cloud: "existing", network: "dc" },
]);

describe("RemoteSecrets", () => {
  it("writes one Secret per source into the holder's istio-system, with a bearer-token kubeconfig for the source", async () => {
    const run = await runUnderMocks(
      () => {
        const holder = member(readyCluster({ name: "gcp-usc1", cloud: "gcp" }, 1));
        const istiod = new pulumi.ComponentResource("test:index:Istiod", "gcp-usc1-istiod");
        const sources = remoteSecretsHeldBy(topology, "gcp-usc1").map((plan, i): RemoteSource => {
          const source = readyCluster(
            { name: plan.source, cloud: plan.source === "aws-use1" ? "aws" : "existing" },
            i === 0 ? 0 : 2,
          );
          const token = new k8s.core.v1.Secret(
            `${plan.source}-token`,
            {
              metadata: {
                name: "t",
                namespace: "istio-system",
                annotations: { "kubernetes.io/service-account.name": "istio-reader-service-account" },
              },
              type: "kubernetes.io/service-account-token",
            },
            { provider: source.provider },
          );
          const endpoint = pulumi.output(`https://${plan.source}.example.net:6443`);
          const kubeconfig = readerKubeconfig(
            { name: plan.source, endpoint, caData: pulumi.output(`CA-${plan.source}`) },
            plan.dataKey,
            token,
          );
          return { plan, kubeconfig, token };
        });
        const secrets = new RemoteSecrets("rs", {
          cluster: holder.cluster,
          namespace: holder.namespace,
          sources,
          istiod,
        });
        return {
          data: Object.fromEntries(Object.entries(secrets.secrets).map(([k, s]) => [k, pulumi.unsecret(s.stringData)])),
          tokens: Object.fromEntries(
            sources.map((s) => [s.plan.source, pulumi.unsecret((s.token as k8s.core.v1.Secret).data)]),
          ),
        };
      },
      { project: "multicluster-mesh", stack: "test" },
    );
    const data = run.outputs["data"] as Record<string, Record<string, string>>;
    const tokens = run.outputs["tokens"] as Record<string, Record<string, string>>;
    expect(Object.keys(data).sort()).toEqual(["aws-use1", "onprem-dc1"]);
    for (const source of ["aws-use1", "onprem-dc1"]) {
      const r = byName(run, `rs-${source}`);
      expect(r.provider).toBe(byName(run, "gcp-usc1-k8s").urn);
      expect(r.dependsOn.map(short).sort()).toEqual(
        [
          `kubernetes:core/v1:Namespace::gcp-usc1-istio-system`,
          `kubernetes:core/v1:Secret::${source}-token`,
          "test:index:Istiod::gcp-usc1-istiod",
        ].sort(),
      );
      expect(Object.keys(data[source] ?? {})).toEqual([source]);
      expect(parse(data[source]?.[source] ?? "")).toEqual({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
          {
            name: source,
            cluster: { server: `https://${source}.example.net:6443`, "certificate-authority-data": `CA-${source}` },
          },
        ],
        contexts: [{ name: source, context: { cluster: source, user: source } }],
        "current-context": source,
        preferences: {},
        users: [{ name: source, user: { token: Buffer.from(tokens[source]?.["token"] ?? "", "base64").toString() } }],
      });
    }
  });

  it("refuses secrets planned for another cluster, or for the holder itself, before registering anything", () => {
    const holder = { name: "gcp-usc1", cloud: "gcp", network: "gcp-usc1" } as MeshCluster;
    const token = {} as k8s.core.v1.Secret;
    const forAws = remoteSecretsHeldBy(topology, "aws-use1");
    const self = { ...(forAws[0] as (typeof forAws)[number]), source: "gcp-usc1", target: "gcp-usc1" };
    const sources = [...forAws, self].map((plan): RemoteSource => ({ plan, kubeconfig: pulumi.output("x"), token }));
    expect(
      () =>
        new RemoteSecrets("rs", { cluster: holder, namespace: "istio-system", sources, istiod: {} as pulumi.Resource }),
    ).toThrow(
      "RemoteSecrets rs (in gcp-usc1): the secret for gcp-usc1 is planned for aws-use1; the secret for onprem-dc1 is planned for aws-use1; gcp-usc1 cannot hold a remote secret for itself",
    );
  });
});
