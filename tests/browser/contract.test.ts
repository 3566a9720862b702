import { SAMPLE_ORG_CONTRACT } from "../contract/sampleOrgIds";
import { join } from "path";
import { build } from "esbuild";
import type { ContractResult } from "../contract/dataverseClientContract";
import { openUser, startSession, type Session } from "./browser";
import { USERS } from "../../src/emulator/sampleOrg";

let session: Session;
beforeAll(async () => (session = await startSession()));
afterAll(() => session?.close());

it("holds the Xrm adapter to the DataverseClient contract, in the browser, on the emulator", async () => {
  const bundle = await build({
    entryPoints: [join(__dirname, "..", "contract", "xrmContractEntry.ts")],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2020",
  });
  const { page, errors } = await openUser(session, USERS.compliant);
  session.harness.emulator.reset();
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  const results = await page.evaluate(
    (ids) => (window as unknown as { runXrmContract: (i: typeof ids) => Promise<ContractResult[]> }).runXrmContract(ids),
    SAMPLE_ORG_CONTRACT,
  );
  expect(results.filter((result) => !result.passed)).toEqual([]);
  expect(results.length).toBeGreaterThanOrEqual(7);
  expect(errors).toEqual([]);
  await page.close();
});
