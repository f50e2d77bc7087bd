// Throwaway TLS material for tests, made with the openssl CLI (node:crypto cannot sign X.509).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
}

export interface TestCertificates {
  dir: string;
  /** The throwaway CA: trusted by nothing unless a test adds it. */
  ca: TestCertificate;
  /** Signed by `ca` for localhost and 127.0.0.1. */
  localhost: TestCertificate;
  /** Signed by `ca`, valid, but for wrong.example only. */
  wrongHost: TestCertificate;
  /** For localhost and 127.0.0.1, but signed by a second CA that no test trusts. */
  otherIssuer: TestCertificate;
  remove(): void;
}

/** The openssl version line, or null when the CLI is absent. */
export function opensslVersion(): string | null {
  try {
    return execFileSync('openssl', ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** A CA and server certificates in a fresh temp dir (P-256, valid for one day). */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(tmpdir(), 'strongroom-tls-'));
  // A minimal config, so a system without openssl.cnf still works.
  const config = path.join(dir, 'openssl.cnf');
  writeFileSync(config, '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const file = (name: string) => path.join(dir, name);
  const load = (name: string): TestCertificate => ({ certPem: readFileSync(file(`${name}.pem`), 'utf8'), keyPem: readFileSync(file(`${name}.key`), 'utf8'), certFile: file(`${name}.pem`), keyFile: file(`${name}.key`) });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  const makeCa = (name: string, subject: string) =>
    openssl('req', '-config', config, '-x509', ...key, '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`), '-days', '1', '-subj', subject,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  const makeLeaf = (name: string, issuer: string, commonName: string, altNames: string) => {
    openssl('req', '-config', config, '-new', ...key, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${commonName}`);
    writeFileSync(file(`${name}.ext`), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${altNames}\n`);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file(`${issuer}.pem`), '-CAkey', file(`${issuer}.key`), '-set_serial', `0x${randomBytes(8).toString('hex')}`,
      '-days', '1', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`));
  };

  makeCa('ca', '/CN=Strongroom throwaway test CA');
  makeLeaf('localhost', 'ca', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  makeLeaf('wrong-host', 'ca', 'wrong.example', 'DNS:wrong.example');
  makeCa('other-ca', '/CN=Strongroom untrusted CA');
  makeLeaf('other', 'other-ca', 'localhost', 'DNS:localhost,IP:127.0.0.1');
  return { dir, ca: load('ca'), localhost: load('localhost'), wrongHost: load('wrong-host'), otherIssuer: load('other'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
