import { buildProgram, runCli } from "../../src/cli/main";
import { refuseRetiredFlags } from "../../src/cli/refusedFlags";

const VALUE = "do-not-echo-this-value-0123456789";

describe("no secret on a command line", () => {
  it.each([
    [
      ["audit", "--client-secret", VALUE],
      "--client-secret is no longer accepted",
      "set CLIENT_SECRET, or pass --client-secret-file <file>",
    ],
    [
      ["audit", `--access-token=${VALUE}`],
      "--access-token is no longer accepted",
      "set DATAVERSE_ACCESS_TOKEN, or pass --access-token-file <file>",
    ],
    [
      ["register-webhook", "--endpoint", "https://hooks.example", "--secret", VALUE],
      "--secret is no longer accepted",
      "--secret-file <file>",
    ],
    [
      ["deploy", "--webhook-endpoint", "https://hooks.example", "--webhook-secret", VALUE],
      "--webhook-secret is no longer accepted",
      "--webhook-secret-file",
    ],
  ])("refuses %j before anything runs, saying what to use, never repeating the value", async (args, refusal, instead) => {
    const failure = (await runCli(["node", "svcacct", ...args]).catch((error: unknown) => error)) as Error;
    expect(failure.message).toContain(refusal);
    expect(failure.message).toContain(instead);
    expect(failure.message).not.toContain(VALUE);
  });

  it("refuses --auth header|code, which now chooses how to sign in, pointing at --webhook-auth", async () => {
    await expect(runCli(["node", "svcacct", "webhook", "--auth", "code"])).rejects.toThrow(
      "--auth now chooses how to sign in; how Dataverse sends the webhook's secret is --webhook-auth code.",
    );
  });

  it("leaves what follows -- alone (arguments, not flags)", () => {
    expect(() => refuseRetiredFlags(["audit", "--", "--client-secret"])).not.toThrow();
  });

  it("has no option that takes a secret or a token as its value: only files", () => {
    const program = buildProgram();
    const valued = program.commands.flatMap((command) =>
      command.options
        .filter((option) => /secret|token|password/i.test(option.long ?? "") && option.required)
        .map((option) => `${command.name()} ${option.long}`),
    );
    expect(valued.length).toBeGreaterThan(0);
    expect(valued.filter((name) => !name.endsWith("-file"))).toEqual([]);
  });
});
