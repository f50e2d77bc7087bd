// The secret scan, in two parts: the scanner provably finds a planted value (raw, base64 and
// base64url at any alignment, percent-encoded), and a scan of everything so far finds no deposited
// value. global-teardown.ts repeats the full scan after the very last spec.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_TAPI_TOKENS } from '../../emulator/tapi/default-scenario';
import { DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { depositedKeySecrets, findSecrets, runSecretScan, scanPaths } from '../secret-scan';
import { expect, INVALID_TOKEN, test } from './support';

const PLANTED = 't.PlantedSecretForTheScannerSelfTest_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN';

test('the scanner finds a planted value in every encoding, and nothing in clean data', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-scan-'));
  for (let prefix = 0; prefix < 3; prefix++) {
    const blob = Buffer.concat([Buffer.from('x'.repeat(prefix)), Buffer.from(PLANTED), Buffer.from('{"more":1}')]);
    fs.writeFileSync(path.join(folder, `b64-${prefix}.json`), JSON.stringify({ cookie: blob.toString('base64') }));
    fs.writeFileSync(path.join(folder, `b64url-${prefix}.txt`), `set-cookie: s=${blob.toString('base64url')}; Path=/`);
  }
  fs.writeFileSync(path.join(folder, 'raw.log'), `{"msg":"oops","token":"${PLANTED}"}`);
  fs.writeFileSync(path.join(folder, 'query.txt'), `GET /x?v=${encodeURIComponent(`${PLANTED}/`)}`);
  fs.writeFileSync(path.join(folder, 'clean.txt'), `masked ${PLANTED.slice(0, 4)}…${PLANTED.slice(-4)} and ${Buffer.from(PLANTED.slice(0, 12)).toString('base64')}`);

  const { findings, files } = scanPaths([folder], [PLANTED]);
  expect(files).toBe(9);
  const flagged = new Set(findings.map((finding) => path.basename(finding.where)));
  expect([...flagged].sort()).toEqual(['b64-0.json', 'b64-1.json', 'b64-2.json', 'b64url-0.txt', 'b64url-1.txt', 'b64url-2.txt', 'query.txt', 'raw.log']);
  expect(findSecrets(Buffer.from('nothing to see'), [PLANTED], 'memory')).toEqual([]);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('no deposited token value or private key appears in responses, the server log, client bundles or the database', () => {
  const secrets = [...Object.values(DEMO_TOKENS), INVALID_TOKEN, ...Object.values(DEMO_TAPI_TOKENS), ...depositedKeySecrets()];
  const { findings, files, dumpRows } = runSecretScan(secrets);
  expect(dumpRows).toBeGreaterThan(20);
  expect(files).toBeGreaterThan(50);
  expect(findings).toEqual([]);
});
