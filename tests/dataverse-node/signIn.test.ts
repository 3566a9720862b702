import { generateKeyPairSync, randomBytes } from "crypto";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { CredentialUnavailableError, type AccessToken, type TokenCredential } from "@azure/identity";
import { cloudOf } from "../../src/dataverse-node/clouds";
import { signInSettingsFrom, type SignInSettings } from "../../src/dataverse-node/settings";
import { chooseMethod, signInFor, signInWith, SignInError, tokenProviderFor, type SignIn } from "../../src/dataverse-node/signIn";
import { fakeEntra } from "../support/fakeEntra";

const ORG = "https://contoso.crm.dynamics.com";
const TENANT = "72f988bf-0000-4000-8000-000000000047";
const settings = (overrides: Partial<SignInSettings> = {}): SignInSettings => ({
  method: "auto",
  cloud: cloudOf(ORG),
  atTerminal: true,
  env: {},
  ...overrides,
});

describe("choosing how to sign in (auto)", () => {
  it("prefers a managed identity, then workload identity, a certificate, a secret, in that order", () => {
    const everything = settings({
      env: { IDENTITY_ENDPOINT: "http://127.0.0.1:41234/msi/token", AZURE_FEDERATED_TOKEN_FILE: "/var/run/token" },
      certificatePath: "/etc/svcacct/cert.pem",
      clientSecret: "s",
    });
    expect(chooseMethod(everything, ORG)).toBe("managed-identity");
    expect(chooseMethod({ ...everything, env: { MSI_ENDPOINT: "http://127.0.0.1:41234" } }, ORG)).toBe("managed-identity");
    expect(chooseMethod({ ...everything, env: { AZURE_FEDERATED_TOKEN_FILE: "/var/run/token" } }, ORG)).toBe("workload-identity");
    expect(chooseMethod({ ...everything, env: {} }, ORG)).toBe("certificate");
    expect(chooseMethod({ ...everything, env: {}, certificatePath: undefined }, ORG)).toBe("secret");
  });

  it("falls back on the Azure CLI at a terminal and on the machine's managed identity in a service", () => {
    expect(chooseMethod(settings(), ORG)).toBe("azure-cli");
    expect(chooseMethod(settings({ atTerminal: false }), ORG)).toBe("managed-identity");
  });

  it("signs in to nothing for a loopback org with nothing configured, and as asked otherwise", () => {
    expect(chooseMethod(settings(), "http://127.0.0.1:8181")).toBeNull();
    expect(signInFor(settings(), "http://localhost:8181")).toBeNull();
    expect(chooseMethod(settings({ method: "device-code" }), "http://127.0.0.1:8181")).toBe("device-code");
    expect(chooseMethod(settings(), "http://127.evil.example")).toBe("azure-cli");
  });

  it("names what a method lacks", () => {
    expect(() => signInWith(settings({ clientId: "app" }), "secret")).toThrow(
      new SignInError("Signing in with --auth secret needs TENANT_ID and CLIENT_SECRET (or --client-secret-file)."),
    );
    expect(() => signInWith(settings({ tenantId: TENANT }), "certificate")).toThrow(/needs CLIENT_ID and CLIENT_CERTIFICATE_PATH/);
  });

  it("reads the settings Azure's tools name, refusing an unknown method", () => {
    const value = (env: Record<string, string>) => (name: string) => env[name];
    expect(
      signInSettingsFrom(value({ AUTH_METHOD: "device-code", TENANT_ID: TENANT, DATAVERSE_CLOUD: "gcc-high" }), "https://crm.example", {
        atTerminal: true,
        env: {},
      }),
    ).toMatchObject({ method: "device-code", tenantId: TENANT, cloud: { name: "gcc-high" } });
    expect(() => signInSettingsFrom(value({ AUTH_METHOD: "password" }), ORG, { atTerminal: true, env: {} })).toThrow(
      'AUTH_METHOD "password" is not one of auto, managed-identity, workload-identity, certificate, secret, azure-cli, device-code.',
    );
  });
});

describe("tokens from a sign-in", () => {
  const counting = (lifetimeMs: number, fail?: Error) => {
    const scopes: string[] = [];
    const credential: TokenCredential = {
      getToken: async (scope) => {
        scopes.push(String(scope));
        await new Promise((resolve) => setTimeout(resolve, 5));
        if (fail) throw fail;
        return { token: `token-${scopes.length}`, expiresOnTimestamp: Date.now() + lifetimeMs } satisfies AccessToken;
      },
    };
    return { scopes, credential };
  };

  it("asks once for requests arriving together and keeps the token until 5 minutes before it expires", async () => {
    const { scopes, credential } = counting(60 * 60_000);
    const token = tokenProviderFor(ORG, { method: "secret", credential });
    expect(await Promise.all([token(), token(), token()])).toEqual(["token-1", "token-1", "token-1"]);
    expect(await token()).toBe("token-1");
    expect(scopes).toEqual([`${ORG}/.default`]);
  });

  it("renews a token about to expire", async () => {
    const { scopes, credential } = counting(4 * 60_000);
    const token = tokenProviderFor(ORG, { method: "secret", credential });
    await token();
    await token();
    expect(scopes).toHaveLength(2);
  });

  it("asks for user_impersonation with a device code, as Dataverse documents for a public client", async () => {
    const { scopes, credential } = counting(60 * 60_000);
    await tokenProviderFor(ORG, { method: "device-code", credential }, "user_impersonation")();
    await tokenProviderFor("https://graph.microsoft.com", { method: "device-code", credential })();
    expect(scopes).toEqual([`${ORG}/user_impersonation`, "https://graph.microsoft.com/.default"]);
  });

  it("says in words why a sign-in is not possible, as the Web API's unauthorized", async () => {
    const { credential } = counting(
      0,
      new CredentialUnavailableError("Azure CLI could not be found. Please visit https://aka.ms/azure-cli.\nmore"),
    );
    await expect(tokenProviderFor(ORG, { method: "azure-cli", credential })()).rejects.toMatchObject({
      kind: "unauthorized",
      message: "Signing in with azure-cli is not possible here: Azure CLI could not be found. Please visit https://aka.ms/azure-cli.",
    });
    expect(() => tokenProviderFor(ORG, null)).toThrow(SignInError);
    await expect(tokenProviderFor("http://127.0.0.1:8181", null)()).resolves.toBeNull();
  });
});

