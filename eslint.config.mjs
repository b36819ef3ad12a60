// @ts-check
import eslint from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

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
  {
    // Policies may use the planners, never the components.
    files: ["policies/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["../components/*", "../../components/*"], message: "policies/ never depends on components/." },
          ],
        },
      ],
    },
  },
);
