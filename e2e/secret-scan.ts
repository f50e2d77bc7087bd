// The secret scan: no deposited token value or certificate private key may appear in anything the
// e2e run produced — the responses browsers received, the server log, the client bundles, or the
// database. Each value is also looked for base64- and base64url-encoded (at all three byte
// alignments, so a value inside a larger encoded blob is found too) and percent-encoded.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { privateKeySecrets } from '../lib/custody/tapi-key-secrets';

export interface Finding {
  /** Which secret (its index in the list, never the value). */
  secret: number;
  encoding: string;
  where: string;
}

/** The byte patterns that betray `secret`: raw, percent-encoded, and base64/base64url at each alignment. */
export function secretPatterns(secret: string): { encoding: string; bytes: Buffer }[] {
  const raw = Buffer.from(secret, 'utf8');
  const patterns = [
    { encoding: 'raw', bytes: raw },
    { encoding: 'url-encoded', bytes: Buffer.from(encodeURIComponent(secret)) },
  ];
  for (let shift = 0; shift < 3; shift++) {
    // Prefix `shift` bytes so the value starts at every offset within a base64 group; keep only
    // the characters that depend on the value's bytes alone.
    const padded = Buffer.concat([Buffer.alloc(shift), raw]);
    for (const [encoding, alphabet] of [
      ['base64', 'base64'],
      ['base64url', 'base64url'],
    ] as const) {
      const text = padded.toString(alphabet).replace(/=+$/, '');
      const start = Math.ceil((8 * shift) / 6);
      const end = Math.floor((8 * (shift + raw.length)) / 6);
      const core = text.slice(start, end);
      if (core.length >= 16) patterns.push({ encoding: `${encoding}@${shift}`, bytes: Buffer.from(core) });
    }
  }
  return patterns;
}

/** Every occurrence of any secret (in any of its encodings) in `haystack`. */
export function findSecrets(haystack: Buffer, secrets: readonly string[], where: string): Finding[] {
  const findings: Finding[] = [];
  secrets.forEach((secret, index) => {
    for (const pattern of secretPatterns(secret)) {
      if (haystack.includes(pattern.bytes)) findings.push({ secret: index, encoding: pattern.encoding, where });
    }
  });
  return findings;
}

function* filesUnder(root: string): Generator<string> {
  if (!fs.existsSync(root)) return;
  const stat = fs.statSync(root);
  if (stat.isFile()) {
    yield root;
    return;
  }
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** Scans every file under each root; returns the findings and how many files were read. */
export function scanPaths(roots: readonly string[], secrets: readonly string[]): { findings: Finding[]; files: number } {
  const findings: Finding[] = [];
  let files = 0;
  for (const root of roots) {
    for (const file of filesUnder(root)) {
      files += 1;
      findings.push(...findSecrets(fs.readFileSync(file), secrets, file));
    }
  }
  return { findings, files };
}

const ROOT = path.resolve(import.meta.dirname, '..');
export const ARTIFACTS = path.join(ROOT, 'e2e/.artifacts');
/** Private keys specs deposited (PEM files), kept outside every scanned folder so the scan can look for them. */
export const DEPOSITED_KEYS = path.join(ARTIFACTS, 'deposited-keys');

/** Notes a private key a spec is about to deposit, for the final scan. */
export function rememberDepositedKey(privateKeyPem: string): void {
  fs.mkdirSync(DEPOSITED_KEYS, { recursive: true });
  fs.writeFileSync(path.join(DEPOSITED_KEYS, `${Date.now()}-${Math.random().toString(36).slice(2)}.pem`), privateKeyPem, { mode: 0o600 });
}

/** What the scan must never find of the keys deposited in this run: each key's base64 body whole and line by line. */
export function depositedKeySecrets(): string[] {
  if (!fs.existsSync(DEPOSITED_KEYS)) return [];
  return fs.readdirSync(DEPOSITED_KEYS).flatMap((name) => privateKeySecrets(fs.readFileSync(path.join(DEPOSITED_KEYS, name), 'utf8')));
}

/**
 * Dumps every row of every table of the e2e database to a file, from a copy of the PGlite folder
 * (the running server holds the original), through a route-free script. Returns the dump's path.
 */
export function dumpDatabase(): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-e2e-db-'));
  fs.cpSync(path.join(ARTIFACTS, 'data/pglite'), path.join(copy, 'pglite'), { recursive: true });
  const out = path.join(ARTIFACTS, 'database-dump.jsonl');
  execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(ROOT, 'e2e/dump-database.ts'), path.join(copy, 'pglite'), out], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 120_000,
  });
  fs.rmSync(copy, { recursive: true, force: true });
  return out;
}

/** The whole scan: responses, server log, client bundles, a full database dump and the raw database files. */
export function runSecretScan(secrets: readonly string[]): { findings: Finding[]; files: number; dumpRows: number } {
  const dump = dumpDatabase();
  const dumpRows = fs.readFileSync(dump, 'utf8').split('\n').filter(Boolean).length;
  const { findings, files } = scanPaths(
    [path.join(ARTIFACTS, 'responses'), path.join(ARTIFACTS, 'server.log'), path.join(ROOT, '.next/static'), dump, path.join(ARTIFACTS, 'data')],
    secrets,
  );
  return { findings, files, dumpRows };
}
