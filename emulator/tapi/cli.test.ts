// `npm run emulator:tapi`: the process prints where it listens, its CA and its tokens, serves, and stops cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDefaultScenario } from './default-scenario';
import { httpsGet } from './https-get';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

function runCli(args: string[]) {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['emulator/tapi/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) resolve(match);
      };
      child.stdout.on('data', check);
      void exited.then((code) => reject(new Error(`emulator exited with ${code}: ${stderr}`)));
      check();
    });
  return { child, exited, waitFor, stderr: () => stderr };
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('T-API emulator CLI', () => {
  it('prints addresses, the CA file and the tokens, answers with them, and removes its CA on SIGTERM', async () => {
    const cli = runCli(['--port', '0', '--secure-port', '0']);
    const baseUrl = (await cli.waitFor(/^production\s+(https:\/\/127\.0\.0\.1:\d+\/openapi)\/api/m))[1]!;
    await cli.waitFor(/^secured\s+https:\/\/127\.0\.0\.1:\d+\/api/m);
    const caFile = (await cli.waitFor(/^CA\s+(\S+)$/m))[1]!;
    const token = (await cli.waitFor(/^\s+tapi-full-access\s+severnaya\s+(t\.\S+)$/m))[1]!;
    const r = await httpsGet(`${baseUrl}/api/v1/company`, { ca: readFileSync(caFile, 'utf8'), token });
    expect(r.status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(existsSync(caFile)).toBe(false);
  });

  it('exits 2 naming the bad field of a scenario file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tapi-cli-'));
    const scenario = buildDefaultScenario();
    scenario.tokens[2]!.allowedIps = ['not-an-ip'];
    writeFileSync(path.join(dir, 's.json'), JSON.stringify(scenario));
    const cli = runCli(['--port', '0', '--secure-port', '0', '--scenario', path.join(dir, 's.json')]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('tokens.2.allowedIps.0: an IPv4 or IPv6 address');
  });
});
