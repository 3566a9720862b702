import { readFileSync } from "fs";
import type { TokenCredentialOptions } from "@azure/identity";
import { cloudOf, type Cloud } from "./clouds";

/** How to sign in; `auto` picks from what the environment holds (see chooseMethod). */
export const AUTH_METHODS = ["auto", "managed-identity", "workload-identity", "certificate", "secret", "azure-cli", "device-code"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface SignInSettings {
  method: AuthMethod;
  cloud: Cloud;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  certificatePath?: string;
  certificatePassword?: string;
  /** A user-assigned managed identity's client id; none: the system-assigned identity. */
  managedIdentityClientId?: string;
  /** An admin at a terminal (the CLI): `auto` may use the Azure CLI's sign-in. */
  atTerminal: boolean;
  /** The environment, read for the variables Azure sets for managed and workload identities. */
  env: NodeJS.ProcessEnv;
  /** Where a device code's instructions go (the terminal's stderr). */
  prompt?: (message: string) => void;
  /** @azure/identity's HTTP client for the token requests; a test seam, as the library documents it. */
  httpClient?: TokenCredentialOptions["httpClient"];
}

/** A setting that cannot be used as given: its message names the setting and what to do, never a secret. */
export class SettingError extends Error {}

/** A setting's value by its variable name: flags over the environment. */
export type SettingValue = (name: string) => string | undefined;

/**
 * A secret from its variable, or from the file its `_FILE` variable names (a mounted secret, as
 * containers and Key Vault references give them; `-` is standard input): never from a command line.
 * A final line break is not part of the secret.
 */
export function secretSetting(value: SettingValue, name: string): string | undefined {
  const direct = value(name);
  if (direct) return direct;
  const file = value(`${name}_FILE`);
  if (!file) return undefined;
  try {
    return readFileSync(file === "-" ? 0 : file, "utf8").replace(/\r?\n$/, "");
  } catch (error) {
    throw new SettingError(`${name}_FILE "${file}" cannot be read: ${(error as Error).message}`);
  }
}

/**
 * How to sign in to an org, from settings named as Azure's tools name them: AUTH_METHOD (`auto` unless
 * set), DATAVERSE_CLOUD (or the org URL's), TENANT_ID, CLIENT_ID, CLIENT_SECRET or CLIENT_SECRET_FILE,
 * CLIENT_CERTIFICATE_PATH with CLIENT_CERTIFICATE_PASSWORD (or _FILE), MANAGED_IDENTITY_CLIENT_ID.
 */
export function signInSettingsFrom(
  value: SettingValue,
  orgUrl: string,
  context: Pick<SignInSettings, "atTerminal" | "env" | "prompt" | "httpClient">,
): SignInSettings {
  const method = value("AUTH_METHOD") ?? "auto";
  if (!(AUTH_METHODS as readonly string[]).includes(method))
    throw new SettingError(`AUTH_METHOD "${method}" is not one of ${AUTH_METHODS.join(", ")}.`);
  let cloud;
  try {
    cloud = cloudOf(orgUrl, value("DATAVERSE_CLOUD"));
  } catch (error) {
    throw new SettingError((error as Error).message);
  }
  return {
    ...context,
    method: method as AuthMethod,
    cloud,
    tenantId: value("TENANT_ID"),
    clientId: value("CLIENT_ID"),
    clientSecret: secretSetting(value, "CLIENT_SECRET"),
    certificatePath: value("CLIENT_CERTIFICATE_PATH"),
    certificatePassword: secretSetting(value, "CLIENT_CERTIFICATE_PASSWORD"),
    managedIdentityClientId: value("MANAGED_IDENTITY_CLIENT_ID"),
  };
}
