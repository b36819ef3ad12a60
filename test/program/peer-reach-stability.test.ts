/**
 * What the peer rules do to the other clusters when one is appended, removed or moved in the stack file, through
 * `npm run plan -- --against` on the shipped submariner and prod stacks: the rules that admit a peer are named by that
 * peer, so the others only gain or lose that peer's rules, and update in place nothing but the lists that follow the
 * fleet (a GKE broker's or Istio peer's authorized networks, the peers' ranges).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DiffDocument, ResourceChange } from "../../tools/plan-diff";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";

const scratch = mkdtempSync(join(tmpdir(), "peer-reach-"));
const SUBMARINER = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.submariner.yaml"), "utf8");
const PROD = readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.prod.yaml"), "utf8");

const GCP_EUW4 = `    - name: gcp-euw4
      cloud: gcp
      region: europe-west4
      zones: [europe-west4-a, europe-west4-b, europe-west4-c]
      slot: 3
      gcp: { project: acme-platform-data }
`;
const AWS_CAC1 = `    - name: aws-cac1
      cloud: aws
      region: ca-central-1
      zones: [ca-central-1a, ca-central-1b, ca-central-1d]
      slot: 2
`;
const APSE2 = `    - name: aws-apse2
      cloud: aws
      region: ap-southeast-2
      zones: [ap-southeast-2a, ap-southeast-2b, ap-southeast-2c]
      slot: 4
`;

function write(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

async function diff(stack: string, before: string, after: string): Promise<DiffDocument> {
  const base = write(`base-${stack}.yaml`, before);
  const head = write(`Pulumi.${stack}.yaml`, after);
  const result = await runPlanCommand(["--config", head, "--stack", stack, "--against", base, "--format", "json"]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as DiffDocument;
}

/** What happened to the clusters in both plans, apart from resources that pair them with the one that came or went. */
function othersTouched(doc: DiffDocument, comingOrGoing: string): string[] {
  return doc.resources
    .filter((r) => r.cluster !== comingOrGoing && r.pairsWith !== comingOrGoing)
    .map((r) => `${r.change} ${r.name} ${r.paths.join(",")}`.trim())
    .sort();
}

const names = (rs: readonly ResourceChange[], change: ResourceChange["change"], cluster: string): string[] =>
  rs
    .filter((r) => r.change === change && r.cluster === cluster)
    .map((r) => r.name)
    .sort();

