import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { overlaps } from "../../plan/cidr";
import { interconnectOf } from "../../plan/interconnect";
import { type FleetSpec, parseFleetSpec } from "../../plan/spec";
import { fleetProgram } from "../../program";
import { rawConfigFromStackYaml } from "../../stacks/load";
import { type MockRun, type RecordedResource, runUnderMocks } from "../../tools/mock-runtime";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";
import type { PlanDocument } from "../../tools/plan-document";

const STACKS = readdirSync(join(PROJECT_ROOT, "stacks"))
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined)
  .sort();

function rawStack(stack: string): Record<string, unknown> {
  const file = join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`);
  return rawConfigFromStackYaml(readFileSync(file, "utf8"), file);
}

type RawCluster = Record<string, unknown> & { name: string };

function withClusters(stack: string, edit: (clusters: RawCluster[]) => RawCluster[]): FleetSpec {
  const raw = rawStack(stack);
  return parseFleetSpec({ ...raw, clusters: edit(raw["clusters"] as RawCluster[]) }, stack);
}

function run(spec: FleetSpec): Promise<MockRun> {
  return runUnderMocks(() => fleetProgram(spec), { project: "multicluster-mesh", stack: spec.environment });
}

/** Everything a preview would compare for one resource. */
function identity(r: RecordedResource): string {
  return JSON.stringify([r.type, r.parent, r.provider, r.protect, r.dependsOn, r.inputs]);
}

function byUrn(r: MockRun): Map<string, string> {
  return new Map(r.resources.map((x) => [x.urn, identity(x)]));
}

/** An east-west gateway Service's allow list, the one input prod's closed perimeter changes in the other clusters. */
function allowListOf(r: RecordedResource): string[] | undefined {
  const spec = r.inputs["spec"] as { loadBalancerSourceRanges?: string[] } | undefined;
  return r.name.endsWith("-eastwest-service") ? spec?.loadBalancerSourceRanges : undefined;
}

/** Everything a preview would compare, but the east-west gateway's allow list. */
function identityButAllowList(r: RecordedResource): string {
  if (allowListOf(r) === undefined) {
    return identity(r);
  }
  const spec = { ...(r.inputs["spec"] as Record<string, unknown>) };
  delete spec["loadBalancerSourceRanges"];
  return identity({ ...r, inputs: { ...r.inputs, spec } });
}

/** The resources of `before` whose identity differs in `after`, checked to differ only in their allow lists. */
function allowListChanges(before: MockRun, after: MockRun): { name: string; before: string[]; after: string[] }[] {
  const next = new Map(after.resources.map((r) => [r.urn, r]));
  const changed: { name: string; before: string[]; after: string[] }[] = [];
  for (const r of before.resources) {
    const other = next.get(r.urn);
    if (other === undefined || identity(other) === identity(r)) {
      continue;
    }
    expect(identityButAllowList(other), r.urn).toBe(identityButAllowList(r));
    changed.push({ name: r.name, before: allowListOf(r) ?? [], after: allowListOf(other) ?? [] });
  }
  return changed.sort((a, b) => a.name.localeCompare(b.name));
}

const PROD_GATEWAYS = ["aws-euw1", "aws-use1", "gcp-euw4", "gcp-usc1"].map((c) => `prod-${c}-eastwest-service`);

describe("every shipped stack", () => {
  it("ships the environments the README describes", () => {
    expect(STACKS).toEqual(["dev", "local", "prod", "staging", "submariner"]);
  });

  describe.each(STACKS)("%s", (stack) => {
    let doc: PlanDocument;
    beforeAll(async () => {
      const result = await runPlanCommand(["--stack", stack, "--format", "json"]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      doc = JSON.parse(result.stdout) as PlanDocument;
    });

    it("plans with no mandatory violation", () => {
      expect(doc.violations.filter((v) => v.enforcement === "mandatory")).toEqual([]);
    });

    it("registers the full graph: networks and clusters per cluster, trust, and the mesh", () => {
      const types = new Set(doc.resources.map((r) => r.type));
      const spec = parseFleetSpec(rawStack(stack), stack);
      expect(types).toContain("multicluster-mesh:trust:RootCa");
      expect(types).toContain(
        spec.mesh === "istio"
          ? "multicluster-mesh:mesh/istio:IstioMesh"
          : "multicluster-mesh:mesh/submariner:SubmarinerMesh",
      );
      for (const c of spec.clusters) {
        const kind = { aws: "EksCluster", gcp: "GkeCluster", existing: "ExistingCluster" }[c.cloud];
        expect(doc.resources.some((r) => r.type === `multicluster-mesh:cluster:${kind}` && r.name === c.name)).toBe(
          true,
        );
        expect(doc.resources.some((r) => r.type === "multicluster-mesh:trust:ClusterTrust" && r.name === c.name)).toBe(
          true,
        );
        // A workload CA (Istio) brings cacerts; a root bundle (Submariner) brings no CA key into the cluster.
        expect(
          doc.resources.some((r) => r.type === "kubernetes:core/v1:Secret" && r.name === `${c.name}-cacerts`),
        ).toBe(interconnectOf(spec.mesh).trust === "workload-ca");
        expect(
          doc.resources.some((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === `${c.name}-root-ca-bundle`),
        ).toBe(true);
      }
    });

    it("puts no CIDR of one cluster's resources inside another cluster's", () => {
      const spec = parseFleetSpec(rawStack(stack), stack);
      const owned: { cluster: string; cidr: string; where: string }[] = [];
      for (const r of doc.resources) {
        const owner = spec.clusters.find((c) => r.name.startsWith(`${c.name}-`))?.name;
        if (owner === undefined) continue;
        for (const cidr of cidrsIn(r)) owned.push({ cluster: owner, cidr, where: r.name });
      }
      expect(owned.length).toBeGreaterThanOrEqual(spec.clusters.filter((c) => c.cloud !== "existing").length * 2);
      const clashes = owned.flatMap((a) =>
        owned
          .filter((b) => a.cluster < b.cluster && overlaps(a.cidr, b.cidr))
          .map((b) => `${a.where} ${a.cidr} ~ ${b.where} ${b.cidr}`),
      );
      expect(clashes).toEqual([]);
    });
  });
});

/** The address ranges a resource's inputs carry. */
function cidrsIn(r: RecordedResource): string[] {
  const i = r.inputs as Record<string, unknown> & {
    kubernetesNetworkConfig?: { serviceIpv4Cidr?: string };
    secondaryIpRanges?: { ipCidrRange: string }[];
    privateClusterConfig?: { masterIpv4CidrBlock?: string };
  };
  switch (r.type) {
    case "aws:ec2/vpc:Vpc":
    case "aws:ec2/subnet:Subnet":
      return [i["cidrBlock"] as string];
    case "aws:eks/cluster:Cluster":
      return [i.kubernetesNetworkConfig?.serviceIpv4Cidr as string];
    case "gcp:compute/subnetwork:Subnetwork":
      return [i["ipCidrRange"] as string, ...(i.secondaryIpRanges ?? []).map((s) => s.ipCidrRange)];
    case "gcp:container/cluster:Cluster": {
      // Peered private clusters carry their /28 here; Private Service Connect ones in an endpoint subnetwork.
      const block = i.privateClusterConfig?.masterIpv4CidrBlock;
      return block === undefined ? [] : [block];
    }
    default:
      return [];
  }
}

describe("changing the fleet of a copy of prod touches nothing that belongs to the other clusters", () => {
  let base: MockRun;
  beforeAll(async () => {
    base = await run(withClusters("prod", (c) => c));
  });

  it("appending a cluster (a new region, the next slot) adds only its resources and its mesh pairs, and widens the other gateways' allow lists", async () => {
    const added = await run(
      withClusters("prod", (c) => [
        ...c,
        {
          name: "aws-apse2",
          cloud: "aws",
          region: "ap-southeast-2",
          zones: ["ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"],
          slot: 4,
        },
      ]),
    );
    const before = byUrn(base);
    const after = byUrn(added);
    // prod's perimeter is closed: each other gateway's allow list gains the new cluster's NAT addresses (an
    // in-place update of the Service); nothing else of the other clusters changes.
    const changes = allowListChanges(base, added);
    expect(changes.map((c) => c.name)).toEqual(PROD_GATEWAYS);
    for (const c of changes) {
      expect(c.after, c.name).toEqual(expect.arrayContaining(c.before));
      // Longer, not necessarily by three: the mock cloud's documentation-range addresses may coincide.
      expect(c.after.length, c.name).toBeGreaterThan(c.before.length);
    }
    const fresh = [...after.keys()].filter((u) => !before.has(u));
    const names = fresh.map((u) => u.slice(u.lastIndexOf("::") + 2));
    expect(names.filter((n) => !n.includes("aws-apse2"))).toEqual([]);
    // Istio: the new cluster's own pieces plus one remote secret in each direction per existing cluster.
    expect(names.filter((n) => /remote-secrets?-/.test(n) && n.includes("aws-apse2")).length).toBeGreaterThanOrEqual(
      2 * 4,
    );
  });

  it("removing a cluster removes only its resources and its mesh pairs, and narrows the other gateways' allow lists", async () => {
    const removed = await run(withClusters("prod", (c) => c.filter((x) => x.name !== "gcp-euw4")));
    const before = byUrn(base);
    const after = byUrn(removed);
    // The other gateways' allow lists lose gcp-euw4's NAT address (in place); nothing else of them changes.
    const changes = allowListChanges(base, removed);
    expect(changes.map((c) => c.name)).toEqual(PROD_GATEWAYS.filter((n) => !n.includes("gcp-euw4")));
    for (const c of changes) {
      expect(c.before, c.name).toEqual(expect.arrayContaining(c.after));
      expect(c.after.length, c.name).toBeLessThan(c.before.length);
    }
    const gone = [...before.keys()].filter((u) => !after.has(u));
    expect(gone.length).toBeGreaterThan(20);
    expect(gone.filter((u) => !u.includes("gcp-euw4"))).toEqual([]);
  });

  it("reordering the clusters changes nothing at all", async () => {
    const reordered = await run(withClusters("prod", (c) => [...c].reverse()));
    expect([...byUrn(reordered)].sort()).toEqual([...byUrn(base)].sort());
  });
});
