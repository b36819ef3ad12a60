/**
 * The lint rule that keeps the mesh kind and the cloud out of generic code (eslint.config.mjs, ARCHITECTURE.md):
 * it refuses a comparison planted outside the per-kind modules, allows it inside them, and the places outside the
 * modules that still compare a kind to a literal are at most three, one in each listed file.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../..");
const RULE = "no-restricted-syntax";

interface KindConfig {
  KIND_COMPARISON: { selector: string; message: string }[];
  KIND_MODULES: string[];
  KIND_COMPARISON_PLACES: string[];
}

let config: KindConfig;
/** The project's own lint configuration. */
let project: ESLint;
/** Only the kind rule, everywhere outside the modules, without the listed places' exemption. */
let bare: ESLint;

beforeAll(async () => {
  const configUrl = pathToFileURL(resolve(ROOT, "eslint.config.mjs")).href;
  config = (await import(configUrl)) as KindConfig;
  project = new ESLint({ cwd: ROOT });
  const only: Linter.Config[] = [
    { ignores: ["node_modules/**", "bin/**", ".scratch/**", ...config.KIND_MODULES] },
    {
      files: ["**/*.ts"],
      languageOptions: { parser: tseslint.parser as Linter.Parser },
      rules: { [RULE]: ["error", ...config.KIND_COMPARISON] },
    },
  ];
  bare = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: only });
}, 60_000);

async function kindErrors(eslint: ESLint, code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => `${m.line}:${m.column}`);
}

describe("comparing the mesh kind or the cloud to a literal", () => {
  const planted = [
    "export function f(mesh: string, cloud: string): number {",
    '  if (mesh === "istio") return 1;',
    '  if ("gcp" !== cloud) return 2;',
    "  switch (cloud) {",
    '    case "aws":',
    "      return 3;",
    '    case "existing":',
    "      return 4;",
    "  }",
    '  return mesh === "ambient" ? 5 : 6;',
    "}",
    "",
  ].join("\n");

  it("is refused outside the per-kind modules: each comparison, and a switch once", async () => {
    expect(await kindErrors(bare, planted, "components/fleet.ts")).toEqual(["2:7", "3:7", "4:3"]);
    expect(await kindErrors(bare, planted, "tools/plan-command.ts")).toEqual(["2:7", "3:7", "4:3"]);
  });

  it("is refused by the project's own configuration too", async () => {
    expect(await kindErrors(project, planted, "components/fleet.ts")).toEqual(["2:7", "3:7", "4:3"]);
  }, 60_000);

  it("is allowed in the interconnect and cloud modules and the schema", async () => {
    for (const file of ["plan/interconnect/index.ts", "plan/cloud/index.ts", "components/cloud/index.ts"]) {
      expect(await kindErrors(project, planted, file)).toEqual([]);
    }
    expect(await kindErrors(bare, planted, "components/mesh/registry.ts")).toEqual([]);
    expect(await kindErrors(bare, planted, "plan/spec/index.ts")).toEqual([]);
  }, 60_000);

  it("happens in at most three places outside the modules, one in each listed file", async () => {
    expect(config.KIND_COMPARISON_PLACES.length).toBeLessThanOrEqual(3);
    const results = await bare.lintFiles(["**/*.ts"]);
    const places = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === RULE).map(() => r.filePath.slice(ROOT.length + 1)),
    );
    expect(places.sort()).toEqual([...config.KIND_COMPARISON_PLACES].sort());
  }, 120_000);
});
