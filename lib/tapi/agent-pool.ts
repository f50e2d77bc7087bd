import 'server-only';
// One undici Agent per (origin, trusted CAs, client certificate), kept alive and shared by every token
// that uses it. The private key is revealed only here, into the Agent's TLS options: never to disk or a log.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { revealToken, type TokenHandle } from '@/lib/vault/token-handle';
import { TapiError } from './tapi-error';

/** An mTLS identity: the certificate T-Bank issued (public) and its private key, held by the vault. */
export interface TapiClientCertificate {
  /** PEM; the chain may follow the leaf. */
  certificatePem: string;
  /** The PEM private key as a vault handle. */
  privateKey: TokenHandle;
}

interface PooledAgent {
  agent: Agent;
  /** The last TLS alert a socket of this Agent received, and when (epoch ms). */
  alert?: { code: string; at: number };
}

const agents = new Map<string, PooledAgent>();
const byAgent = new WeakMap<Agent, PooledAgent>();

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

/** The pool key: no secret in it, only digests of public PEMs and the key handle's id. */
function keyOf(origin: string, caPem: string | undefined, certificate: TapiClientCertificate | undefined): string {
  return [origin, caPem ? digest(caPem) : '', certificate ? `${digest(certificate.certificatePem)}:${certificate.privateKey.id}` : ''].join('|');
}

/** Refuses, before any connection, a certificate that is unreadable or whose key is not the one given. */
function checkPair(certificatePem: string, privateKeyPem: string): void {
  let problem: string | undefined;
  try {
    if (!new X509Certificate(certificatePem).checkPrivateKey(createPrivateKey(privateKeyPem))) problem = 'The private key does not belong to the client certificate.';
  } catch {
    // Node's parse errors name no key material, but there is nothing in them worth passing on either.
    problem = 'The client certificate or its private key is not a readable PEM.';
  }
  if (problem) throw new TapiError({ kind: 'forbidden-certificate', serverMessage: problem });
}

/** The shared Agent for an origin; with a certificate, it presents it in every TLS handshake. */
export function agentFor(origin: string, caPem: string | undefined, certificate: TapiClientCertificate | undefined): Agent {
  const key = keyOf(origin, caPem, certificate);
  const pooled = agents.get(key);
  if (pooled) return pooled.agent;
  const privateKeyPem = certificate ? revealToken(certificate.privateKey) : undefined;
  if (certificate) checkPair(certificate.certificatePem, privateKeyPem!);
  const connector = buildConnector({
    // An extra CA is trusted on top of Node's roots (T-Bank's chain ends in the Russian Trusted Root CA).
    ca: caPem ? [...rootCertificates, caPem] : undefined,
    cert: certificate?.certificatePem,
    key: privateKeyPem,
    rejectUnauthorized: true,
  });
  const entry: PooledAgent = {
    agent: new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 120_000,
      connections: 16,
      // Under TLS 1.3 a server refuses a client certificate after the handshake; undici then reports only
      // "other side closed", so the alert is caught here, where the socket still says why.
      connect: (options, callback) =>
        connector(options, (error, socket) => {
          socket?.on('error', (socketError: NodeJS.ErrnoException) => {
            if (typeof socketError.code === 'string' && /ALERT/.test(socketError.code)) entry.alert = { code: socketError.code, at: Date.now() };
          });
          if (error) callback(error, null);
          else callback(null, socket!);
        }),
    }),
  };
  agents.set(key, entry);
  byAgent.set(entry.agent, entry);
  return entry.agent;
}

/** The TLS alert an Agent's socket received at or after `since` (epoch ms), e.g. `ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`. */
export function tlsAlertSince(agent: Agent, since: number): string | undefined {
  const alert = byAgent.get(agent)?.alert;
  return alert && alert.at >= since ? alert.code : undefined;
}

/** Closes every pooled Agent (tests, shutdown). */
export async function closeTapiAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((entry) => entry.agent.close()));
}
