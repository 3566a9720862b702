import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { webhookSecretFrom } from "../../src/cli/webhookSecret";
import { ConfigError, webhookConfig } from "../../src/webhook/config";

const GOOD = "k3Jq9vX2mP7wL0sT5yR8nB4cF6hD1gA2";
const env = { DATAVERSE_URL: "https://contoso.crm.dynamics.com" };

describe("the webhook secret's rules, checked at start-up", () => {
  it.each([
    ["16 spaces", " ".repeat(16), /starts or ends with blanks/],
    ["32 spaces", " ".repeat(32), /starts or ends with blanks/],
    ["a padded secret", ` ${GOOD} `, /starts or ends with blanks/],
    ["a secret outside printable ASCII", `${GOOD}é`, /outside printable ASCII/],
    ["a tab inside", `${GOOD.slice(0, 16)}\t${GOOD.slice(16)}`, /outside printable ASCII/],
    ["a 16-character secret", GOOD.slice(0, 16), /too short: use at least 32 characters/],
  ])("refuses %s with a clear message", (_name, secret, message) => {
    expect(() => webhookConfig({ ...env, WEBHOOK_SECRET: secret })).toThrow(ConfigError);
    expect(() => webhookConfig({ ...env, WEBHOOK_SECRET: secret })).toThrow(message);
  });

  it("accepts 32 printable characters", () => {
    expect(webhookConfig({ ...env, WEBHOOK_SECRET: GOOD }).auth.secret).toBe(GOOD);
  });

  it("reads the secret from the file WEBHOOK_SECRET_FILE names, without its final line break", () => {
    const file = join(mkdtempSync(join(tmpdir(), "svcacct-secret-")), "secret");
    writeFileSync(file, `${GOOD}\n`);
    expect(webhookConfig({ ...env, WEBHOOK_SECRET_FILE: file }).auth.secret).toBe(GOOD);
    expect(() => webhookConfig({ ...env, WEBHOOK_SECRET_FILE: join(file, "missing") })).toThrow(/WEBHOOK_SECRET_FILE .* cannot be read/);
  });

  it("takes a next secret for a rotation, held to the same rules", () => {
    const next = "n3xtN3xtN3xtN3xtN3xtN3xtN3xtN3xt";
    expect(webhookConfig({ ...env, WEBHOOK_SECRET: GOOD, WEBHOOK_SECRET_NEXT: next }).auth).toMatchObject({
      secret: GOOD,
      nextSecret: next,
    });
    expect(() => webhookConfig({ ...env, WEBHOOK_SECRET: GOOD, WEBHOOK_SECRET_NEXT: "short" })).toThrow("WEBHOOK_SECRET_NEXT is too short");
  });

  it("never repeats the secret in its complaint", () => {
    const secret = "tooshort-but-very-recognizable";
    let message = "";
    try {
      webhookConfig({ ...env, WEBHOOK_SECRET: secret });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/too short/);
    expect(message).not.toContain(secret);
  });
});

describe("the org and Graph URLs the webhook sends its token to", () => {
  it("refuses plain http anywhere but this machine", () => {
    expect(() => webhookConfig({ WEBHOOK_SECRET: GOOD, DATAVERSE_URL: "http://contoso.crm.dynamics.com" })).toThrow(
      /must be an https:\/\/ URL/,
    );
    expect(() => webhookConfig({ WEBHOOK_SECRET: GOOD, DATAVERSE_URL: "http://127.evil.example" })).toThrow(/must be an https:\/\/ URL/);
    expect(() => webhookConfig({ ...env, WEBHOOK_SECRET: GOOD, GRAPH_URL: "http://graph.example" })).toThrow(/GRAPH_URL must be an https/);
    expect(webhookConfig({ WEBHOOK_SECRET: GOOD, DATAVERSE_URL: "http://127.0.0.1:8181" }).dataverseUrl).toBe("http://127.0.0.1:8181");
  });
});

describe("the endpoint's limits", () => {
  it("times requests out after 30 s and caps connections at 2,000 by default, within bounds", () => {
    expect(webhookConfig({ ...env, WEBHOOK_SECRET: GOOD }).limits).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 2_000,
      maxIdsPerEvent: 1_000,
    });
    expect(() => webhookConfig({ ...env, WEBHOOK_SECRET: GOOD, REQUEST_TIMEOUT_MS: "0" })).toThrow(
      /REQUEST_TIMEOUT_MS "0" is not a whole number from 1000 to 120000/,
    );
    expect(() => webhookConfig({ ...env, WEBHOOK_SECRET: GOOD, MAX_CONNECTIONS: "lots" })).toThrow(/MAX_CONNECTIONS "lots"/);
  });
});

describe("registering the webhook holds its secret to the service's rules", () => {
  it("refuses a secret the service would refuse, before anything is sent, and says where a secret comes from", () => {
    expect(() => webhookSecretFrom(undefined, { WEBHOOK_SECRET: "sixteen-chars-ok" })).toThrow(
      "The webhook's secret is too short: use at least 32 characters (e.g. openssl rand -base64 32).",
    );
    expect(() => webhookSecretFrom(undefined, {})).toThrow(
      "Which secret? Set WEBHOOK_SECRET or WEBHOOK_SECRET_FILE, or pass --secret-file <file> (- for standard input).",
    );
  });

  it("reads it from the file the flag names, over the environment", () => {
    const file = join(mkdtempSync(join(tmpdir(), "svcacct-secret-")), "secret");
    writeFileSync(file, `${GOOD}\r\n`);
    expect(webhookSecretFrom(file, { WEBHOOK_SECRET: "ignored-because-a-file-was-named-0123456789" })).toBe(GOOD);
  });
});
