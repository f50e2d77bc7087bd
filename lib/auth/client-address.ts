import 'server-only';
// The address a request came from, for the audit log. Next hands route handlers a web Request
// without the socket, and the X-Forwarded-For it fills in keeps whatever the client sent, so with
// no trusted proxy configured the node:http server stamps the socket's address into a header of
// our own (overwriting any client-sent copy) before Next sees the request.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export const CLIENT_ADDRESS_HEADER = 'x-strongroom-client-address';

// Set by the first stamp; shared through globalThis because the server and Next's bundle load
// this module separately. Until the server stamps, the header could only have come from a client.
const stamping = globalThis as { strongroomStampsClientAddress?: boolean };

/** Overwrites the client-address header with the socket's address; the server calls it on every request. */
export function stampClientAddress(request: IncomingMessage): void {
  stamping.strongroomStampsClientAddress = true;
  const address = request.socket.remoteAddress;
  if (address) request.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete request.headers[CLIENT_ADDRESS_HEADER];
}

/** The stamped client address (IPv4-mapped IPv6 shown as IPv4), or null when the server does not stamp. */
export function clientAddress(headers: Record<string, unknown> | Headers | undefined): string | null {
  if (!stamping.strongroomStampsClientAddress || !headers) return null;
  const value = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers[CLIENT_ADDRESS_HEADER];
  if (typeof value !== 'string' || isIP(value) === 0) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  return mapped ? mapped[1]! : value;
}
