/**
 * One attribution for the pack and the plan renderers (policies/attribution.ts): its order, and the two users
 * agreeing on every resource of every shipped stack.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { attribute, type Placeable, stackOfUrn } from "../../policies/attribution";
import { fleetFacts } from "../../policies/facts";
import { attributeResources, SHARED } from "../../tools/attribution";
import { PROJECT_ROOT } from "../../tools/plan-command";
import type { PlanDocument } from "../../tools/plan-document";
import { policyResources } from "../../tools/policy-runner";

const urn = (type: string, name: string): string => `urn:pulumi:dev::p::${type}::${name}`;

function view(type: string, name: string, more: Partial<Placeable> = {}): Placeable {
  return {
    urn: urn(type, name),
    type,
    name,
    parent: undefined,
    provider: undefined,
    props: {},
    dependencies: [],
    ...more,
  };
}

const AWS = urn("pulumi:providers:aws", "aws-use1-aws");
const K8S = urn("pulumi:providers:kubernetes", "gcp-usc1-k8s");

describe("attribute", () => {
  const resources = [
    view("pulumi:providers:aws", "aws-use1-aws"),
    view("pulumi:providers:kubernetes", "gcp-usc1-k8s"),
    // 1. the tag wins over the provider and the name
    view("aws:ec2/vpc:Vpc", "gcp-usc1-vpc", {
      provider: AWS,
      props: { tags: { "multicluster-mesh/cluster": "aws-use1" } },
    }),
    // 2. the provider wins over the name
    view("kubernetes:core/v1:Secret", "aws-use1-remote", { provider: K8S }),
    // 3. the request's locality, and the certificate issued for it, win over the name
    view("tls:index/certRequest:CertRequest", "aws-use1-csr", { props: { subject: { locality: "gcp-usc1" } } }),
    view("tls:index/locallySignedCert:LocallySignedCert", "aws-use1-cert", {
      dependencies: [urn("tls:index/certRequest:CertRequest", "aws-use1-csr")],
    }),
    // 4. the name, longest cluster first, or <environment>-<cluster>-…
    view("multicluster-mesh:mesh/istio:IstioCluster", "dev-aws-use1"),
    view("random:index/randomPassword:RandomPassword", "token", {
      parent: urn("multicluster-mesh:mesh/istio:IstioCluster", "dev-aws-use1"),
    }),
    view("tls:index/privateKey:PrivateKey", "dev-root-key"),
  ];
  const owner = attribute(resources, { environment: "dev" });
  const of = (name: string): string | undefined => owner.clusterOf(resources.find((r) => r.name === name)?.urn ?? "");

  it("finds the cluster names in tags and per-cluster providers", () => {
    expect(owner.clusters).toEqual(["aws-use1", "gcp-usc1"]);
  });

  it("takes tag, provider, trust link, name, parent in that order; the rest belongs to no cluster", () => {
    expect(resources.map((r) => `${r.name}=${owner.clusterOf(r.urn) ?? "-"}`)).toEqual([
      "aws-use1-aws=aws-use1",
      "gcp-usc1-k8s=gcp-usc1",
      "gcp-usc1-vpc=aws-use1",
      "aws-use1-remote=gcp-usc1",
      "aws-use1-csr=gcp-usc1",
      "aws-use1-cert=gcp-usc1",
      "dev-aws-use1=aws-use1",
      "token=aws-use1",
      "dev-root-key=-",
    ]);
    expect(of("nothing")).toBeUndefined();
  });

  it("chooses among the given names only, and strips the environment only when given", () => {
    const given = attribute(resources, { clusters: ["aws-use1"] });
    expect(given.clusterOf(urn("tls:index/certRequest:CertRequest", "aws-use1-csr"))).toBe("aws-use1");
    expect(given.clusterOf(urn("multicluster-mesh:mesh/istio:IstioCluster", "dev-aws-use1"))).toBeUndefined();
    expect(stackOfUrn(urn("x:y:Z", "n"))).toBe("dev");
    expect(stackOfUrn("not-a-urn")).toBeUndefined();
  });
});

describe("on every shipped stack", () => {
  const stacks = readdirSync(join(PROJECT_ROOT, "test", "program", "plans")).map((f) => f.replace(/\.json$/, ""));

  it.each(stacks)("%s: the pack and the plan renderers attribute every resource alike", (stack) => {
    const doc = JSON.parse(
      readFileSync(join(PROJECT_ROOT, "test", "program", "plans", `${stack}.json`), "utf8"),
    ) as PlanDocument;
    const resources = policyResources({ ...doc, outputs: {} });
    const facts = fleetFacts(resources);
    const renderers = attributeResources(
      doc.resources,
      facts.clusters.map((c) => c.name),
      doc.stack,
    );
    const pack = new Map(resources.map((r) => [r.urn, facts.clusterOf(r) ?? SHARED]));
    expect(pack).toEqual(renderers);
    expect(facts.clusters.length).toBeGreaterThanOrEqual(2);
    expect([...pack.values()].filter((c) => c !== SHARED).length).toBeGreaterThan(doc.resources.length / 2);
  });
});
