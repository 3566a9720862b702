import eslintjs from "@eslint/js";
import microsoftPowerApps from "@microsoft/eslint-plugin-power-apps";
import pluginPromise from "eslint-plugin-promise";
import reactPlugin from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import typescriptEslint from "typescript-eslint";
import { readFileSync } from "node:fs";

// The form code is what the controls' tsconfig.json includes: one list for the compiler, the browser
// globals and the Power Apps checker rules (tests/ServiceAccountPanel/importGraph.test.ts keeps both
// controls' imports inside it).
const formFolders = JSON.parse(readFileSync(new URL("./tsconfig.json", import.meta.url), "utf8")).include;

/** @type {import('eslint').Linter.Config[]} */
export default [
  {
    ignores: [
      "**/generated",
      "out/**",
      "dist/**",
      "node_modules/**",
      "coverage/**",
      "test-output/**",
      ".stryker-tmp/**",
      "reports/**",
      "**/*.js",
      "**/*.mjs",
    ],
  },
  eslintjs.configs.recommended,
  ...typescriptEslint.configs.recommendedTypeChecked,
  ...typescriptEslint.configs.stylisticTypeChecked,
  pluginPromise.configs["flat/recommended"],
  reactPlugin.configs.flat.recommended,
  {
    plugins: {
      "@microsoft/power-apps": microsoftPowerApps,
      "react-hooks": reactHooks,
    },
    languageOptions: {
      parserOptions: {
        // The test config includes the control, src, tests and bench, so one program types them all.
        project: "./tsconfig.test.json",
        tsconfigRootDir: import.meta.dirname,
      },
    },
    settings: {
      react: { version: "16.14" },
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "react/prop-types": "off",
      "@typescript-eslint/consistent-type-definitions": "off",
      // The platform hands out "" for "no value": || is the intended fallback for strings.
      "@typescript-eslint/prefer-nullish-coalescing": ["error", { ignorePrimitives: { string: true } }],
    },
  },
  {
    // What runs in the model-driven form: the Power Apps checker's rules, browser globals.
    files: formFolders.map((folder) => `${folder}/**`),
    languageOptions: { globals: { ...globals.browser, ComponentFramework: "readonly", Xrm: "readonly" } },
    settings: microsoftPowerApps.configs.paCheckerHosted.settings,
    rules: {
      ...microsoftPowerApps.configs.paCheckerHosted.rules,
      "@microsoft/power-apps/use-getsecurityroleprivilegesinfo": "error",
      "@microsoft/power-apps/avoid-loadtheme": "error",
    },
  },
  {
    // What runs in Node: Dataverse over HTTP, Microsoft Graph, the emulator, the harness server, the CLI, the webhook, the packer.
    files: [
      "src/dataverse-node/**",
      "src/graph/**",
      "src/emulator/**",
      "src/harness/**",
      "src/cli/**",
      "src/webhook/**",
      "src/solution/**",
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["tests/**", "bench/**"],
    languageOptions: { globals: { ...globals.node, ...globals.jest, ...globals.browser, Xrm: "readonly", ComponentFramework: "readonly" } },
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
];
