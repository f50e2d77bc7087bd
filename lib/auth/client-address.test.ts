// The client address for the audit log: only what the server stamped from the socket counts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS_HEADER, clientAddress, stampClientAddress } from './client-address';

/** Sends one request with `headers` to a server that stamps it, and answers what clientAddress then reads. */
async function roundTrip(headers: Record<string, string>): Promise<{ address: string | null; header: string | undefined }> {
  const server = http.createServer((request, response) => {
    stampClientAddress(request);
    response.end(JSON.stringify({ address: clientAddress(request.headers), header: request.headers[CLIENT_ADDRESS_HEADER] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers });
    return (await response.json()) as { address: string | null; header: string | undefined };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('clientAddress', () => {
  // First in the file: nothing has stamped yet in this process.
  it('trusts no header while the server does not stamp: a client could have sent it', () => {
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: '203.0.113.9' })).toBeNull();
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: '203.0.113.9' }))).toBeNull();
  });

  it("overwrites a client-sent address (and ignores X-Forwarded-For) with the socket's", async () => {
    expect(await roundTrip({ [CLIENT_ADDRESS_HEADER]: '203.0.113.9', 'x-forwarded-for': '198.51.100.1' })).toEqual({ address: '127.0.0.1', header: '127.0.0.1' });
    expect(await roundTrip({})).toEqual({ address: '127.0.0.1', header: '127.0.0.1' });
  });

  it('reads plain and Headers objects, shows IPv4-mapped IPv6 as IPv4, and refuses what is not an address', () => {
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: '::ffff:192.0.2.4' })).toBe('192.0.2.4');
    expect(clientAddress(new Headers({ [CLIENT_ADDRESS_HEADER]: '2001:db8::1' }))).toBe('2001:db8::1');
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: 'evil, 1.2.3.4' })).toBeNull();
    expect(clientAddress({})).toBeNull();
    expect(clientAddress(undefined)).toBeNull();
  });
});
