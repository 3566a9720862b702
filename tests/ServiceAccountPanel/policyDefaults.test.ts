/**
 * @jest-environment node
 */
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { DEFAULT_POLICY, ROLE_NAME_SEPARATOR } from "../../src/core/policy";

// XML cannot import TypeScript: the manifest and the packaged form repeat the policy's defaults, so
// these tests keep them equal to DEFAULT_POLICY, the one source the CLI, the webhook and the control read.
const ROOT = join(__dirname, "..", "..");
const EXPECTED = {
  serviceRoleName: DEFAULT_POLICY.serviceRoleName,
  forbiddenRoleNames: DEFAULT_POLICY.forbiddenRoleNames.join(ROLE_NAME_SEPARATOR),
  forbiddenPrivileges: DEFAULT_POLICY.forbiddenPrivilegeNames.join(ROLE_NAME_SEPARATOR),
  warningPrivileges: DEFAULT_POLICY.warningPrivilegeNames.join(ROLE_NAME_SEPARATOR),
  nonInteractiveLimit: String(DEFAULT_POLICY.fallbackNonInteractiveLimit),
};

describe("policy defaults outside TypeScript", () => {
  it("the control manifest's default values are DEFAULT_POLICY's", () => {
    const manifest = readFileSync(join(ROOT, "ServiceAccountPanel", "ControlManifest.Input.xml"), "utf8");
    for (const [name, value] of Object.entries(EXPECTED)) {
      expect(manifest).toMatch(new RegExp(`<property name="${name}"[^>]* default-value="${value}"`));
    }
  });

  it("every control on the packaged Service Account form is configured with DEFAULT_POLICY's values", () => {
    const folder = join(ROOT, "solution", "Entities", "SystemUser", "FormXml", "main");
    const forms = readdirSync(folder).map((file) => readFileSync(join(folder, file), "utf8"));
    for (const [name, value] of Object.entries(EXPECTED)) {
      const configured = forms.flatMap((form) =>
        [...form.matchAll(new RegExp(`<${name} [^>]*>([^<]*)</${name}>`, "g"))].map((match) => match[1]),
      );
      expect(configured.length).toBeGreaterThan(0);
      expect(new Set(configured)).toEqual(new Set([value]));
    }
  });
});
