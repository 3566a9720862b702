/**
 * The packer: both zips' sizes, and what a pack costs now that it validates customizations.xml
 * against Microsoft's schema (xmllint-wasm) before writing anything. Uses the control built by the
 * bundle benchmark.
 */
import { performance } from "perf_hooks";
import { composeCustomizations } from "../src/solution/compose";
import { CONTROL_DIRS, packageVersion, SOLUTION_DIR } from "../src/solution/main";
import { packSolution } from "../src/solution/pack";
import { schemaProblems } from "../src/solution/schema";
import { readSolutionSource } from "../src/solution/source";
import { serializeXml } from "../src/solution/xml";

const RUNS = 5;

async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

export async function benchPack(): Promise<Record<string, string | number>> {
  const options = { sourceDir: SOLUTION_DIR, controlDirs: CONTROL_DIRS, packageVersion: packageVersion() };
  const packed = await packSolution(options);
  const document = composeCustomizations(readSolutionSource(SOLUTION_DIR), packed.controlNames);
  const text = serializeXml(document);
  return {
    "unmanaged zip bytes": packed.unmanaged.length,
    "managed zip bytes": packed.managed.length,
    "customizations.xml bytes": Buffer.byteLength(text),
    [`pack, both zips, median of ${RUNS} (ms)`]: Math.round(await median(() => packSolution(options))),
    [`schema validation alone, median of ${RUNS} (ms)`]: Math.round(await median(() => schemaProblems(document, text))),
  };
}
