import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addKeyFileVersion, KEY_FILE_NAME, keyFilePath, loadOrCreateKeyFile, readKeyFile } from './key-file';
import { generateMasterKey } from './key-ring';
import { loadKeyRing } from './load-key-ring';
import { openToken } from './open-token';
import { sealToken } from './seal-token';
import { expectNoSecrets, fakeToken } from './test-support';
import { revealToken } from './token-handle';
import { VaultError } from './vault-error';

const posix = process.platform !== 'win32';
let root: string;
let dataDir: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-vault-'));
  dataDir = path.join(root, 'nested', 'data');
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(root, { recursive: true, force: true });
});

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function writeKeyFile(content: string, fileMode = 0o600): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = keyFilePath(dataDir);
  fs.writeFileSync(file, content, { mode: fileMode });
  fs.chmodSync(file, fileMode);
  return file;
}

function failure(run: () => unknown): VaultError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('expected a VaultError');
}

describe('the key file', () => {
  it('is created on first run with mode 0600 in a 0700 folder, then reused', () => {
    const first = loadOrCreateKeyFile(dataDir, new Date('2025-01-02T03:04:05Z'));
    const file = path.join(dataDir, KEY_FILE_NAME);
    expect(first.created).toBe(true);
    expect(first.ring.versions).toEqual([1]);
    expect(first.ring.source).toBe(`the key file ${file}`);
    if (posix) {
      expect(mode(file)).toBe(0o600);
      expect(mode(dataDir)).toBe(0o700);
    }
    const content = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(content).toEqual({ format: 'strongroom-key-ring', versions: [{ version: 1, key: expect.any(String), createdAt: '2025-01-02T03:04:05.000Z' }] });
    expect(Buffer.from(content.versions[0].key, 'base64')).toHaveLength(32);
    // No temporary file is left behind.
    expect(fs.readdirSync(dataDir)).toEqual([KEY_FILE_NAME]);

    const second = loadOrCreateKeyFile(dataDir);
    expect(second.created).toBe(false);
    expect(second.ring.checkValues()).toEqual(first.ring.checkValues());
  });

  it('opens tokens sealed in an earlier run', () => {
    const value = fakeToken();
    const sealed = sealToken(loadOrCreateKeyFile(dataDir).ring, { id: 'tok', kind: 'tinvest', value });
    expect(revealToken(openToken(loadOrCreateKeyFile(dataDir).ring, { id: 'tok', kind: 'tinvest', sealed }))).toBe(value);
  });

  it('ignores a temporary file left by a crash during creation', () => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, `.${KEY_FILE_NAME}.deadbeef0000.tmp`), '{"format":"strongroom-key-ri');
    const { created, ring } = loadOrCreateKeyFile(dataDir);
    expect(created).toBe(true);
    expect(readKeyFile(keyFilePath(dataDir)).checkValues()).toEqual(ring.checkValues());
  });

  it('never overwrites a key file another process created first', () => {
    const { ring } = loadOrCreateKeyFile(dataDir);
    const content = fs.readFileSync(keyFilePath(dataDir), 'utf8');
    // Both processes saw no file; the other one linked its file into place first.
    vi.spyOn(fs, 'existsSync').mockReturnValue(false);
    const second = loadOrCreateKeyFile(dataDir);
    expect(second.created).toBe(false);
    expect(second.ring.checkValues()).toEqual(ring.checkValues());
    expect(fs.readFileSync(keyFilePath(dataDir), 'utf8')).toBe(content);
    expect(fs.readdirSync(dataDir)).toEqual([KEY_FILE_NAME]);
  });

  it('leaves no key file, partial or whole, when writing fails midway', () => {
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    expect(() => loadOrCreateKeyFile(dataDir)).toThrow(/ENOSPC/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
    vi.restoreAllMocks();
    expect(loadOrCreateKeyFile(dataDir).created).toBe(true);
  });

  it('keeps the old key file whole when adding a version fails midway', () => {
    const { ring } = loadOrCreateKeyFile(dataDir);
    vi.spyOn(fs, 'renameSync').mockImplementation(() => {
      throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    });
    expect(() => addKeyFileVersion(dataDir)).toThrow(/EIO/);
    vi.restoreAllMocks();
    expect(loadOrCreateKeyFile(dataDir).ring.checkValues()).toEqual(ring.checkValues());
    expect(fs.readdirSync(dataDir)).toEqual([KEY_FILE_NAME]);
  });

  it.runIf(posix).each([0o644, 0o640, 0o604, 0o660, 0o666])('is refused with mode %o', (fileMode) => {
    const { ring } = loadOrCreateKeyFile(dataDir);
    const file = keyFilePath(dataDir);
    fs.chmodSync(file, fileMode);
    const error = failure(() => loadOrCreateKeyFile(dataDir));
    expect(error.reason).toBe('key_source');
    expect(error.message).toBe(
      `The key file ${file} has mode 0${fileMode.toString(8)}, so other users may read it; it must be 0600. Run: chmod 600 ${file}`,
    );
    fs.chmodSync(file, 0o600);
    expect(loadOrCreateKeyFile(dataDir).ring.checkValues()).toEqual(ring.checkValues());
  });

  it.runIf(posix)('accepts a stricter mode (0400)', () => {
    loadOrCreateKeyFile(dataDir);
    fs.chmodSync(keyFilePath(dataDir), 0o400);
    expect(loadOrCreateKeyFile(dataDir).created).toBe(false);
  });

  const key = generateMasterKey();
  const short = Buffer.alloc(31, 7).toString('base64');
  it.each([
    ['empty', '', /is malformed: it is not JSON/],
    ['truncated JSON', '{"format":"strongroom-key-ring","versions":[{"ver', /is malformed: it is not JSON/],
    ['another format', JSON.stringify({ format: 'x', versions: [] }), /"format" must be "strongroom-key-ring"/],
    ['no versions', JSON.stringify({ format: 'strongroom-key-ring', versions: [] }), /"versions" must be a non-empty list/],
    ['a bad version', JSON.stringify({ format: 'strongroom-key-ring', versions: [{ version: 0, key, createdAt: 'x' }] }), /versions\[0\].version must be a positive integer/],
    ['a key of the wrong length', JSON.stringify({ format: 'strongroom-key-ring', versions: [{ version: 1, key: short, createdAt: 'x' }] }), /\(key version 1\) decodes to 31 bytes; it must be 32 bytes/],
    ['a key that is not base64', JSON.stringify({ format: 'strongroom-key-ring', versions: [{ version: 1, key: 'k e y', createdAt: 'x' }] }), /\(key version 1\) is not base64/],
    ['a duplicate version', JSON.stringify({ format: 'strongroom-key-ring', versions: [1, 1].map((version) => ({ version, key, createdAt: 'x' })) }), /key version 1 appears twice/],
  ])('is refused when %s, without echoing its content', (_name, content, message) => {
    const file = writeKeyFile(content);
    const error = failure(() => loadOrCreateKeyFile(dataDir));
    expect(error.reason).toBe('key_source');
    expect(error.message).toMatch(message);
    expect(error.message).toContain(file);
    expectNoSecrets(error.message, [Buffer.from(key, 'base64'), Buffer.alloc(31, 7)]);
    // A bad file is never replaced by a fresh key: that would orphan every stored token.
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
  });

  it('is refused when it is a folder', () => {
    fs.mkdirSync(keyFilePath(dataDir), { recursive: true });
    expect(failure(() => loadOrCreateKeyFile(dataDir)).message).toMatch(/is not a regular file/);
  });
});

