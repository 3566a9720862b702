import { spawn } from "child_process";
import { CLI, run } from "../support/cli";

describe("the svcacct command", () => {
  it.each(["pack", "deploy", "audit", "serve", "webhook", "register-webhook", "stamp"])("explains %s with --help", async (command) => {
    const { stdout } = await run("node", [CLI, command, "--help"]);
    expect(stdout).toContain(`Usage: svcacct ${command}`);
  });

  it("refuses to start the webhook service without a secret, naming the variable", async () => {
    await expect(
      run("node", [CLI, "webhook"], { env: { ...process.env, WEBHOOK_SECRET: "", DATAVERSE_URL: "http://127.0.0.1:9" } }),
    ).rejects.toMatchObject({
      code: 1,
      stderr: "WEBHOOK_SECRET is not set: the service refuses to start without the secret Dataverse sends.\n",
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
          const match = /harness: (http:\/\/[^/\s]+)\//.exec(text);
          if (match) resolve(match[1]);
        });
        child.on("exit", () => reject(new Error(`serve exited: ${text}`)));
      });
      expect((await fetch(`${address}/`)).status).toBe(200);
      expect(((await (await fetch(`${address}/api/data/v9.2/WhoAmI()`)).json()) as { UserId: string }).UserId).toBeTruthy();
    } finally {
      child.kill();
    }
  });
});
