import 'server-only';
// The embedded default KEK source: `<data folder>/master-key.json`, created on first run.
//
//   {
//     "format": "strongroom-key-ring",
//     "versions": [
//       { "version": 1, "key": "<base64 of 32 bytes>", "createdAt": "2025-01-01T00:00:00.000Z" },
//       { "version": 2, "key": "<base64 of 32 bytes>", "createdAt": "2025-06-01T00:00:00.000Z" }
//     ]
//   }
//
// The highest version is current. The file is mode 0600 in a 0700 folder, and is never written
// in place: a complete copy goes to a temporary file that is fsynced and then linked (first run,
// never overwriting) or renamed (new version) over the real name, so a crash leaves the old file
// or the new one, never half of one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeKey, KeyRing } from './key-ring';
import { VaultError } from './vault-error';

export const KEY_FILE_NAME = 'master-key.json';
const FORMAT = 'strongroom-key-ring';
const MAX_FILE_BYTES = 64 * 1024;

interface KeyFileVersion {
  version: number;
  key: string;
  createdAt: string;
}

interface KeyFileContent {
  format: typeof FORMAT;
  versions: KeyFileVersion[];
}

/** The key file's path inside a data folder. */
export function keyFilePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), KEY_FILE_NAME);
}

/** Reads the key file, creating it with one fresh key on first run. */
export function loadOrCreateKeyFile(dataDir: string, now: Date = new Date()): { ring: KeyRing; created: boolean } {
  const file = keyFilePath(dataDir);
  let created = false;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    created = writeKeyFile(file, { format: FORMAT, versions: [newVersion(1, now)] }, 'create');
  }
  return { ring: readKeyFile(file), created };
}

/** Adds a new, current key version to the key file; the first step of a rotation in key-file mode. */
export function addKeyFileVersion(dataDir: string, now: Date = new Date()): KeyRing {
  const file = keyFilePath(dataDir);
  const lock = `${file}.lock`;
  try {
    fs.closeSync(fs.openSync(lock, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new VaultError('key_source', `Another key rotation holds ${lock}. If none is running, delete that file and try again.`);
  }
  try {
    const content = parseKeyFile(file, readChecked(file));
    const next = Math.max(...content.versions.map((entry) => entry.version)) + 1;
    writeKeyFile(file, { format: FORMAT, versions: [...content.versions, newVersion(next, now)] }, 'replace');
    return readKeyFile(file);
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Reads and checks the key file: mode 0600 or stricter, well-formed, every key 32 bytes. */
export function readKeyFile(file: string): KeyRing {
  const content = parseKeyFile(file, readChecked(file));
  return KeyRing.fromKeys(
    content.versions.map(({ version, key }) => ({ version, key: decodeKey(key, `The key file ${file} (key version ${version})`) })),
    `the key file ${file}`,
  );
}

function readChecked(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new VaultError('key_source', `Cannot read the key file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, { cause: error });
  }
  if (!stat.isFile()) throw new VaultError('key_source', `The key file ${file} is not a regular file.`);
  // POSIX modes mean nothing on Windows; there the folder's ACL is the operator's job.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    throw new VaultError(
      'key_source',
      `The key file ${file} has mode ${mode}, so other users may read it; it must be 0600. Run: chmod 600 ${file}`,
    );
  }
  if (stat.size > MAX_FILE_BYTES) throw new VaultError('key_source', `The key file ${file} is too large to be a key file.`);
  return fs.readFileSync(file, 'utf8');
}

function parseKeyFile(file: string, text: string): KeyFileContent {
  const malformed = (problem: string) =>
    new VaultError('key_source', `The key file ${file} is malformed: ${problem}. Restore it from your backup; without it the stored tokens cannot be decrypted.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw malformed('it is not JSON');
  }
  if (!isRecord(data) || data.format !== FORMAT) throw malformed(`"format" must be "${FORMAT}"`);
  if (!Array.isArray(data.versions) || data.versions.length === 0) throw malformed('"versions" must be a non-empty list');
  const versions = data.versions.map((entry: unknown, index: number): KeyFileVersion => {
    if (!isRecord(entry)) throw malformed(`versions[${index}] must be an object`);
    const { version, key, createdAt } = entry;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) throw malformed(`versions[${index}].version must be a positive integer`);
    if (typeof key !== 'string') throw malformed(`versions[${index}].key must be a base64 string`);
    if (typeof createdAt !== 'string') throw malformed(`versions[${index}].createdAt must be a date string`);
    return { version, key, createdAt };
  });
  return { format: FORMAT, versions };
}

function newVersion(version: number, now: Date): KeyFileVersion {
  return { version, key: crypto.randomBytes(32).toString('base64'), createdAt: now.toISOString() };
}

/** Writes atomically; in 'create' mode returns false when another process created the file first. */
function writeKeyFile(file: string, content: KeyFileContent, mode: 'create' | 'replace'): boolean {
  const directory = path.dirname(file);
  const temporary = path.join(directory, `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  let written = true;
  try {
    const descriptor = fs.openSync(temporary, 'wx', 0o600);
    try {
      fs.writeFileSync(descriptor, `${JSON.stringify(content, null, 2)}\n`);
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
    if (mode === 'replace') {
      fs.renameSync(temporary, file);
    } else {
      // link(2) fails with EEXIST instead of overwriting, unlike rename(2).
      try {
        fs.linkSync(temporary, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        written = false;
      }
    }
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  syncDirectory(directory);
  return written;
}

function syncDirectory(directory: string): void {
  // Makes the new directory entry durable; not supported everywhere (Windows), hence best effort.
  try {
    const descriptor = fs.openSync(directory, 'r');
    try {
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
  } catch {
    // Durability of the entry is a bonus; the content itself was fsynced.
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
