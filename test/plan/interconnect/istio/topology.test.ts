import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../../../plan/issues";
import {
  checkIstioTopology,
  type IstioMember,
  MAX_ISTIO_CLUSTERS,
  planIstioTopology,
  remoteSecretsHeldBy,
  renderRemoteKubeconfig,
} from "../../../../plan/interconnect/istio/topology";

const member = (name: string, cloud: IstioMember["cloud"] = "aws", network = name): IstioMember => ({
  name,
  cloud,
  network,
});

describe("the size of a mesh", () => {
  const fleet = (n: number): IstioMember[] => Array.from({ length: n }, (_, i) => member(`c${i}`));

  it(`plans ${MAX_ISTIO_CLUSTERS} clusters, each holding a remote secret for every other`, () => {
    expect(MAX_ISTIO_CLUSTERS).toBe(64);
    expect(planIstioTopology("big-mesh", fleet(64)).remoteSecrets).toHaveLength(64 * 63);
  });

  it("refuses one more, naming clusters, the count, the cap and why", () => {
    expect(checkIstioTopology("big-mesh", fleet(65))).toEqual([
      {
        path: "clusters",
        message:
          "an Istio multi-primary mesh takes at most 64 clusters: every cluster holds a remote secret for every other (4160 secrets for 65 clusters) and every istiod watches all 64 other API servers",
        fix: "split the fleet into environments (stacks) of at most 64 clusters each, or use mesh: submariner",
        value: 65,
      },
    ]);
  });
});

describe("planIstioTopology", () => {
  it("gives every cluster its name as clusterName and keeps its network", () => {
    const t = planIstioTopology("prod-mesh", [
      member("aws-use1"),
      member("gcp-usc1", "gcp"),
      member("onprem", "existing", "dc-net"),
    ]);
    expect(t.meshId).toBe("prod-mesh");
    expect(t.clusters).toEqual([
      { name: "aws-use1", cloud: "aws", clusterName: "aws-use1", network: "aws-use1" },
      { name: "gcp-usc1", cloud: "gcp", clusterName: "gcp-usc1", network: "gcp-usc1" },
      { name: "onprem", cloud: "existing", clusterName: "onprem", network: "dc-net" },
    ]);
  });

  it("plans one remote secret per ordered pair, named and keyed by the source, sorted by target then source", () => {
    const t = planIstioTopology("m", [member("c"), member("a"), member("b")]);
    expect(t.remoteSecrets.map((s) => `${s.target}<-${s.source}`)).toEqual([
      "a<-b",
      "a<-c",
      "b<-a",
      "b<-c",
      "c<-a",
      "c<-b",
    ]);
    expect(t.remoteSecrets[0]).toEqual({
      source: "b",
      target: "a",
      key: "a-remote-secret-b",
      secretName: "istio-remote-secret-b",
      dataKey: "b",
      labels: { "istio/multiCluster": "true" },
      annotations: { "networking.istio.io/cluster": "b" },
    });
    expect(remoteSecretsHeldBy(t, "b").map((s) => s.source)).toEqual(["a", "c"]);
  });

  it.each([
    [1, 0],
    [2, 2],
    [3, 6],
    [5, 20],
  ])("%i clusters need %i remote secrets", (n, secrets) => {
    const t = planIstioTopology(
      "m",
      Array.from({ length: n }, (_, i) => member(`c${i}`)),
    );
    expect(t.remoteSecrets).toHaveLength(secrets);
  });

  it("throws every problem at once, by config path", () => {
    expect(() =>
      planIstioTopology("Mesh_1", [
        member("aws-use1"),
        member("Bad_Name"),
        member("aws-use1", "gcp", "net-"),
        member("ok", "gcp", "x".repeat(64)),
      ]),
    ).toThrow(
      new SpecError([
        {
          path: "istio.meshId",
          message: "mesh id must be a DNS label of at most 63 characters",
          fix: "use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
          value: "Mesh_1",
        },
        {
          path: "clusters[1].name",
          message: "cluster name must be a DNS label (it becomes the Istio clusterName)",
          fix: "use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
          value: "Bad_Name",
        },
        {
          path: "clusters[1].network",
          message: "network must be a DNS label",
          fix: "use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
          value: "Bad_Name",
        },
        {
          path: "clusters[2].name",
          message: "duplicate cluster name, already used by clusters[0]",
          fix: "give every cluster its own name",
          value: "aws-use1",
        },
        {
          path: "clusters[2].network",
          message: "network must be a DNS label",
          fix: "use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
          value: "net-",
        },
        {
          path: "clusters[3].network",
          message: "network must be a DNS label",
          fix: "use lowercase letters, digits and '-', starting with a letter and not ending with '-'",
          value: "x".repeat(64),
        },
      ]).message,
    );
  });

  it("renders the problems in the project's message form", () => {
    expect(() => planIstioTopology("m", [])).toThrow(
      "invalid stack config: 1 problem\n  multicluster-mesh:clusters: no clusters in the mesh ([]) — list at least one cluster (two or more make a mesh)",
    );
    expect(checkIstioTopology("m", [member("a"), member("b")])).toEqual([]);
  });
});

