import { ConfigError, webhookConfig } from "../../src/webhook/config";

const env = { WEBHOOK_SECRET: "a-secret-of-at-least-thirty-two-characters", DATAVERSE_URL: "http://127.0.0.1:8181" };

describe("webhookConfig", () => {
  it("refuses to start without a secret, naming the variable", () => {
    expect(() => webhookConfig({ DATAVERSE_URL: env.DATAVERSE_URL })).toThrow(
      new ConfigError(
        "WEBHOOK_SECRET is not set: the service refuses to start without the secret Dataverse sends (WEBHOOK_SECRET, or WEBHOOK_SECRET_FILE naming a file).",
      ),
    );
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
    expect(webhookConfig({ ...env, PORT: "8000" }, { PORT: "9000", WEBHOOK_AUTH: "code" })).toMatchObject({
      port: 9000,
      auth: { kind: "code" },
    });
  });

  it("reads the policy from the environment", () => {
    expect(webhookConfig({ ...env, SERVICE_ROLE_NAME: "Vendor Sync", FORBIDDEN_ROLE_NAMES: "System Administrator" }).policy).toMatchObject({
      serviceRoleName: "Vendor Sync",
      forbiddenRoleNames: ["System Administrator"],
    });
  });

  it("coalesces a user's events for a second by default, within bounds", () => {
    expect(webhookConfig(env).coalesceWindowMs).toBe(1000);
    expect(webhookConfig({ ...env, COALESCE_WINDOW_MS: "250" }).coalesceWindowMs).toBe(250);
    expect(() => webhookConfig({ ...env, COALESCE_WINDOW_MS: "60000" })).toThrow(/COALESCE_WINDOW_MS "60000"/);
  });

  it("schedules the heal only when asked, with a readable duration of a minute or more", () => {
    expect(webhookConfig(env).reconcileEveryMs).toBe(6 * 60 * 60 * 1000); // on by default: some changes raise no event
    expect(webhookConfig({ ...env, RECONCILE_EVERY: "30m" }).reconcileEveryMs).toBe(30 * 60 * 1000);
    expect(webhookConfig(env, { RECONCILE_EVERY: "off" }).reconcileEveryMs).toBeNull();
    expect(() => webhookConfig({ ...env, RECONCILE_EVERY: "soon" })).toThrow(
      new ConfigError('RECONCILE_EVERY "soon" is not a duration: use e.g. 30m, 6h or 1d.'),
    );
    expect(() => webhookConfig({ ...env, RECONCILE_EVERY: "5s" })).toThrow(/shorter than a minute/);
  });
});
