/**
 * The pack as shipped: rule metadata, the per-environment configs, the healthy fleets passing every mandatory rule,
 * and the files `pulumi preview --policy-pack policies` needs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import dev from "../../policies/config/dev.json";
import prod from "../../policies/config/prod.json";
import staging from "../../policies/config/staging.json";
import { rules } from "../../policies/rules";
import { resolvePolicyConfig, violationsFor } from "../../tools/policy-runner";
import { edit, istioSpec, record, submarinerSpec } from "./support";

const ROOT = join(__dirname, "..", "..");
const CONFIGS = { dev, staging, prod } as const;

describe("rules", () => {
  it("each have a unique kebab-case name matching its file, a description and an enforcement level", () => {
    const names = rules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of rules) {
      expect(rule.name).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(existsSync(join(ROOT, "policies", "rules", `${rule.name}.ts`)), rule.name).toBe(true);
      expect(rule.description.length, rule.name).toBeGreaterThan(20);
      expect(["advisory", "mandatory"], rule.name).toContain(rule.enforcementLevel);
    }
  });

  it("give every config property a default and a description", () => {
    for (const rule of rules) {
      for (const [key, schema] of Object.entries(rule.configSchema?.properties ?? {})) {
        expect(typeof schema === "object" && schema.default !== undefined, `${rule.name}.${key} default`).toBe(true);
        expect(
          typeof schema === "object" && (schema.description ?? "").length > 0,
          `${rule.name}.${key} description`,
        ).toBe(true);
      }
    }
  });
});

describe("shipped configs", () => {
  const levels = (config: Record<string, unknown>): Record<string, string> =>
    Object.fromEntries([...resolvePolicyConfig(rules, config)].map(([name, c]) => [name, c.enforcementLevel]));

  it("dev: everything advisory, one zone, one gateway replica without PDB, protection and perimeter off", () => {
    const resolved = resolvePolicyConfig(rules, dev);
    expect(
      new Set(
        Object.entries(levels(dev))
          .filter(([n]) => n !== "protect-stateful-resources" && n !== "gateway-perimeter-closed")
          .map(([, l]) => l),
      ),
    ).toEqual(new Set(["advisory"]));
    expect(resolved.get("protect-stateful-resources")?.enforcementLevel).toBe("disabled");
    // dev's gateways are open on purpose (istio.gateway.allowPeersOnly is off).
    expect(resolved.get("gateway-perimeter-closed")?.enforcementLevel).toBe("disabled");
    expect(resolved.get("nodes-span-zones")?.properties).toEqual({ minZones: 1 });
    expect(resolved.get("eastwest-gateway-per-cluster")?.properties).toMatchObject({
      minReplicas: 1,
      requirePodDisruptionBudget: false,
    });
  });

  it("staging and prod: mandatory except the broker advice (and protection, advisory in staging); prod needs 3 zones", () => {
    const advisory = (config: Record<string, unknown>): string[] =>
      Object.entries(levels(config))
        .filter(([, l]) => l !== "mandatory")
        .map(([n, l]) => `${n}:${l}`);
    expect(advisory(staging)).toEqual(["submariner-broker-dedicated:advisory", "protect-stateful-resources:advisory"]);
    expect(advisory(prod)).toEqual(["submariner-broker-dedicated:advisory"]);
    expect(resolvePolicyConfig(rules, prod).get("nodes-span-zones")?.properties).toEqual({ minZones: 3 });
    expect(resolvePolicyConfig(rules, staging).get("nodes-span-zones")?.properties).toEqual({ minZones: 3 });
  });

  it("let the recorded fleets pass every mandatory rule in every environment", async () => {
    const istio = await record(istioSpec());
    const submariner = await record(submarinerSpec());
    for (const [env, config] of Object.entries(CONFIGS)) {
      expect(violationsFor(istio, config), env).toEqual([]);
      expect(
        violationsFor(submariner, config).map((v) => `${v.policy}:${v.enforcement}`),
        env,
      ).toEqual(["submariner-broker-dedicated:advisory"]);
    }
  });

  it("gate the same change differently per environment", async () => {
    const run = edit(await record(istioSpec()))
      .set("gcp-usc1-cluster", "location", "us-central1-a")
      .change("aws-use1-vpc", () => ({ protect: false }))
      .run();
    const found = (config: Record<string, unknown>): string[] =>
      violationsFor(run, config).map((v) => `${v.policy}:${v.enforcement}`);
    expect(found(dev)).toEqual(["gke-regional:advisory"]);
    expect(found(staging)).toEqual(["gke-regional:mandatory", "protect-stateful-resources:advisory"]);
    expect(found(prod)).toEqual(["gke-regional:mandatory", "protect-stateful-resources:mandatory"]);
  });
});

describe("the pack's files", () => {
  const rootPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const packPackage = JSON.parse(readFileSync(join(ROOT, "policies", "package.json"), "utf8")) as {
    version: string;
    main: string;
    dependencies: Record<string, string>;
  };

  it("PulumiPolicy.yaml runs the TypeScript pack on nodejs", () => {
    const project = parse(readFileSync(join(ROOT, "policies", "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
    expect(project["runtime"]).toEqual({ name: "nodejs", options: { typescript: true } });
  });

  it("package.json has the version CrossGuard reports, the entry point, and the project's dependency versions", () => {
    expect(packPackage.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(join(ROOT, "policies", packPackage.main))).toBe(true);
    const pinned = { ...rootPackage.devDependencies, ...rootPackage.dependencies };
    for (const [name, version] of Object.entries(packPackage.dependencies)) {
      expect(version, name).toBe(pinned[name]);
    }
  });

  it("package.json declares what a consumer's install needs to run the TypeScript pack", () => {
    // Pulumi's runner compiles the pack with the `typescript` it finds next to it (else a vendored 3.8, too old for
    // this tsconfig); tsconfig.json asks for the Node types.
    expect(Object.keys(packPackage.dependencies).sort()).toEqual([
      "@pulumi/policy",
      "@pulumi/pulumi",
      "@types/node",
      "ip-num",
      "typescript",
    ]);
  });

  it("tsconfig.json repeats the project's compiler options (Pulumi's runner ignores `extends`)", () => {
    const rootOptions = (
      JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> }
    ).compilerOptions;
    const packOptions = (
      JSON.parse(readFileSync(join(ROOT, "policies", "tsconfig.json"), "utf8")) as {
        compilerOptions: Record<string, unknown>;
      }
    ).compilerOptions;
    const shared = Object.fromEntries(Object.entries(rootOptions).filter(([k]) => k !== "outDir" && k !== "sourceMap"));
    expect(packOptions).toEqual(shared);
  });

  it("only the entry point constructs the PolicyPack (the rule list never starts CrossGuard's server)", () => {
    const entry = readFileSync(join(ROOT, "policies", "index.ts"), "utf8");
    expect(entry).toContain("new PolicyPack(POLICY_PACK_NAME, {");
    expect(entry).toContain("policies: rules,");
    const list = readFileSync(join(ROOT, "policies", "rules", "index.ts"), "utf8");
    expect(list).not.toMatch(/import \{[^}]*\bPolicyPack\b/);
  });
});
