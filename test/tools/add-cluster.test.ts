import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAddCluster } from "../../tools/add-cluster-command";
import { PROJECT_ROOT } from "../../tools/plan-command";
import { runRetireCluster } from "../../tools/retire-cluster-command";

const scratch = mkdtempSync(join(tmpdir(), "add-cluster-"));
let copies = 0;

/** A copy of a shipped stack file, named so that its stack (and policy config) is the shipped one's. */
function copyOf(stack: string): string {
  const dir = mkdtempSync(join(scratch, `${copies++}-`));
  const file = join(dir, `Pulumi.${stack}.yaml`);
  copyFileSync(join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`), file);
  return file;
}

const cases = [
  {
    stack: "dev",
    args: ["--cloud", "aws", "--region", "eu-west-1"],
    // dev's policy config asks for one zone; EKS needs two.
    appended:
      "    - name: aws-euw1\n      cloud: aws\n      region: eu-west-1\n      zones: [eu-west-1a, eu-west-1b]\n      slot: 2\n",
  },
  {
    stack: "staging",
    // A closed perimeter: the other clusters' gateways (3) admit the new cluster's egress.
    peerGateways: 3,
    args: ["--cloud", "gcp", "--region", "europe-west1"],
    appended:
      "    - name: gcp-euw1\n      cloud: gcp\n      region: europe-west1\n      zones: [europe-west1-b, europe-west1-c, europe-west1-d]\n      slot: 3\n      gcp:\n        project: acme-platform-staging\n",
  },
  {
    stack: "prod",
    peerGateways: 4,
    args: ["--cloud", "aws", "--region", "ap-southeast-2"],
    appended:
      "    - name: aws-apse2\n      cloud: aws\n      region: ap-southeast-2\n      zones: [ap-southeast-2a, ap-southeast-2b, ap-southeast-2c]\n      slot: 4\n",
  },
  {
    stack: "submariner",
    args: ["--cloud", "gcp", "--region", "us-east4"],
    // Every member admits the new peer's pod and service ranges and its gateway addresses: its peer rules change in
    // place (on GKE the sources of mesh-peers and tunnel-peers; on EKS the peer-ranges and peer-gateways prefix lists
    // and the VPC CNI's SNAT exclusions); nothing else of theirs does.
    updated: ["aws-cac1", "aws-usw2", "gcp-usw1"],
    changedResources: 8,
    appended:
      "    - name: gcp-use4\n      cloud: gcp\n      region: us-east4\n      zones: [us-east4-a, us-east4-b, us-east4-c]\n      slot: 3\n      gcp:\n        project: acme-platform-data\n",
  },
  {
    stack: "local",
    args: [
      ...["--cloud", "existing", "--region", "local", "--name", "kind-north", "--kubeconfig", "~/.kube/config"],
      ...["--context", "kind-north", "--endpoint", "https://north-control-plane:6443", "--nodes-cidr", "172.18.0.0/16"],
      ...["--pods-cidr", "10.3.0.0/17", "--services-cidr", "10.3.128.0/20"],
    ],
    appended:
      "    - name: kind-north\n      cloud: existing\n      region: local\n      zones: [local]\n      slot: 3\n      existing:\n        kubeconfig: ~/.kube/config\n        context: kind-north\n        endpoint: https://north-control-plane:6443\n      cidrs:\n        nodes: 172.18.0.0/16\n        pods: 10.3.0.0/17\n        services: 10.3.128.0/20\n",
  },
];

describe("npm run add-cluster, on every shipped stack", () => {
  it.each(cases)(
    "$stack: appends the next slot and the zones the environment needs, keeping every comment, and plans",
    async (c) => {
      const file = copyOf(c.stack);
      const before = readFileSync(file, "utf8");
      const result = await runAddCluster(["--config", file, ...c.args]);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(readFileSync(file, "utf8")).toBe(before + c.appended);
      const lines = result.stdout.split("\n");
      expect(lines[0]).toMatch(
        new RegExp(`^added [a-z0-9-]+ \\(.*\\): wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
      );
      // Submariner: every member admits the new peer's ranges, in place (its peer rules change). A closed perimeter
      // (staging, prod): every other gateway's allow list gains the new cluster's egress. Nothing else changes.
      const updated: readonly string[] = "updated" in c ? (c.updated ?? []) : [];
      const others = "peerGateways" in c ? (c.peerGateways ?? 0) : 0;
      const changed = "changedResources" in c ? c.changedResources : updated.length + others;
      expect(lines[2]).toMatch(new RegExp(` added, 0 removed, ${changed} changed, \\d+ unchanged$`));
      const table = lines.slice(lines.indexOf("Clusters") + 2, lines.indexOf("", lines.indexOf("Clusters")));
      const status = Object.fromEntries(table.map((l) => l.split(/ +/).slice(0, 2)));
      const name = /^added ([a-z0-9-]+) /.exec(lines[0] ?? "")?.[1] ?? "";
      expect(
        Object.entries(status)
          .filter(([, s]) => s !== "unchanged" && s !== "allow-list-only")
          .sort(),
      ).toEqual([[name, "added"], ...updated.map((u) => [u, "changed"])].sort());
      expect(Object.values(status).filter((s) => s === "allow-list-only")).toHaveLength(others);
      expect(Object.keys(status).length).toBeGreaterThanOrEqual(3);
      expect(result.stdout).toContain("No mandatory policy violation.");
    },
  );
});

