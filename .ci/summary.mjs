// Sums the JSON reports every vitest run leaves (packages/*, test/) into one closing line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const dirs = [...readdirSync('packages').map((name) => `packages/${name}`), 'test'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of dirs) {
  const file = `${dir}/.vitest-report.json`;
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
