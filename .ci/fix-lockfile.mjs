// The npm registry reachable here lacks some other-platform builds of native packages (darwin,
// win32, ...), so `npm install` leaves them out of the lockfile and `npm ci` then calls the lock
// out of sync. This records them as optional, platform-bound entries, which npm skips on Linux.
// Run after any dependency change: node .ci/fix-lockfile.mjs
import fs from 'node:fs';
const file = process.argv[2] ?? new URL("../package-lock.json", import.meta.url).pathname;
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;
let added = 0;
const platform = (name) => {
  const os = ['darwin','linux','win32','freebsd','android','openharmony','wasm32','sunos','aix'].find((o) => name.includes(o));
  const cpu = ['arm64','x64','ia32','armv7','arm','ppc64','s390x','riscv64','loong64','wasm32'].find((c) => name.includes(`-${c}`));
  return { os, cpu };
};
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${dep}` : `node_modules/${dep}`;
    const top = `node_modules/${dep}`;
    if (pkgs[base] || pkgs[top]) continue;
    const { os, cpu } = platform(dep);
    if (!os) continue;
    pkgs[top] = { version: range.replace(/^[\^~]/, ''), optional: true, os: [os === 'wasm32' ? 'none' : os], ...(cpu ? { cpu: [cpu] } : {}) };
    added++;
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`lockfile: recorded ${added} other-platform optional package(s)`);
