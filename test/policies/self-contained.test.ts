/**
 * The pack is published on its own (`pulumi policy publish` runs `npm pack` in policies/, and the consumer's CLI
 * installs the tarball's package.json dependencies): no file in policies/ may import from outside the folder, and
 * every package it imports must be one of its own dependencies. The install itself runs in CI (.ci/run), which
 * needs the npm registry.
 */
import { builtinModules } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const PACK = resolve(__dirname, "..", "..", "policies");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === "node_modules" ? [] : sources(path);
    }
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** `import`/`export … from`/`require` specifiers of a file, type-only imports included. */
function specifiers(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

/** The package a bare specifier names: `@pulumi/policy/x` → `@pulumi/policy`. */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** Every import of the pack that leaves its folder or names a package it does not declare. */
function strayImports(packDir: string, dependencies: readonly string[]): string[] {
  const stray: string[] = [];
  for (const file of sources(packDir)) {
    const from = relative(packDir, file);
    for (const specifier of specifiers(file)) {
      if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier);
        if (!target.startsWith(packDir + sep)) {
          stray.push(`${from}: ${specifier} is outside the pack`);
        }
      } else if (!specifier.startsWith("node:") && !builtinModules.includes(specifier)) {
        if (!dependencies.includes(packageOf(specifier))) {
          stray.push(`${from}: ${specifier} is not a dependency in policies/package.json`);
        }
      }
    }
  }
  return stray;
}

describe("the policy pack as a package of its own", () => {
  const manifest = JSON.parse(readFileSync(join(PACK, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };

  it("imports nothing from outside policies/ and only packages it declares", () => {
    expect(strayImports(PACK, Object.keys(manifest.dependencies))).toEqual([]);
  });

  it("finds an import that leaves the folder and an undeclared package", () => {
    expect(strayImports(PACK, ["@pulumi/policy"])).toContain(
      "rules/address-ranges-disjoint.ts: ip-num is not a dependency in policies/package.json",
    );
    expect(strayImports(join(PACK, "rules"), Object.keys(manifest.dependencies))).toContain(
      "address-ranges-disjoint.ts: ../facts is outside the pack",
    );
  });

  it("ships its sources, its configs and what the CLI reads", () => {
    const files = (manifest as unknown as { files: string[] }).files;
    expect(files).toEqual(["*.ts", "rules/", "shared/", "config/", "PulumiPolicy.yaml", "tsconfig.json", "README.md"]);
    const top = new Set(readdirSync(PACK).filter((f) => !f.endsWith(".ts") && f !== "package.json"));
    expect([...top].sort()).toEqual(["PulumiPolicy.yaml", "README.md", "config", "rules", "shared", "tsconfig.json"]);
  });
});
