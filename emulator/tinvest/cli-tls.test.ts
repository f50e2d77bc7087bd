// The CLI's --tls-cert/--tls-key: the emulator process serves HTTP/2 over TLS with the given certificate.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, opensslVersion, type TestCertificates } from './test-certificates';

const openssl = opensslVersion();
const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

function runCli(args: string[]) {
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['emulator/tinvest/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  /** Resolves with the first stdout match of `pattern`, or rejects when the process exits first. */
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

function handshake(port: number, ca: string, servername: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca, servername, ALPNProtocols: ['h2'] }, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe.skipIf(!openssl)(`emulator CLI with --tls-cert/--tls-key (${openssl ?? 'openssl CLI not found: cannot sign test certificates'})`, () => {
  let certs: TestCertificates;

  beforeAll(() => {
    certs = makeTestCertificates();
  });

  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    certs?.remove();
  });

  it('serves both gRPC ports over TLS with the given certificate, and stops cleanly', async () => {
    const cli = runCli(['--port', '0', '--sandbox-port', '0', '--admin-port', '0', '--tls-cert', certs.localhost.certFile, '--tls-key', certs.localhost.keyFile]);
    const production = Number((await cli.waitFor(/^production\s+127\.0\.0\.1:(\d+)$/m))[1]);
    const sandbox = Number((await cli.waitFor(/^sandbox\s+127\.0\.0\.1:(\d+)$/m))[1]);
    for (const port of [production, sandbox]) {
      const socket = await handshake(port, certs.ca.certPem, 'localhost');
      expect(socket.authorized).toBe(true);
      expect(socket.alpnProtocol).toBe('h2');
      expect(socket.getPeerCertificate().subject.CN).toBe('localhost');
      socket.destroy();
    }
    await expect(handshake(production, certs.otherIssuer.certPem, 'localhost')).rejects.toThrow(/unable to verify|self[- ]signed/i);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('refuses a certificate without its key (exit 2)', async () => {
    const cli = runCli(['--port', '0', '--tls-cert', certs.localhost.certFile]);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('--tls-cert and --tls-key go together');
  });
});
