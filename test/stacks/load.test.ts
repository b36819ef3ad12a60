import { describe, expect, it } from "vitest";
import { renderIssue, type SpecError } from "../../plan/issues";
import { MAX_ALIAS_RESOLUTIONS, OFFLINE_SECRET_PLACEHOLDER, rawConfigFromStackYaml } from "../../stacks/load";

function problems(text: string): string[] {
  try {
    rawConfigFromStackYaml(text, "Pulumi.test.yaml");
    return [];
  } catch (e) {
    return (e as SpecError).issues.map(renderIssue);
  }
}

describe("reading a stack file", () => {
  it("keeps only this project's keys, qualified or not", () => {
    const raw = rawConfigFromStackYaml(
      "config:\n  aws:region: us-east-1\n  multicluster-mesh:mesh: istio\n  protect: true\n",
      "Pulumi.test.yaml",
    );
    expect(raw).toEqual({ mesh: "istio", protect: true });
  });

  it("stands a placeholder in for encrypted values, which only the stack's secrets provider can read", () => {
    const raw = rawConfigFromStackYaml(
      [
        "config:",
        "  multicluster-mesh:trust:",
        "    roots:",
        "      - name: corp",
        "        source: external",
        "        keyPem:",
        "          secure: v1:abc",
      ].join("\n"),
      "Pulumi.test.yaml",
    );
    expect(raw).toEqual({
      trust: { roots: [{ name: "corp", source: "external", keyPem: OFFLINE_SECRET_PLACEHOLDER }] },
    });
  });

  it("refuses private keys and inline kubeconfigs written as plaintext, never echoing them", () => {
    const text = [
      "config:",
      "  multicluster-mesh:trust:",
      "    roots:",
      "      - { name: corp, source: external, keyPem: '-----BEGIN PRIVATE KEY-----' }",
      "  multicluster-mesh:clusters:",
      '    - existing: { kubeconfig: "apiVersion: v1\\nclusters: []" }',
      '    - existing: { kubeconfig: \'{"apiVersion": "v1"}\' }',
      "    - existing: { kubeconfig: ~/.kube/config }",
    ].join("\n");
    expect(problems(text)).toEqual([
      "multicluster-mesh:trust.roots[0].keyPem: is plaintext in the stack file ([redacted]) — store it encrypted: pulumi config set --secret --path 'multicluster-mesh:trust.roots[0].keyPem' < file",
      "multicluster-mesh:clusters[0].existing.kubeconfig: is plaintext in the stack file ([redacted]) — store it encrypted: pulumi config set --secret --path 'multicluster-mesh:clusters[0].existing.kubeconfig' < file",
      "multicluster-mesh:clusters[1].existing.kubeconfig: is plaintext in the stack file ([redacted]) — store it encrypted: pulumi config set --secret --path 'multicluster-mesh:clusters[1].existing.kubeconfig' < file",
    ]);
  });

  it("names a file without a config map", () => {
    expect(problems("environment: dev\n")).toEqual([
      "multicluster-mesh: Pulumi.test.yaml has no config map (missing) — write the settings under a top-level `config:` key, e.g. config: { multicluster-mesh:mesh: istio }",
    ]);
  });
});

describe("reading a stack file as Pulumi reads it", () => {
  it("namespaces bare keys to the project, reads the legacy `:config:` spelling, leaves other namespaces alone", () => {
    const raw = rawConfigFromStackYaml(
      "config:\n  mesh: istio\n  multicluster-mesh:config:protect: true\n  aws:region: us-east-1\n  gcp:project: p\n",
      "Pulumi.test.yaml",
    );
    expect(raw).toEqual({ mesh: "istio", protect: true });
  });

  it("reads a byte-order mark, CRLF line ends, anchors, aliases and merge keys", () => {
    const text =
      "\uFEFFconfig:\r\n" +
      "  multicluster-mesh:tags: &base { team: mesh }\r\n" +
      "  multicluster-mesh:istio:\r\n" +
      "    gateway:\r\n" +
      "      <<: { replicas: 3, maxReplicas: 4 }\r\n" +
      "      maxReplicas: 6\r\n" +
      "  multicluster-mesh:submariner:\r\n" +
      "    gatewayNodes: { count: 1 }\r\n" +
      "  other:labels: *base\r\n";
    expect(rawConfigFromStackYaml(text, "Pulumi.test.yaml")).toEqual({
      tags: { team: "mesh" },
      istio: { gateway: { replicas: 3, maxReplicas: 6 } },
      submariner: { gatewayNodes: { count: 1 } },
    });
  });

  it("reads a large fleet whose clusters share settings by alias, as go-yaml does", () => {
    const clusters = Array.from(
      { length: 256 },
      (_, i) =>
        `    - { name: gcp-${i}, cloud: gcp, region: us-central1, zones: [us-central1-a], slot: ${i}, gcp: *project }\n`,
    ).join("");
    const text = `config:\n  multicluster-mesh:tags: &project { project: acme }\n  multicluster-mesh:clusters:\n${clusters}`;
    const raw = rawConfigFromStackYaml(text, "Pulumi.test.yaml");
    expect((raw["clusters"] as { gcp: unknown }[]).map((c) => c.gcp)).toEqual(
      Array.from({ length: 256 }, () => ({ project: "acme" })),
    );
  });

  it("refuses aliases that expand without bound, with one clean error", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array.from({ length: 10 }, () => `*${prev}`).join(", ")}]`);
    }
    const text = `config:\n${levels.map((l) => `  other:${l}`).join("\n")}\n`;
    expect(problems(text)).toEqual([
      `multicluster-mesh: Pulumi.test.yaml is not valid YAML: its aliases expand to more than ${MAX_ALIAS_RESOLUTIONS} nodes (missing) — fix the YAML there (Pulumi reads the file with the same rules)`,
    ]);
  });

  it("turns every YAML problem into one error naming its line", () => {
    expect(problems("config:\n  multicluster-mesh:mesh: !istio istio\n")).toEqual([
      "multicluster-mesh: Pulumi.test.yaml is not valid YAML at line 2, column 27: Unresolved tag: !istio (missing) — fix the YAML there (Pulumi reads the file with the same rules)",
    ]);
    expect(problems("config:\n  multicluster-mesh:mesh: istio\n  multicluster-mesh:mesh: submariner\n")).toEqual([
      "multicluster-mesh: Pulumi.test.yaml is not valid YAML at line 3, column 3: Map keys must be unique (missing) — fix the YAML there (Pulumi reads the file with the same rules)",
    ]);
    expect(problems("config:\n  multicluster-mesh:clusters: [\n")).toHaveLength(1);
    expect(problems("config:\n  a: *nowhere\n")).toEqual([
      "multicluster-mesh: Pulumi.test.yaml is not valid YAML at line 2, column 6: no anchor &nowhere before this alias (missing) — fix the YAML there (Pulumi reads the file with the same rules)",
    ]);
  });
});
