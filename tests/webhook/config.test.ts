import { ConfigError, webhookConfig } from "../../src/webhook/config";

const env = { WEBHOOK_SECRET: "a-long-enough-secret", DATAVERSE_URL: "http://127.0.0.1:8181" };

describe("webhookConfig", () => {
  it("refuses to start without a secret, naming the variable", () => {
    expect(() => webhookConfig({ DATAVERSE_URL: env.DATAVERSE_URL })).toThrow(new ConfigError("WEBHOOK_SECRET is not set: the service refuses to start without the secret Dataverse sends."));
  });

  it("refuses to start without the org, naming the variable", () => {
    expect(() => webhookConfig({ WEBHOOK_SECRET: env.WEBHOOK_SECRET })).toThrow(/DATAVERSE_URL is not set/);
  });

  it("refuses a short secret and an unknown auth mode", () => {
    expect(() => webhookConfig({ ...env, WEBHOOK_SECRET: "short" })).toThrow(/too short/);
    expect(() => webhookConfig({ ...env, WEBHOOK_AUTH: "basic" })).toThrow(/WEBHOOK_AUTH is "basic"/);
  });

  it("defaults to port 7071 and the x-svcacct-key header", () => {
    expect(webhookConfig(env)).toMatchObject({ port: 7071, auth: { kind: "header", header: "x-svcacct-key", secret: env.WEBHOOK_SECRET } });
  });

  it("lets flags override the environment", () => {
    expect(webhookConfig({ ...env, PORT: "8000" }, { PORT: "9000", WEBHOOK_AUTH: "code" })).toMatchObject({ port: 9000, auth: { kind: "code" } });
  });

  it("reads the policy from the environment", () => {
    expect(webhookConfig({ ...env, SERVICE_ROLE_NAME: "Vendor Sync", FORBIDDEN_ROLE_NAMES: "System Administrator" }).policy).toMatchObject({
      serviceRoleName: "Vendor Sync",
      forbiddenRoleNames: ["System Administrator"],
    });
  });
});
