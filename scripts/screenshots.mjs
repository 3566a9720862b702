// `npm run screenshots`: copies the README's two screenshots from the last browser test run
// (test-output/screenshots, written by tests/browser/userFormScenarios.test.ts and
// tests/browser/modelApp.test.ts) into docs/images, where the README shows them.
import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// import.meta.dirname needs Node 20.11; engines allow any Node 20.
const root = fileURLToPath(new URL("..", import.meta.url));
const copies = [
  ["scenario-forbidden-role.png", "panel.png"],
  ["app-service-accounts.png", "app.png"],
];
for (const [from, to] of copies) {
  const source = join(root, "test-output", "screenshots", from);
  if (!existsSync(source)) {
    console.error(`${source} is missing: run npm test (the browser tests write it) first.`);
    process.exit(1);
  }
  copyFileSync(source, join(root, "docs", "images", to));
  console.log(`docs/images/${to} ← test-output/screenshots/${from}`);
}
