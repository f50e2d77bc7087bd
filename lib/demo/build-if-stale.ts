// `npm run demo` step one: run `npm run build` only when the sources changed since the last build,
// so a second demo start takes seconds. The fingerprint covers the lockfile, configs and every file
// Next compiles; it is written next to .next/BUILD_ID after a successful build.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STAMP = path.join(ROOT, '.next/strongroom-build-hash');
const INPUTS = ['package-lock.json', 'package.json', 'next.config.js', 'tsconfig.json', 'postcss.config.mjs', 'prisma/schema.prisma', 'app', 'lib', 'public', 'emulator'];
const SKIP = /(^|[\\/])(node_modules|\.next|generated)([\\/]|$)|\.test\.ts$/;

function files(entry: string, out: string[]): void {
  const full = path.join(ROOT, entry);
  if (SKIP.test(entry) || !fs.existsSync(full)) return;
  if (fs.statSync(full).isDirectory()) {
    for (const name of fs.readdirSync(full).sort()) files(path.join(entry, name), out);
  } else out.push(entry);
}

/** A content hash of everything the build reads. */
export function sourceFingerprint(): string {
  const list: string[] = [];
  for (const input of INPUTS) files(input, list);
  const hash = crypto.createHash('sha256');
  for (const file of list) hash.update(file).update('\0').update(fs.readFileSync(path.join(ROOT, file))).update('\0');
  return hash.digest('hex');
}

function main(): void {
  const before = sourceFingerprint();
  const built = fs.existsSync(path.join(ROOT, '.next/BUILD_ID')) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === before;
  if (built) {
    console.log('Build: up to date with the sources, skipping `next build`.');
    return;
  }
  console.log('Build: sources changed since the last build (or no build yet); running `npm run build`…');
  const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(STAMP, sourceFingerprint());
}

main();
