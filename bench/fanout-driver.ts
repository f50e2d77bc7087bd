// Fan-out benchmark client (child process): holds SSE connections on raw sockets and counts `event: data`
// frames with Buffer.indexOf, so the driver stays cheaper than the servers it measures. Every 50th event
// is timed: client receive − the `"rx":` stamp the server put on it at upstream receive.
// Driven over IPC by bench/fanout.ts: connect → reset → report → close.
import net from 'node:net';

const MARKER = Buffer.from('event: data');
const RX = Buffer.from('"rx":');
const SAMPLE_EVERY = 50;

interface Client {
  socket: net.Socket;
  ok: boolean;
}

const clients: Client[] = [];
let events = 0;
let sinceSample = 0;
let latencies: number[] = [];
let failures = 0;

/** The number after `"rx":` at `from`, or -1 if the chunk ends first. */
function readStamp(buf: Buffer, from: number): number {
  let value = 0;
  for (let i = from; i < buf.length; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return i > from ? value : -1;
    value = value * 10 + (c - 48);
  }
  return -1;
}

function onChunk(buf: Buffer, tail: { bytes: Buffer }) {
  const now = Date.now();
  // A marker split across two reads: look at the seam once.
  if (tail.bytes.length) {
    const seam = Buffer.concat([tail.bytes, buf.subarray(0, MARKER.length - 1)]);
    if (seam.indexOf(MARKER) >= 0) events++;
  }
  let at = buf.indexOf(MARKER);
  while (at >= 0) {
    events++;
    if (++sinceSample >= SAMPLE_EVERY) {
      const rx = buf.indexOf(RX, at);
      const stamp = rx > 0 ? readStamp(buf, rx + RX.length) : -1;
      if (stamp > 0) {
        sinceSample = 0;
        latencies.push(now - stamp);
      }
    }
    at = buf.indexOf(MARKER, at + MARKER.length);
  }
  tail.bytes = buf.length >= MARKER.length - 1 ? buf.subarray(buf.length - (MARKER.length - 1)) : Buffer.from(buf);
}

function connect(port: number, path: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const client: Client = { socket, ok: false };
    const tail = { bytes: Buffer.alloc(0) };
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`));
    socket.once('data', (first: Buffer) => {
      client.ok = first.subarray(0, 12).toString('latin1') === 'HTTP/1.1 200';
      if (!client.ok) failures++;
      socket.on('data', (buf: Buffer) => onChunk(buf, tail));
      onChunk(first, tail);
      resolve();
    });
    socket.on('error', () => {
      failures++;
      resolve();
    });
    clients.push(client);
  });
}

async function connectAll(port: number, path: string, n: number) {
  for (let i = 0; i < n; i += 250) await Promise.all(Array.from({ length: Math.min(250, n - i) }, () => connect(port, path)));
}

process.on('message', (message: { type: string; port?: number; path?: string; n?: number }) => {
  switch (message.type) {
    case 'connect':
      void connectAll(message.port!, message.path!, message.n!).then(() => process.send!({ type: 'connected', failures }));
      return;
    case 'reset':
      events = 0;
      latencies = [];
      process.send!({ type: 'reset' });
      return;
    case 'report':
      process.send!({ type: 'report', events, latencies, failures });
      return;
    case 'close':
      for (const client of clients) client.socket.destroy();
      clients.length = 0;
      events = 0;
      latencies = [];
      failures = 0;
      process.send!({ type: 'closed' });
      return;
  }
});
process.send!({ type: 'ready' });