describe("npm run add-cluster refuses", () => {
  it("a stack file whose name names no stack, unless --stack says which (it picks the policy config)", async () => {
    const file = join(mkdtempSync(join(scratch, "unnamed-")), "candidate.yaml");
    copyFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.prod.yaml"), file);
    const before = readFileSync(file, "utf8");
    const result = await runAddCluster(["--config", file, "--cloud", "aws", "--region", "ap-southeast-2"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: `--config ${file}: the file name names no stack (Pulumi names stack files Pulumi.<stack>.yaml) — rename it, or pass --stack <stack> to say which stack it is for\n`,
    });
    expect(readFileSync(file, "utf8")).toBe(before);
    const named = await runAddCluster([
      "--config",
      file,
      "--stack",
      "prod",
      "--cloud",
      "aws",
      "--region",
      "ap-southeast-2",
    ]);
    expect(named.code).toBe(0);
    // prod's policy config asks for three zones.
    expect(readFileSync(file, "utf8")).toContain("zones: [ap-southeast-2a, ap-southeast-2b, ap-southeast-2c]");
  });

  it("a region a same-cloud cluster uses and a name that is taken, at once, writing nothing", async () => {
    const file = copyOf("prod");
    const before = readFileSync(file, "utf8");
    const result = await runAddCluster(["--config", file, "--cloud", "aws", "--region", "us-east-1"]);
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: [
        "add-cluster: refused",
        '  --name: is already the name of clusters[0] ("aws-use1") — pass --name <another name>, e.g. with a suffix such as -b',
        '  --region: is already used by aws cluster aws-use1 (clusters[0]) ("us-east-1") — choose another region: clusters in one region share its outages (policy distinct-regions)',
        "",
      ].join("\n"),
    });
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("when the address space is full", async () => {
    const file = join(mkdtempSync(join(scratch, "full-")), "Pulumi.prod.yaml");
    writeFileSync(
      file,
      readFileSync(join(PROJECT_ROOT, "stacks", "Pulumi.dev.yaml"), "utf8").replace(
        "  multicluster-mesh:mesh: istio\n",
        "  multicluster-mesh:mesh: istio\n  multicluster-mesh:addressSpace: 10.0.0.0/15\n",
      ),
    );
    const result = await runAddCluster(["--config", file, "--cloud", "gcp", "--region", "europe-west4"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "add-cluster: refused\n" +
        '  multicluster-mesh:addressSpace: no never-used slot is left: the space holds 2 slot(s) of /16 (0–1), and a new cluster only takes a slot above the highest one ever used (1) ("10.0.0.0/15") — slots are never reused; widen addressSpace from the same first address (every slot keeps its ranges), or start a new environment\n',
    );
  });

  it("a region missing from the region table, and an existing cluster without its access and ranges", async () => {
    const file = copyOf("dev");
    const unknown = await runAddCluster(["--config", file, "--cloud", "gcp", "--region", "mars-north1"]);
    expect(unknown.stderr).toBe(
      "add-cluster: refused\n" +
        "  --name: is required: no conventional name for this cloud and region (missing) — pass --name <dns label>\n" +
        '  --region: is not a GCP region of the region table (plan/regions.ts) ("mars-north1") — check the spelling, pass its zones with --zones, or add the region to plan/regions.ts with its source\n',
    );
    const existing = await runAddCluster([
      "--config",
      file,
      "--cloud",
      "existing",
      "--region",
      "dc1",
      "--name",
      "onprem",
    ]);
    expect(existing.code).toBe(2);
    expect(existing.stderr.split("\n").slice(1, 6)).toEqual([
      "  --kubeconfig: is required for an existing cluster (missing) — pass --kubeconfig <path to a kubeconfig file>",
      "  --endpoint: is required for an existing cluster (missing) — pass --endpoint https://<API server as the other clusters reach it>",
      "  --nodes-cidr: is required for an existing cluster (missing) — pass the node network the cluster already uses",
      "  --pods-cidr: is required for an existing cluster (missing) — pass the pod network the cluster already uses",
      "  --services-cidr: is required for an existing cluster (missing) — pass the service network the cluster already uses",
    ]);
    const bad = await runAddCluster(["--config", file, "--cloud", "azure", "--region", "westeurope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n")[0]).toBe('--cloud must be one of aws, gcp, existing (got "azure")');
  });
});

describe("retire, then add", () => {
  it("never gives the retired slot to the new cluster, even in the same region", async () => {
    const file = copyOf("prod");
    const retired = await runRetireCluster(["--config", file, "--name", "gcp-euw4"]);
    expect(retired.code).toBe(0);
    const added = await runAddCluster(["--config", file, "--cloud", "gcp", "--region", "europe-west4"]);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("  multicluster-mesh:retiredSlots:\n    - { slot: 3, cluster: gcp-euw4 }\n");
    expect(
      text.endsWith(
        "      zones: [europe-west4-a, europe-west4-b, europe-west4-c]\n      slot: 4\n      gcp:\n        project: acme-platform-prod\n",
      ),
    ).toBe(true);
  });
});
