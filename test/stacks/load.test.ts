import { describe, expect, it } from "vitest";
import { renderIssue, type SpecError } from "../../plan/issues";
import { OFFLINE_SECRET_PLACEHOLDER, rawConfigFromStackYaml } from "../../stacks/load";

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