describe('addKeyFileVersion', () => {
  it('adds a current version, keeps the old ones, and keeps mode 0600', () => {
    const { ring: before } = loadOrCreateKeyFile(dataDir);
    const after = addKeyFileVersion(dataDir);
    expect(after.versions).toEqual([1, 2]);
    expect(after.current).toBe(2);
    expect(after.checkValues()[0]).toEqual(before.checkValues()[0]);
    expect(loadOrCreateKeyFile(dataDir).ring.checkValues()).toEqual(after.checkValues());
    if (posix) expect(mode(keyFilePath(dataDir))).toBe(0o600);
    expect(fs.readdirSync(dataDir)).toEqual([KEY_FILE_NAME]);
    expect(addKeyFileVersion(dataDir).versions).toEqual([1, 2, 3]);
  });

  it('refuses to run beside another rotation', () => {
    loadOrCreateKeyFile(dataDir);
    fs.writeFileSync(`${keyFilePath(dataDir)}.lock`, '');
    expect(failure(() => addKeyFileVersion(dataDir)).message).toMatch(/Another key rotation holds .*master-key\.json\.lock/);
    expect(loadOrCreateKeyFile(dataDir).ring.versions).toEqual([1]);
  });

  it.runIf(posix)('refuses a key file with broad permissions', () => {
    loadOrCreateKeyFile(dataDir);
    fs.chmodSync(keyFilePath(dataDir), 0o644);
    expect(failure(() => addKeyFileVersion(dataDir)).message).toMatch(/has mode 0644/);
    expect(fs.existsSync(`${keyFilePath(dataDir)}.lock`)).toBe(false);
  });
});

describe('loadKeyRing', () => {
  it('uses STRONGROOM_MASTER_KEY when given and creates no key file', () => {
    const { ring, createdKeyFile } = loadKeyRing({ masterKey: generateMasterKey(), dataDir });
    expect(ring.source).toBe('STRONGROOM_MASTER_KEY');
    expect(createdKeyFile).toBeUndefined();
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('falls back to the key file, and says when it created one', () => {
    const first = loadKeyRing({ masterKey: '  ', dataDir });
    expect(first.createdKeyFile).toBe(keyFilePath(dataDir));
    const second = loadKeyRing({ dataDir });
    expect(second.createdKeyFile).toBeUndefined();
    expect(second.ring.checkValues()).toEqual(first.ring.checkValues());
  });
});
