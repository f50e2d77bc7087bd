// Response compression, isolated: CPU per response of a streamed page written as Next writes the account page
// (7 chunks, 75 KiB, each followed by a flush in its own tick) through no compression, Next's compression
// middleware (a zlib stream, gzip level 6) and lib/server/compress-responses.ts (synchronous level-1 segments).
// Server and 10 keep-alive clients share this process, pinned by the caller if wanted:
//   taskset -c 0 node --conditions=react-server --import tsx bench/compression.ts [--responses 3000]
// The figure is process CPU (all threads: the thread pool's zlib work counts) per response, minus nothing:
// compare the rows, the "none" row is the HTTP cost without compression.
import http from 'node:http';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { withCompression } from '../lib/server/compress-responses';
import { option } from './harness';

const RESPONSES = Number(option('responses', '3000'));
// The account page's chunk sizes as it streamed (shell, positions, payload, analytics card, closing scripts).
const CHUNK_BYTES = [9124, 16874, 17382, 30558, 1298, 1055, 14];
const row = (i: number) => `<tr data-ticker="T${i}"><td><a class="row-link" href="/instruments/${(i * 2654435761) % 4294967296}">Инструмент ${i}</a><div class="note">T${i}</div></td><td class="num">${(i * 7919) % 104729},${i % 100}</td><td class="num">${(i * 104729) % 7919} ₽</td></tr>`;
let markup = '';
for (let i = 0; markup.length < 80_000; i++) markup += row(i) + (i % 7 === 0 ? `self.__next_f.push([1,"${i}:[\\"$\\",\\"td\\",null,{\\"className\\":\\"num\\"}]"])` : '');
const page = Buffer.from(markup).subarray(0, CHUNK_BYTES.reduce((a, b) => a + b));
const chunks: Buffer[] = [];
for (let at = 0, i = 0; i < CHUNK_BYTES.length; at += CHUNK_BYTES[i]!, i++) chunks.push(page.subarray(at, at + CHUNK_BYTES[i]!));

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;
const streamPage: Handler = (_request, response) => {
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  let i = 0;
  const next = () => {
    if (i === chunks.length) return void response.end();
    response.write(chunks[i++]);
    (response as http.ServerResponse & { flush?: () => void }).flush?.();
    setImmediate(next);
  };
  next();
};
const nextCompression = createRequire(import.meta.url)('next/dist/compiled/compression')() as (q: http.IncomingMessage, r: http.ServerResponse, next: () => void) => void;
const variants: Record<string, Handler> = {
  none: streamPage,
  'next (zlib stream, level 6)': (request, response) => nextCompression(request, response, () => streamPage(request, response)),
  'ours (sync segments, level 1)': withCompression(streamPage) as Handler,
};

async function measure(handler: Handler): Promise<{ cpuMs: number; wireBytes: number }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  let wireBytes = 0;
  const one = () =>
    new Promise<void>((resolve, reject) =>
      http.get({ port, host: '127.0.0.1', agent, headers: { 'accept-encoding': 'gzip, deflate, br' } }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => {
          const body = Buffer.concat(parts);
          wireBytes = body.length;
          const plain = response.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(body) : body;
          if (!plain.equals(page)) reject(new Error('the body did not survive the round trip'));
          resolve();
        });
      }).on('error', reject),
    );
  const burst = (count: number) => Promise.all(Array.from({ length: 10 }, async () => { for (let i = 0; i < count / 10; i++) await one(); }));
  await burst(500);
  const before = process.cpuUsage();
  await burst(RESPONSES);
  const used = process.cpuUsage(before);
  agent.destroy();
  await new Promise((resolve) => server.close(resolve));
  return { cpuMs: (used.user + used.system) / 1000 / RESPONSES, wireBytes };
}

const rows: Record<string, { cpuMsPerResponse: number[]; wireKiB: number }> = {};
for (let round = 0; round < 3; round++) {
  for (const [name, handler] of Object.entries(variants)) {
    const { cpuMs, wireBytes } = await measure(handler);
    rows[name] ??= { cpuMsPerResponse: [], wireKiB: Math.round(wireBytes / 102.4) / 10 };
    rows[name].cpuMsPerResponse.push(Math.round(cpuMs * 1000) / 1000);
  }
}
console.log(JSON.stringify({ pageKiB: Math.round(page.length / 102.4) / 10, responses: RESPONSES, rows }, null, 2));
