// Tests' raw HTTPS client: node:https with the emulator's CA (and optionally a client certificate), no lib/tapi.
import { Agent, request } from 'node:https';

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
}

export interface HttpsGetOptions {
  ca: string;
  token?: string;
  headers?: Record<string, string>;
  method?: string;
  clientCertificate?: { certificatePem: string; privateKeyPem: string };
  /** Bind the local side of the connection (e.g. "::1" to call from IPv6 loopback). */
  localAddress?: string;
}

/** One request on a fresh connection (so each call's TLS handshake and source address are its own). */
export function httpsGet(url: string, options: HttpsGetOptions): Promise<HttpsAnswer> {
  const agent = new Agent({ ca: options.ca, cert: options.clientCertificate?.certificatePem, key: options.clientCertificate?.privateKeyPem, keepAlive: false });
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: options.method ?? 'GET', headers, localAddress: options.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        agent.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null });
        } catch (error) {
          reject(new Error(`not JSON (${res.statusCode}): ${text.slice(0, 200)}`, { cause: error }));
        }
      });
    });
    req.on('error', (error) => {
      agent.destroy();
      reject(error);
    });
    req.end();
  });
}
