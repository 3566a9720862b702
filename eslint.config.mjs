import eslintjs from "@eslint/js";
import microsoftPowerApps from "@microsoft/eslint-plugin-power-apps";
import pluginPromise from "eslint-plugin-promise";
import reactPlugin from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import typescriptEslint from "typescript-eslint";

/** @type {import('eslint').Linter.Config[]} */
export default [
  {
    ignores: ["**/generated", "out/**", "dist/**", "node_modules/**", "coverage/**", "test-output/**", "**/*.js", "**/*.mjs"],
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
      globals: {
        ...globals.browser,
        ComponentFramework: "readonly",
        Xrm: "readonly",
      },
      parserOptions: {
        // The test config includes the control, src, tests and bench, so one program types them all.
        project: "./tsconfig.test.json",
        tsconfigRootDir: import.meta.dirname,
      },
    },
    settings: {
      react: { version: "16.14" },
      ...microsoftPowerApps.configs.paCheckerHosted.settings,
    },
    rules: {
      ...microsoftPowerApps.configs.paCheckerHosted.rules,
      "@microsoft/power-apps/use-getsecurityroleprivilegesinfo": "error",
      "@microsoft/power-apps/avoid-loadtheme": "error",
      ...reactHooks.configs.recommended.rules,
      "react/prop-types": "off",
      "@typescript-eslint/consistent-type-definitions": "off",
      // The platform hands out "" for "no value": || is the intended fallback for strings.
      "@typescript-eslint/prefer-nullish-coalescing": ["error", { ignorePrimitives: { string: true } }],
    },
  },
  {
    files: ["tests/**", "bench/**"],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/unbound-method": "off",
      // Tests model the absolute nextLinks Dataverse returns.
      "@microsoft/power-apps/use-relative-uri": "off",
      // Tests inspect the rendered panel, not a model-driven form.
      "@microsoft/power-apps/avoid-dom-form": "off",
    },
  },
];
