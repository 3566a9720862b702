import {
  AuthenticationError,
  AuthenticationRequiredError,
  AzureCliCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  CredentialUnavailableError,
  DeviceCodeCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type AccessToken,
  type TokenCredential,
} from "@azure/identity";
import { DataverseError } from "../dataverse/errors";
import { isLoopbackUrl } from "./endpoints";
import type { AuthMethod, SignInSettings } from "./settings";

/** Gives the bearer token for a request, or null to send none (a local emulator). */
export type TokenProvider = () => Promise<string | null>;

/**
 * The public client Microsoft's Dataverse samples use for delegated sign-in ("Use OAuth
 * authentication with Microsoft Dataverse", learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth),
 * for a device code when no CLIENT_ID names a registration of the admin's own.
 */
export const DATAVERSE_SAMPLE_PUBLIC_CLIENT_ID = "51f81489-12ee-4a9e-aaae-a2591f45987d";

/** A sign-in: the identity library's credential and the method it stands for. */
export interface SignIn {
  method: Exclude<AuthMethod, "auto">;
  credential: TokenCredential;
}

/**
 * A sign-in that could not give a token, in words: never the secret, always what to do. It is the
 * Web API's "unauthorized" to every caller (the one error mapper passes it through unchanged).
 */
export class SignInError extends DataverseError {
  constructor(message: string) {
    super("unauthorized", message, { status: 401 });
    this.name = "SignInError";
  }
}

/**
 * The method `auto` stands for, in the order Microsoft recommends for service identities (managed
 * identity, then workload identity federation, then a certificate, a secret last): Azure's own
 * variables say where a managed identity (App Service, Functions, Container Apps, Arc:
 * IDENTITY_ENDPOINT or MSI_ENDPOINT) or a federated token (AKS workload identity:
 * AZURE_FEDERATED_TOKEN_FILE) is; then a certificate, then a secret. With none of them, an admin at
 * a terminal gets the Azure CLI's sign-in and a service the managed identity of its machine (IMDS).
 * Null: nothing is configured, for a loopback org that takes no token.
 */
export function chooseMethod(settings: SignInSettings, orgUrl: string): SignIn["method"] | null {
  if (settings.method !== "auto") return settings.method;
  const { env } = settings;
  if (env.IDENTITY_ENDPOINT || env.MSI_ENDPOINT) return "managed-identity";
  if (env.AZURE_FEDERATED_TOKEN_FILE) return "workload-identity";
  if (settings.certificatePath) return "certificate";
  if (settings.clientSecret) return "secret";
  if (isLoopbackUrl(orgUrl)) return null;
  return settings.atTerminal ? "azure-cli" : "managed-identity";
}

/** The credential for a method, or a SignInError naming the setting it lacks. */
export function signInWith(settings: SignInSettings, method: SignIn["method"]): SignIn {
  const options = { authorityHost: settings.cloud.authorityHost, httpClient: settings.httpClient };
  const needs = (names: [string, string | undefined][]): void => {
    const missing = names.filter(([, value]) => !value).map(([name]) => name);
    if (missing.length) throw new SignInError(`Signing in with --auth ${method} needs ${missing.join(" and ")}.`);
  };
  switch (method) {
    case "managed-identity": {
      const clientId = settings.managedIdentityClientId;
      return { method, credential: new ManagedIdentityCredential({ ...(clientId ? { clientId } : {}), httpClient: settings.httpClient }) };
    }
    case "workload-identity":
      // Tenant, client and token file fall back to AZURE_TENANT_ID, AZURE_CLIENT_ID and
      // AZURE_FEDERATED_TOKEN_FILE, which the AKS workload identity webhook sets.
      return {
        method,
        credential: new WorkloadIdentityCredential({ ...options, tenantId: settings.tenantId, clientId: settings.clientId }),
      };
    case "certificate":
      needs([
        ["TENANT_ID", settings.tenantId],
        ["CLIENT_ID", settings.clientId],
        ["CLIENT_CERTIFICATE_PATH", settings.certificatePath],
      ]);
      return {
        method,
        credential: new ClientCertificateCredential(
          settings.tenantId!,
          settings.clientId!,
          { certificatePath: settings.certificatePath!, certificatePassword: settings.certificatePassword },
          options,
        ),
      };
    case "secret":
      needs([
        ["TENANT_ID", settings.tenantId],
        ["CLIENT_ID", settings.clientId],
        ["CLIENT_SECRET (or --client-secret-file)", settings.clientSecret],
      ]);
      return { method, credential: new ClientSecretCredential(settings.tenantId!, settings.clientId!, settings.clientSecret!, options) };
    case "azure-cli":
      // The Azure CLI signs in at the cloud it is set to (`az cloud set`), not at ours.
      return { method, credential: new AzureCliCredential({ tenantId: settings.tenantId }) };
    case "device-code":
      return {
        method,
        credential: new DeviceCodeCredential({
          ...options,
          tenantId: settings.tenantId ?? "organizations",
          clientId: settings.clientId ?? DATAVERSE_SAMPLE_PUBLIC_CLIENT_ID,
          userPromptCallback: (info) => (settings.prompt ?? ((line: string) => process.stderr.write(`${line}\n`)))(info.message),
        }),
      };
  }
}