const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { minLength: 1, maxLength: 8 });
const pairs = (ns: readonly string[]): string[] =>
  planIstioTopology(
    "m",
    ns.map((n) => member(n)),
  ).remoteSecrets.map((s) => `${s.target}<-${s.source}`);

describe("planIstioTopology invariants", () => {
  it("N clusters: N·(N−1) secrets, no self pair, one secret name per target and source", () => {
    fc.assert(
      fc.property(names, (ns) => {
        const t = planIstioTopology(
          "m",
          ns.map((n) => member(n)),
        );
        expect(t.remoteSecrets).toHaveLength(ns.length * (ns.length - 1));
        expect(t.remoteSecrets.every((s) => s.source !== s.target && s.dataKey === s.source)).toBe(true);
        expect(new Set(t.remoteSecrets.map((s) => `${s.target}/${s.secretName}`)).size).toBe(t.remoteSecrets.length);
        expect(new Set(t.remoteSecrets.map((s) => s.key)).size).toBe(t.remoteSecrets.length);
        // Every data key is some cluster's clusterName.
        const clusterNames = new Set(t.clusters.map((c) => c.clusterName));
        expect(t.remoteSecrets.every((s) => clusterNames.has(s.dataKey))).toBe(true);
      }),
    );
  });

  it("the pairs do not depend on the clusters' order", () => {
    fc.assert(
      fc.property(
        names.chain((ns) =>
          fc.tuple(fc.constant(ns), fc.shuffledSubarray(ns, { minLength: ns.length, maxLength: ns.length })),
        ),
        ([ns, shuffled]) => {
          expect(pairs(shuffled)).toEqual(pairs(ns));
        },
      ),
    );
  });

  it("adding a cluster adds exactly its pairs and keeps every other secret as it was", () => {
    fc.assert(
      fc.property(names, fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), (ns, extra) => {
        fc.pre(!ns.includes(extra));
        const before = planIstioTopology(
          "m",
          ns.map((n) => member(n)),
        ).remoteSecrets;
        const after = planIstioTopology(
          "m",
          [...ns, extra].map((n) => member(n)),
        ).remoteSecrets;
        const added = after.filter((a) => !before.some((b) => JSON.stringify(b) === JSON.stringify(a)));
        expect(before.every((b) => after.some((a) => JSON.stringify(a) === JSON.stringify(b)))).toBe(true);
        expect(added).toHaveLength(2 * ns.length);
        expect(added.every((s) => s.source === extra || s.target === extra)).toBe(true);
      }),
    );
  });
});

describe("renderRemoteKubeconfig", () => {
  it("is a bearer-token kubeconfig named after the source cluster, with no exec plugin or client certificate", () => {
    const text = renderRemoteKubeconfig({
      clusterName: "aws-use1",
      server: "https://ABC.eks.amazonaws.com",
      caData: "Q0E=",
      token: "tok.en",
    });
    expect(parse(text)).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "aws-use1",
          cluster: { server: "https://ABC.eks.amazonaws.com", "certificate-authority-data": "Q0E=" },
        },
      ],
      contexts: [{ name: "aws-use1", context: { cluster: "aws-use1", user: "aws-use1" } }],
      "current-context": "aws-use1",
      preferences: {},
      users: [{ name: "aws-use1", user: { token: "tok.en" } }],
    });
  });
});
