/**
 * `npm run check`: the type-check (tsc's diagnostics over tsconfig.test.json: the controls, src, tests
 * and bench) and ESLint over the project, on one TypeScript program. typescript-eslint's type-aware
 * rules need that program too; built once and handed to ESLint (parserOptions.programs), it is not
 * built and checked a second time, which saved about a third of the CPU time of `tsc` and `eslint .`
 * run apart (docs/development.md, "Tests"). Exits non-zero when either finds a problem.
 */
import { ESLint } from "eslint";
import ts from "typescript";

const TSCONFIG = "tsconfig.test.json";

function typeScriptProgram() {
  const { config, error } = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
  if (error) return { program: undefined, diagnostics: [error] };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, process.cwd(), undefined, TSCONFIG);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, configFileParsingDiagnostics: parsed.errors });
  return { program, diagnostics: [...parsed.errors, ...ts.getPreEmitDiagnostics(program)] };
}

const { program, diagnostics } = typeScriptProgram();
const host = { getCanonicalFileName: (name) => name, getCurrentDirectory: () => process.cwd(), getNewLine: () => ts.sys.newLine };
const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics; // as tsc: colour on a terminal only
if (diagnostics.length > 0) process.stdout.write(format(diagnostics, host));

let lintFailed = false;
if (program) {
  const eslint = new ESLint({ overrideConfig: { languageOptions: { parserOptions: { programs: [program], project: null } } } });
  const results = await eslint.lintFiles(["."]);
  const report = await (await eslint.loadFormatter("stylish")).format(results);
  if (report) process.stdout.write(report);
  lintFailed = results.some((result) => result.errorCount > 0); // as `eslint .`: warnings are shown, errors fail
}

const typeErrors = diagnostics.filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error).length;
if (typeErrors > 0 || lintFailed || !program) {
  process.exitCode = 1;
} else {
  process.stdout.write(`check: no type errors, no lint problems (${TSCONFIG})\n`);
}
