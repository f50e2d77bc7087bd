// Prints the closing line of `npm test`: tests passed and failed across Vitest and Playwright,
// plus any step that failed without tests (typecheck, lint, build). Exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';

const [reportsDir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

function read(file) {
  const full = path.join(reportsDir, file);
  return fs.existsSync(full) ? JSON.parse(fs.readFileSync(full, 'utf8')) : null;
}

for (const file of ['vitest-pglite.json', 'vitest-postgres.json']) {
  const report = read(file);
  if (!report) continue;
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

const playwright = read('playwright.json');
if (playwright?.stats) {
  passed += playwright.stats.expected ?? 0;
  failed += (playwright.stats.unexpected ?? 0) + (playwright.stats.flaky ?? 0);
  skipped += playwright.stats.skipped ?? 0;
}

if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(', ')}`);
const ok = failedSteps.length === 0 && failed === 0 && passed > 0;
if (passed === 0) console.log('No test ran.');
console.log(`summary: ${passed} passed, ${failed + (ok ? 0 : failedSteps.length)} failed, ${skipped} skipped`);
process.exit(ok ? 0 : 1);
