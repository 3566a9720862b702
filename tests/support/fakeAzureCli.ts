import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { delimiter, join } from "path";

export interface FakeAzureCli {
  /** Puts the fake first on PATH; returns the function that takes it off again. */
  install: () => () => void;
  /** The argument lists `az` was run with, one per run. */
  runs: () => string[][];
}

/**
 * An `az` that answers `az account get-access-token --output json --resource <url>` as Azure CLI 2.54
 * and later do (`accessToken`, `expiresOn`, `expires_on`, `tenant`, `tokenType`), with an unsigned
 * JWT for the resource naming `userObjectId`: what @azure/identity's AzureCliCredential runs and parses.
 * A `az.cmd` beside it serves Windows, where the credential runs batch files.
 */
export function fakeAzureCli(userObjectId: string, tenantId: string): FakeAzureCli {
  const dir = mkdtempSync(join(tmpdir(), "svcacct-fake-az-"));
  const log = join(dir, "runs.jsonl");
  writeFileSync(log, "");
  const script = join(dir, "az.js");
  writeFileSync(
    script,
    `const { appendFileSync } = require("fs");
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + "\\n");
const resource = args[args.indexOf("--resource") + 1];
const exp = Math.floor(Date.now() / 1000) + 3600;
const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const token = part({ typ: "JWT", alg: "none" }) + "." + part({ aud: resource, exp, oid: ${JSON.stringify(userObjectId)}, tid: ${JSON.stringify(tenantId)} }) + ".";
const local = new Date(exp * 1000).toISOString().replace("T", " ").replace("Z", "000");
process.stdout.write(JSON.stringify({ accessToken: token, expiresOn: local, expires_on: exp, subscription: "sub", tenant: ${JSON.stringify(tenantId)}, tokenType: "Bearer" }));
`,
  );
  writeFileSync(join(dir, "az"), `#!/usr/bin/env node\nrequire(${JSON.stringify(script)});\n`, { mode: 0o755 });
  writeFileSync(join(dir, "az.cmd"), `@node "${script}" %*\r\n`);
  return {
    install: () => {
      const saved = process.env.PATH;
      process.env.PATH = `${dir}${delimiter}${saved ?? ""}`;
      return () => {
        process.env.PATH = saved;
      };
    },
    runs: () =>
      readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
  };
}
