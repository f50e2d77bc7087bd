// The emulator's own CA, made with the openssl CLI (node:crypto cannot sign X.509): it signs the HTTPS
// server certificate and the client certificates that the mTLS listener accepts.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ClientCertificateRequest {
  commonName: string;
  /** Valid dates wholly in the past: the listener must refuse it. */
  expired?: boolean;
  /** Signed by a second CA that the emulator does not trust. */
  foreignCa?: boolean;
}

export interface ClientCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface CertificateAuthority {
  /** Where the CA lives; `caFile` is the path to give clients. */
  dir: string;
  caFile: string;
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  issueClientCertificate(request: ClientCertificateRequest): ClientCertificate;
  /** Removes the directory when the emulator made it (a caller's directory is kept). */
  remove(): void;
}

export interface CertificateAuthorityOptions {
  /** Keep the CA here and reuse it on the next start (demo mode); default: a fresh temp dir per start. */
  dir?: string;
  /** Host names and addresses the server certificate covers, beside localhost, 127.0.0.1 and ::1. */
  hosts?: string[];
  /** Use this CA (PEM certificate and its key) instead of making one. */
  ca?: { certPem: string; keyPem: string };
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
}

/** Creates (or, with a `dir` holding one, reuses) the CA and signs a fresh server certificate. */
export function createCertificateAuthority(options: CertificateAuthorityOptions = {}): CertificateAuthority {
  const ownDir = !options.dir;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'strongroom-tapi-ca-'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(`the T-API emulator needs the openssl CLI to sign its certificates: openssl ${args[0]} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
    }
  };
  // Minimal configs, so a system without openssl.cnf still works.
  writeFileSync(file('req.cnf'), '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n');
  const makeCa = (name: string, subject: string) => {
    if (existsSync(file(`${name}.pem`)) && existsSync(file(`${name}.key`))) return;
    openssl('req', '-config', 'req.cnf', '-x509', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', '-subj', subject,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  };
  if (options.ca) {
    writeFileSync(file('ca.pem'), options.ca.certPem);
    writeFileSync(file('ca.key'), options.ca.keyPem, { mode: 0o600 });
  }
  makeCa('ca', '/O=Strongroom/CN=T-API emulator CA');

  // `openssl ca` (not `x509 -req`) because only it takes explicit start and end dates on OpenSSL 3.0.
  const sign = (ca: string, csr: string, out: string, extensions: string, from: number, to: number) => {
    const db = `${ca}-index.txt`;
    if (!existsSync(file(db))) writeFileSync(file(db), '');
    const serial = randomBytes(8).toString('hex').toUpperCase();
    writeFileSync(file(`${ca}-serial`), `${serial}\n`);
    writeFileSync(
      file(`${ca}-sign.cnf`),
      `[ca]\ndefault_ca = d\n[d]\ndatabase = ${db}\nnew_certs_dir = .\nserial = ${ca}-serial\ndefault_md = sha256\npolicy = p\nunique_subject = no\ncopy_extensions = none\n[p]\ncommonName = supplied\n[ext]\n${extensions}`,
    );
    openssl('ca', '-config', `${ca}-sign.cnf`, '-batch', '-notext', '-cert', `${ca}.pem`, '-keyfile', `${ca}.key`, '-in', csr, '-out', out,
      '-startdate', stamp(from), '-enddate', stamp(to), '-extensions', 'ext');
    // openssl ca also files a copy under its serial; the caller has the certificate already.
    rmSync(file(`${serial}.pem`), { force: true });
  };
  const leaf = (ca: string, name: string, commonName: string, extensions: string, from: number, to: number) => {
    openssl('req', '-config', 'req.cnf', '-new', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName.replace(/[/\\]/g, '_')}`);
    sign(ca, `${name}.csr`, `${name}.pem`, extensions, from, to);
    const pair = { certificatePem: readFileSync(file(`${name}.pem`), 'utf8'), privateKeyPem: readFileSync(file(`${name}.key`), 'utf8') };
    for (const suffix of ['.csr', '.key', '.pem']) rmSync(file(`${name}${suffix}`), { force: true });
    return pair;
  };

  const now = Date.now();
  const hosts = ['localhost', '127.0.0.1', '::1', ...(options.hosts ?? [])];
  const altNames = [...new Set(hosts)].map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  const server = leaf('ca', 'server', 'localhost', `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${altNames}\n`, now - 3_600_000, now + 30 * 86_400_000);

  let counter = 0;
  return {
    dir,
    caFile: file('ca.pem'),
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    serverCertPem: server.certificatePem,
    serverKeyPem: server.privateKeyPem,
    issueClientCertificate: (request) => {
      const ca = request.foreignCa ? 'foreign-ca' : 'ca';
      if (request.foreignCa) makeCa('foreign-ca', '/O=Elsewhere/CN=Some other CA');
      const t = Date.now();
      // [DOC] T-Bank's client certificates live a year.
      const [from, to] = request.expired ? [t - 400 * 86_400_000, t - 35 * 86_400_000] : [t - 3_600_000, t + 365 * 86_400_000];
      return leaf(ca, `client-${process.pid}-${++counter}`, request.commonName, 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n', from, to);
    },
    remove: () => {
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
