import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../tools/plan-command";
import { appendCluster, clusterNames, recordRetiredSlot, removeCluster, StackEditError } from "../../tools/stack-edit";

const STACKS = readdirSync(join(PROJECT_ROOT, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
const NEW = {
  name: "aws-apse2",
  cloud: "aws",
  region: "ap-southeast-2",
  zones: ["ap-southeast-2a", "ap-southeast-2b"],
  slot: 9,
};

const COMMENTED = `# head comment
config:
  multicluster-mesh:mesh: istio   # the mesh
  # the clusters, oldest first
  multicluster-mesh:clusters:
    # first: the broker
    - name: a
      zones: [a1, a2]
      slot: 0
    # second
    - name: b
      slot: 1
      gcp: { project: p }   # trailing
    # end of clusters
  multicluster-mesh:protect: true
# tail
`;

describe("appendCluster", () => {
  it.each(STACKS)("adds the cluster after the last one of %s, and keeps every other byte", (file) => {
    const text = readFileSync(join(PROJECT_ROOT, "stacks", file), "utf8");
    const after = appendCluster(text, NEW);
    expect(after).toBe(
      `${text}    - name: aws-apse2
      cloud: aws
      region: ap-southeast-2
      zones: [ap-southeast-2a, ap-southeast-2b]
      slot: 9
`,
    );
    expect(clusterNames(after).at(-1)).toBe("aws-apse2");
  });

  it("inserts before the list's trailing comment and the keys after it; nested maps are block maps", () => {
    const after = appendCluster(COMMENTED, { name: "c", cloud: "gcp", zones: ["z"], slot: 2, gcp: { project: "q" } });
    expect(after).toBe(
      COMMENTED.replace(
        "    # end of clusters\n",
        "    - name: c\n      cloud: gcp\n      zones: [z]\n      slot: 2\n      gcp:\n        project: q\n    # end of clusters\n",
      ),
    );
    expect((parse(after) as { config: Record<string, unknown> }).config["multicluster-mesh:protect"]).toBe(true);
  });

  it("refuses a clusters list written in flow style", () => {
    expect(() => appendCluster("config:\n  multicluster-mesh:clusters: [{ name: a }]\n", NEW)).toThrow(
      new StackEditError(
        "multicluster-mesh:clusters must be a block list (one `- ` item per line) to be edited by this command",
      ),
    );
  });
});

describe("removeCluster", () => {
  it("removes the cluster and the comment lines directly above it, nothing else", () => {
    expect(removeCluster(COMMENTED, "b")).toBe(
      COMMENTED.replace("    # second\n    - name: b\n      slot: 1\n      gcp: { project: p }   # trailing\n", ""),
    );
    expect(removeCluster(COMMENTED, "a")).toBe(
      COMMENTED.replace("    # first: the broker\n    - name: a\n      zones: [a1, a2]\n      slot: 0\n", ""),
    );
  });

  it("refuses a name the file does not list", () => {
    expect(() => removeCluster(COMMENTED, "z")).toThrow(
      new StackEditError("no cluster named z in multicluster-mesh:clusters"),
    );
  });
});

describe("recordRetiredSlot", () => {
  it("creates retiredSlots above the clusters and their comment, then appends to it", () => {
    const once = recordRetiredSlot(COMMENTED, { slot: 1, cluster: "b" });
    expect(once).toBe(
      COMMENTED.replace(
        "  # the clusters, oldest first\n",
        "  # Slots of retired clusters, never given to another cluster (npm run retire-cluster records them).\n" +
          "  multicluster-mesh:retiredSlots:\n    - { slot: 1, cluster: b }\n  # the clusters, oldest first\n",
      ),
    );
    const twice = recordRetiredSlot(once, { slot: 4, cluster: "e" });
    expect(twice).toBe(
      once.replace("    - { slot: 1, cluster: b }\n", "    - { slot: 1, cluster: b }\n    - { slot: 4, cluster: e }\n"),
    );
    expect((parse(twice) as { config: Record<string, unknown> }).config["multicluster-mesh:retiredSlots"]).toEqual([
      { slot: 1, cluster: "b" },
      { slot: 4, cluster: "e" },
    ]);
  });
});