describe("@azure/identity's credentials against a fake issuer (the library's httpClient seam)", () => {
  const sign = async (signIn: SignIn, resource = ORG) => tokenProviderFor(resource, signIn, "user_impersonation")();
  const claims = (token: string | null) =>
    JSON.parse(Buffer.from(String(token).split(".")[1], "base64url").toString()) as Record<string, unknown>;

  it("signs in with a secret at the cloud's authority, the secret never in an error", async () => {
    const entra = fakeEntra({ tenantId: TENANT });
    const requested: string[] = [];
    const httpClient = {
      sendRequest: (request: Parameters<typeof entra.httpClient.sendRequest>[0]) => (
        requested.push(new URL(request.url).host),
        entra.httpClient.sendRequest(request)
      ),
    };
    const gccHigh = "https://contoso.crm.microsoftdynamics.us";
    const signIn = signInWith(
      settings({ cloud: cloudOf(gccHigh), tenantId: TENANT, clientId: "app-1", clientSecret: "never-shown-secret", httpClient }),
      "secret",
    );
    expect(claims(await sign(signIn, gccHigh))).toMatchObject({ aud: gccHigh, appid: "app-1" });
    expect(entra.tokenRequests).toEqual([
      { grantType: "client_credentials", scope: `${gccHigh}/.default`, clientId: "app-1", proof: "secret" },
    ]);
    expect(new Set(requested)).toEqual(new Set(["login.microsoftonline.us"]));
    const refusing = fakeEntra({ tenantId: TENANT, refuseClients: true });
    const refused = signInWith(
      settings({ tenantId: TENANT, clientId: "app-1", clientSecret: "never-shown-secret", httpClient: refusing.httpClient }),
      "secret",
    );
    const failure = (await sign(refused).catch((error: unknown) => error)) as Error;
    expect(failure).toBeInstanceOf(SignInError);
    expect(failure.message).toMatch(
      /^Microsoft Entra ID refused the sign-in \(secret\) for https:\/\/contoso\.crm\.dynamics\.com: .*AADSTS7000215/,
    );
    expect(failure.message).not.toContain("never-shown-secret");
  });

  it("signs in with a certificate, proving it with a signed assertion", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const dir = mkdtempSync(join(tmpdir(), "svcacct-cert-"));
    const pem = join(dir, "app.pem");
    // Entra checks the certificate; @azure/identity only hashes it for the thumbprint and signs with the key.
    const certificate = `-----BEGIN CERTIFICATE-----\n${randomBytes(600).toString("base64")}\n-----END CERTIFICATE-----\n`;
    writeFileSync(pem, certificate + privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    const entra = fakeEntra({ tenantId: TENANT });
    const signIn = signInWith(
      settings({ tenantId: TENANT, clientId: "app-2", certificatePath: pem, httpClient: entra.httpClient }),
      "certificate",
    );
    expect(claims(await sign(signIn))).toMatchObject({ aud: ORG, appid: "app-2" });
    expect(entra.tokenRequests[0]).toMatchObject({ grantType: "client_credentials", proof: "assertion" });
  });

  it("signs an admin in with a device code, shown once, then reaches Graph without asking again", async () => {
    const entra = fakeEntra({ tenantId: TENANT, userObjectId: "admin-oid" });
    const shown: string[] = [];
    const signIn = signInWith(settings({ httpClient: entra.httpClient, prompt: (line) => shown.push(line) }), "device-code");
    expect(claims(await sign(signIn))).toMatchObject({ aud: ORG, oid: "admin-oid" });
    const graphToken = await tokenProviderFor("https://graph.microsoft.com", signIn)();
    expect(claims(graphToken)).toMatchObject({ aud: "https://graph.microsoft.com" });
    expect(shown).toEqual([expect.stringContaining("enter the code FAKE-CODE")]);
    expect(entra.tokenRequests.map((request) => [request.grantType, request.scope, request.clientId])).toEqual([
      ["device_code", `${ORG}/user_impersonation`, "51f81489-12ee-4a9e-aaae-a2591f45987d"],
      ["refresh_token", "https://graph.microsoft.com/.default", "51f81489-12ee-4a9e-aaae-a2591f45987d"],
    ]);
  });
});
