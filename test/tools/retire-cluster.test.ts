import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runPlanCommand } from "../../tools/plan-command";
import { runRetireCluster } from "../../tools/retire-cluster-command";

const scratch = mkdtempSync(join(tmpdir(), "retire-cluster-"));
let copies = 0;

function copyOf(stack: string): string {
  const file = join(mkdtempSync(join(scratch, `${copies++}-`)), `Pulumi.${stack}.yaml`);
  copyFileSync(join(PROJECT_ROOT, "stacks", `Pulumi.${stack}.yaml`), file);
  return file;
}

const GCP_EUW4 = `    - name: gcp-euw4
      cloud: gcp
      region: europe-west4
      zones: [europe-west4-a, europe-west4-b, europe-west4-c]
      slot: 3
      nodes: { instanceType: e2-standard-8, countPerZone: 2, maxPerZone: 6 }
      gcp: { project: acme-platform-prod }
`;

describe("npm run retire-cluster", () => {
  it("removes the cluster, records its slot as retired, and shows that only its resources and pairings go", async () => {
    const file = copyOf("prod");
    const before = readFileSync(file, "utf8");
    const result = await runRetireCluster(["--config", file, "--name", "gcp-euw4"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(
      before
        .replace(GCP_EUW4, "")
        .replace(
          "  multicluster-mesh:clusters:\n",
          "  # Slots of retired clusters, never given to another cluster (npm run retire-cluster records them).\n" +
            "  multicluster-mesh:retiredSlots:\n    - { slot: 3, cluster: gcp-euw4 }\n  multicluster-mesh:clusters:\n",
        ),
    );
    const lines = result.stdout.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      `retired gcp-euw4 (slot 3 is now retired): wrote ${file}`,
      `note: protect is on: pulumi up refuses to delete gcp-euw4's network and cluster until they are unprotected (README "Retire a region")`,
      "",
    ]);
    expect(lines[3]).toMatch(/: 0 added, 44 removed, 3 changed, 193 unchanged$/);
    // prod's closed perimeter: the other gateways drop gcp-euw4's egress address from their allow lists, in place.
    expect(lines).toContain(
      "aws-use1  allow-list-only  0      1        1        only in-place updates of its east-west gateway's allow list (istio.gateway.allowPeersOnly); loses 1 resource pairing it with gcp-euw4",
    );
    // The retired stack still plans; the file now refuses the slot to any cluster.
    const plan = await runPlanCommand(["--config", file, "--format", "json"]);
    expect(plan.code).toBe(0);
  });

  it("refuses an unknown name, the only cluster, and the Submariner broker, writing nothing", async () => {
    const prod = copyOf("prod");
    expect(await runRetireCluster(["--config", prod, "--name", "aws-xyz1"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'retire-cluster: refused\n  --name: no cluster of this stack has this name ("aws-xyz1") — use one of: aws-use1, gcp-usc1, aws-euw1, gcp-euw4\n',
    });
    const sub = copyOf("submariner");
    const before = readFileSync(sub, "utf8");
    expect((await runRetireCluster(["--config", sub, "--name", "aws-usw2"])).stderr).toBe(
      "retire-cluster: refused\n" +
        '  --name: hosts the Submariner broker (the lowest-slot cluster, by default) ("aws-usw2") — move the broker first, in its own change: set submariner.brokerCluster to another cluster (every cluster re-joins)\n',
    );
    expect(readFileSync(sub, "utf8")).toBe(before);
    const dev = copyOf("dev");
    expect((await runRetireCluster(["--config", dev, "--name", "gcp-usc1"])).code).toBe(0);
    expect((await runRetireCluster(["--config", dev, "--name", "aws-use1"])).stderr).toBe(
      "retire-cluster: refused\n" +
        '  --name: is the stack\'s only cluster ("aws-use1") — an environment needs a cluster: tear the environment down instead (README "Deletion safety and teardown")\n',
    );
  });
});