describe("submariner: a cluster's tunnel and control-plane rules follow its peers, named by peer", () => {
  it("appending a cluster gives each other member only that peer's rules, and updates peers' ranges in place", async () => {
    const doc = await diff("submariner", SUBMARINER, SUBMARINER + GCP_EUW4);
    expect(othersTouched(doc, "gcp-euw4")).toEqual([
      "changed aws-cac1-peer-gateways inputs.entries,inputs.maxEntries",
      "changed aws-cac1-peer-ranges inputs.entries,inputs.maxEntries",
      "changed aws-cac1-vpc-cni inputs.configurationValues",
      "changed aws-usw2-peer-gateways inputs.entries,inputs.maxEntries",
      "changed aws-usw2-peer-ranges inputs.entries,inputs.maxEntries",
      "changed aws-usw2-vpc-cni inputs.configurationValues",
      "changed gcp-usw1-mesh-peers inputs.sourceRanges",
      "changed gcp-usw1-tunnel-peers inputs.sourceRanges",
    ]);
    const pairs = (cluster: string): string[] =>
      names(
        doc.resources.filter((r) => r.pairsWith === "gcp-euw4"),
        "added",
        cluster,
      );
    // The new peer's addresses and ranges join the others' lists in place: no rule of theirs is added.
    expect(pairs("aws-usw2")).toEqual([]);
    expect(pairs("aws-cac1")).toEqual([]);
    expect(pairs("gcp-usw1")).toEqual([]);
    expect(names(doc.resources, "added", "gcp-euw4")).toEqual(
      expect.arrayContaining([
        "gcp-euw4-gateway-ip-1",
        "gcp-euw4-gateway-ip-2",
        "gcp-euw4-gateway-ip-3",
        "gcp-euw4-tunnel-peers",
      ]),
    );
    expect(doc.summary.removed).toBe(0);
  });

  it("removing a cluster takes only that peer's rules from the others", async () => {
    const doc = await diff("submariner", SUBMARINER, SUBMARINER.replace(AWS_CAC1, ""));
    expect(othersTouched(doc, "aws-cac1")).toEqual([
      "changed aws-usw2-peer-gateways inputs.entries,inputs.maxEntries",
      "changed aws-usw2-peer-ranges inputs.entries,inputs.maxEntries",
      "changed aws-usw2-vpc-cni inputs.configurationValues",
      "changed gcp-usw1-mesh-peers inputs.sourceRanges",
      "changed gcp-usw1-tunnel-peers inputs.sourceRanges",
    ]);
    expect(names(doc.resources, "removed", "gcp-usw1")).toEqual([]);
    expect(names(doc.resources, "removed", "aws-usw2")).toEqual([]);
    expect(doc.summary.added).toBe(0);
  });

  it("reordering the clusters changes nothing but the order of the peers' ranges, in place", async () => {
    const reordered = SUBMARINER.replace(AWS_CAC1, "").replace(
      "  multicluster-mesh:clusters:\n",
      `  multicluster-mesh:clusters:\n${AWS_CAC1}`,
    );
    expect(reordered).not.toBe(SUBMARINER);
    const doc = await diff("submariner", SUBMARINER, reordered);
    // The VPC CNI's and GKE's lists of peers' ranges are in member order; the prefix lists are by peer name, and every
    // tunnel, pool and authorized-network rule stays as it is.
    expect(doc.resources.map((r) => `${r.change} ${r.name} ${r.paths.join(",")}`)).toEqual([
      "changed aws-usw2-vpc-cni inputs.configurationValues",
      "changed gcp-usw1-mesh-peers inputs.sourceRanges[0],inputs.sourceRanges[1],inputs.sourceRanges[2],inputs.sourceRanges[3]",
    ]);
  });
});

describe("prod with GKE authorized networks: istiod of every peer reaches each API server", () => {
  const restricted = PROD.replaceAll(
    "gcp: { project: acme-platform-prod }",
    "gcp: { project: acme-platform-prod, authorizedNetworks: [{ name: office, cidr: 198.51.100.0/24 }] }",
  );

  it("appending a cluster updates the GKE clusters' authorized networks and the gateways' allow lists, in place", async () => {
    expect(restricted).not.toBe(PROD);
    const doc = await diff("prod", restricted, restricted + APSE2);
    expect(othersTouched(doc, "aws-apse2")).toEqual([
      "changed gcp-euw4-cluster inputs.masterAuthorizedNetworksConfig.cidrBlocks",
      "changed gcp-usc1-cluster inputs.masterAuthorizedNetworksConfig.cidrBlocks",
      "changed prod-aws-euw1-eastwest-service inputs.spec.loadBalancerSourceRanges",
      "changed prod-aws-use1-eastwest-service inputs.spec.loadBalancerSourceRanges",
      "changed prod-gcp-euw4-eastwest-service inputs.spec.loadBalancerSourceRanges",
      "changed prod-gcp-usc1-eastwest-service inputs.spec.loadBalancerSourceRanges",
    ]);
  });

  it("reordering the clusters changes nothing", async () => {
    // The last cluster (gcp-euw4) moves to the front.
    const first = restricted.indexOf("    - name: ");
    const last = restricted.indexOf("    - name: gcp-euw4");
    const reordered = restricted.slice(0, first) + restricted.slice(last) + restricted.slice(first, last);
    expect(reordered).not.toBe(restricted);
    expect(reordered.length).toBe(restricted.length);
    const doc = await diff("prod", restricted, reordered);
    expect(doc.resources).toEqual([]);
  });
});