/** The sign-in for an org as the settings say; null when none is configured and the org is loopback. */
export function signInFor(settings: SignInSettings, orgUrl: string): SignIn | null {
  const method = chooseMethod(settings, orgUrl);
  return method ? signInWith(settings, method) : null;
}

/** Renew this long before a token expires, so no request leaves with one about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Bearer tokens for one resource (an org, or Graph) from a sign-in. The scope is the resource's
 * `/.default` (the application's permissions), or `/user_impersonation` for Dataverse with a device
 * code: "use a <environment-url>/user_impersonation scope for a public client" (Use OAuth
 * authentication with Microsoft Dataverse). A token is kept until 5 minutes before it expires and
 * one renewal is shared by the requests waiting for it: the Azure CLI credential, for one, runs `az`
 * on every call. No sign-in: no token, which only a loopback URL accepts.
 */
export function tokenProviderFor(
  resourceUrl: string,
  signIn: SignIn | null,
  delegatedScope?: string,
  resourceScope?: string,
): TokenProvider {
  const origin = new URL(resourceUrl).origin;
  if (!signIn) {
    if (isLoopbackUrl(resourceUrl)) return () => Promise.resolve(null);
    throw new SignInError(`No sign-in is configured for ${origin}: pass --auth (see svcacct --help) or set its variables.`);
  }
  // A resource whose token audience is not its own origin (the Power Platform admin API) names its scope.
  const scope = resourceScope ?? (signIn.method === "device-code" && delegatedScope ? `${origin}/${delegatedScope}` : `${origin}/.default`);
  let current: AccessToken | null = null;
  let renewing: Promise<AccessToken> | null = null;
  return async () => {
    if (current && current.expiresOnTimestamp - RENEW_BEFORE_MS > Date.now()) return current.token;
    renewing ??= signIn.credential
      .getToken(scope)
      .then((token) => {
        if (!token?.token) throw new SignInError(`Microsoft Entra ID returned no access token for ${origin} (${signIn.method}).`);
        return token;
      })
      .catch((error: unknown) => {
        throw signInFailure(signIn.method, origin, error);
      })
      .finally(() => (renewing = null));
    current = await renewing;
    return current.token;
  };
}

/** What went wrong with a sign-in, in words: the library's own reason, first line only. */
function signInFailure(method: SignIn["method"], origin: string, error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0].trim();
  if (error instanceof CredentialUnavailableError) return new SignInError(`Signing in with ${method} is not possible here: ${reason}`);
  // Entra's own answers (invalid_client, consent missing): @azure/identity passes some on as
  // AuthenticationRequiredError, its wrapper for MSAL's errors.
  if (error instanceof AuthenticationError || error instanceof AuthenticationRequiredError)
    return new SignInError(`Microsoft Entra ID refused the sign-in (${method}) for ${origin}: ${reason}`);
  return new SignInError(`Signing in with ${method} for ${origin} failed: ${reason}`);
}
