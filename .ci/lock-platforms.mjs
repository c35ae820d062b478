// The npm registry this project reaches has only turbo's Linux binaries, so npm cannot record the
// other platforms' optional packages in package-lock.json, and `npm ci` then rejects the lock.
// This adds the entries npm would write (never installed on Linux: os/cpu exclude them).
// Run it after any `npm install` that rewrites the lock.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const turbo = lock.packages['node_modules/turbo'];
const platforms = { 'darwin-64': ['darwin', 'x64'], 'darwin-arm64': ['darwin', 'arm64'], 'windows-64': ['win32', 'x64'], 'windows-arm64': ['win32', 'arm64'], 'linux-64': ['linux', 'x64'], 'linux-arm64': ['linux', 'arm64'] };
for (const [name, [os, cpu]] of Object.entries(platforms)) {
  const key = `node_modules/@turbo/${name}`;
  lock.packages[key] ??= { version: turbo.version, cpu: [cpu], dev: true, license: 'MIT', optional: true, os: [os] };
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
