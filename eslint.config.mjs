// @ts-check
import eslint from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

/**
 * The mesh kind and the cloud are compared to a literal only inside their own modules: the per-interconnect and
 * per-cloud modules, and the schema that defines them (ARCHITECTURE.md). Everywhere else the code asks the plan
 * (requirements, cloud traits, the registries) instead, so a new interconnect or cloud is added by adding a module.
 */
const KIND = "/^(istio|submariner|aws|gcp|existing)$/";
const KIND_MESSAGE =
  "Compare the mesh kind or the cloud to a literal only in its module (plan/interconnect, plan/cloud, components/mesh, " +
  "components/cloud): read the plan's requirements, CLOUD_TRAITS or a registry instead (ARCHITECTURE.md).";
export const KIND_COMPARISON = [
  { selector: `BinaryExpression[operator=/^[!=]==?$/][right.value=${KIND}]`, message: KIND_MESSAGE },
  { selector: `BinaryExpression[operator=/^[!=]==?$/][left.value=${KIND}]`, message: KIND_MESSAGE },
  // A switch over the kinds is one place, however many cases it has.
  { selector: `SwitchStatement[cases.0.test.value=${KIND}]`, message: KIND_MESSAGE },
];
/** Where the kinds are defined and their strategies live. */
export const KIND_MODULES = [
  "plan/spec/**",
  "plan/interconnect/**",
  "plan/cloud/**",
  "components/mesh/**",
  "components/cloud/**",
  "test/**",
];
/**
 * The places outside those modules that still compare a kind to a literal: at most three, one in each file listed
 * (test/lint/kind-comparisons.test.ts counts them): the summary's Istio-only remote-secret count, and the policy that
 * checks cross-zone load balancing on AWS.
 */
export const KIND_COMPARISON_PLACES = ["tools/render-markdown.ts", "policies/rules/eastwest-gateway-per-cluster.ts"];

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", ".scratch/", "**/*.js", "**/*.mjs"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // The planners are pure: no Pulumi, no file system, no environment.
    files: ["plan/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@pulumi/*"], message: "plan/ is pure: planners never import Pulumi." },
            { group: ["fs", "node:fs", "fs/*", "node:fs/*"], message: "plan/ is pure: no file system access." },
            {
              group: ["../components/*", "../../components/*", "../stacks/*", "../tools/*"],
              message: "plan/ depends on nothing else in the project.",
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "plan/ is pure: no environment reads." },
      ],
      "no-restricted-globals": ["error", { name: "process", message: "plan/ is pure: no process access." }],
    },
  },
  // The pack is published on its own (npm pack of policies/): it imports nothing from outside its folder, at any depth.
  ...["policies/*.ts", "policies/*/*.ts", "policies/*/*/*.ts"].map((files, depth) => ({
    files: [files],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [`${"../".repeat(depth + 1)}*`],
              message:
                "policies/ is a package of its own: import only from inside policies/ (code it shares lives in policies/shared/).",
            },
          ],
        },
      ],
    },
  })),
  {
    files: ["**/*.ts"],
    ignores: [...KIND_MODULES, ...KIND_COMPARISON_PLACES],
    rules: { "no-restricted-syntax": ["error", ...KIND_COMPARISON] },
  },
);
