import { spawn } from "child_process";
import { buildProgram } from "../../src/cli/main";
import { CLI, run } from "../support/cli";

const COMMANDS = ["pack", "deploy", "audit", "serve", "webhook", "register-webhook", "stamp"];

describe("the svcacct command", () => {
  it.each(COMMANDS)("explains %s with --help", (command) => {
    const help = buildProgram()
      .commands.find((candidate) => candidate.name() === command)
      ?.helpInformation();
    expect(help).toContain(`Usage: svcacct ${command}`);
  });

  it("runs compiled from bin/svcacct.js and lists every command in its --help", async () => {
    const { stdout } = await run("node", [CLI, "--help"]);
    expect(stdout).toContain("Usage: svcacct");
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
  });

  it("refuses to start the webhook service without a secret, naming the variable", async () => {
    await expect(
      run("node", [CLI, "webhook"], { env: { ...process.env, WEBHOOK_SECRET: "", DATAVERSE_URL: "http://127.0.0.1:9" } }),
    ).rejects.toMatchObject({
      code: 1,
      stderr:
        "WEBHOOK_SECRET is not set: the service refuses to start without the secret Dataverse sends (WEBHOOK_SECRET, or WEBHOOK_SECRET_FILE naming a file).\n",
    });
  });

  it("asks which org when none is given", async () => {
    await expect(run("node", [CLI, "audit"], { env: { ...process.env, DATAVERSE_URL: "" } })).rejects.toMatchObject({
      stderr: "Which org? Pass --url or set DATAVERSE_URL.\n",
    });
  });

  it("serves the harness and the emulator", async () => {
    const child = spawn("node", [CLI, "serve", "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let text = "";
        child.stderr.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          const match = /Service Account Compliance app: (http:\/\/[^/\s]+)\/main\.aspx\?appid=/.exec(text);
          if (match) resolve(match[1]);
        });
        child.on("exit", () => reject(new Error(`serve exited: ${text}`)));
      });
      // The app's address opens its home; the harness's user list stays at /users.
      const home = await fetch(`${address}/`);
      expect(home.status).toBe(200);
      expect(new URL(home.url).searchParams.get("pagetype")).toBe("entitylist");
      expect((await fetch(`${address}/users`)).status).toBe(200);
      expect(((await (await fetch(`${address}/api/data/v9.2/WhoAmI()`)).json()) as { UserId: string }).UserId).toBeTruthy();
    } finally {
      child.kill();
    }
  });
});
