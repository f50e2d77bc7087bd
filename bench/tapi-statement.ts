// Benchmark: a 100,000-operation T-API statement exported to CSV through the app's real path
// (lib/business exportStatementCsv: a real viewer, the grant checked by custody's tapiFor on every
// page, the vault opening the token, lib/tapi's lossless JSON and DTOs, streamed) beside the same
// export done by a plain fetch + JSON.parse loop; and the statement page's first page, warm.
// Run: npm run bench:tapi -- [--operations 100000] [--rounds 30] [--page-size 1000]
// Three processes: the T-API emulator (largeStatement), then each exporter alone in its own child, so
// its RSS and process.cpuUsage() are its own. Results and method: docs/PERFORMANCE.md.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface EmulatorInfo {
  baseUrl: string;
  securedBaseUrl: string;
  caFile: string;
  token: string;
  account: string;
  inn: string;
  kpp: string;
}

interface ExportResult {
  path: 'lib' | 'plain';
  rows: number;
  bytes: number;
  wallMs: number;
  cpuMs: number;
  rssBaselineMb: number;
  rssGrowthMb: number;
  heapGrowthMb: number;
  /** Heap still held after the export and a full GC: what the export kept, not the garbage it made. */
  retainedMb: number;
  /** The plain loop run in the lib process afterwards (same heap, same GC pacing). */
  plainHere?: ExportResult;
  pages?: { rounds: number; p50: number; p95: number; max: number; cpuMsPerRequest: number; operations: number };
}

function child(args: string[]): ChildProcess {
  // BENCH_V8_FLAGS: extra V8 flags for the children (experiments such as --no-allocation-site-pretenuring).
  const extra = (process.env.BENCH_V8_FLAGS ?? '').split(/\s+/).filter(Boolean);
  return spawn(process.execPath, ['--expose-gc', ...extra, '--conditions=react-server', '--import', 'tsx', SELF, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
}

function firstJsonLine<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as T);
    });
    proc.on('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
}

async function emulatorMain(operations: number) {
  const { startTapiEmulator, DEMO_TAPI_ACCOUNTS, DEMO_TAPI_COMPANY, DEMO_TAPI_TOKENS } = await import('@/emulator/tapi');
  const emu = await startTapiEmulator({ largeStatement: operations });
  const info: EmulatorInfo = { baseUrl: emu.baseUrl, securedBaseUrl: emu.securedBaseUrl, caFile: emu.caFile, token: DEMO_TAPI_TOKENS.fullAccess, account: DEMO_TAPI_ACCOUNTS.large, inn: DEMO_TAPI_COMPANY.inn, kpp: DEMO_TAPI_COMPANY.kpp };
  console.log(JSON.stringify(info));
}

/** Samples RSS and heap every 5 ms while `work` runs; growth is over the level just before it (after a GC). */
async function measured(work: () => Promise<{ rows: number; bytes: number }>): Promise<Omit<ExportResult, 'path' | 'pages'>> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  }, 5);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { rows, bytes } = await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  const end = process.memoryUsage();
  peakRss = Math.max(peakRss, end.rss);
  (globalThis as { gc?: () => void }).gc?.();
  const retained = process.memoryUsage().heapUsed - base.heapUsed;
  const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
  return { rows, bytes, wallMs: Math.round(wallMs), cpuMs: Math.round((cpu.user + cpu.system) / 1000), rssBaselineMb: mb(base.rss), rssGrowthMb: mb(peakRss - base.rss), heapGrowthMb: mb(peakHeap - base.heapUsed), retainedMb: mb(retained) };
}

/** Counts CSV rows (CRLF) and bytes as a download would receive them, holding nothing. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) rows++;
  }
  return { rows: rows - 1, bytes };
}

async function libMain(info: EmulatorInfo, rounds: number, pageSize: number) {
  process.env.TAPI_PRODUCTION_URL = info.baseUrl;
  process.env.TAPI_SECURED_URL = info.securedBaseUrl;
  process.env.TAPI_CA_FILE = info.caFile;
  process.env.STRONGROOM_EGRESS_IPS = '127.0.0.1';
  process.env.TOKEN_CHECKS = 'off';
  process.env.STRONGROOM_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'strongroom-bench-tapi-'));
  delete process.env.DATABASE_URL;
  const { env } = await import('@/lib/env');
  const { databaseTarget } = await import('@/lib/db/connect');
  const { applyMigrations } = await import('@/lib/migrations/migrations');
  await applyMigrations(databaseTarget(env()));
  const { createUser } = await import('@/lib/testing/create-user');
  const { depositTapiToken } = await import('@/lib/custody/deposit-tapi-token');
  const { setGrant } = await import('@/lib/custody/set-grant');
  const { exportStatementCsv } = await import('@/lib/business/export-statement-csv');
  const { loadStatementPage } = await import('@/lib/business/pages');

  const owner = await createUser('owner');
  const member = await createUser('member');
  const accesses = ['company-info/get', 'bank-accounts/get', 'bank-statements/get'].map((scope) => `opensme/inn/${info.inn}/kpp/${info.kpp}/${scope}`);
  const { token } = await depositTapiToken(owner, { label: 'Bench', value: info.token, ipAllowlist: ['127.0.0.1', '::1'], accesses });
  await setGrant(owner, token.id, member.id, [info.account]);
  const params = { tokenId: token.id, accountNumber: info.account };

  // The statement page's first page (default: last 30 days, 100 operations, balances), warm: what the page awaits.
  const times: number[] = [];
  let cpuUs = 0;
  let operations = 0;
  for (let i = 0; i < rounds + 5; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { data, failure } = await loadStatementPage(member, params, {});
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    if (failure || !data || data.failure) throw new Error(`statement page failed: ${JSON.stringify(failure ?? data?.failure)}`);
    operations = data.operations.length;
    if (i >= 5) {
      times.push(ms);
      cpuUs += cpu.user + cpu.system;
    }
    // Under T-API's 20 requests/s for the statement, so the client's limiter never makes a page wait.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 60 - ms)));
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]! * 10) / 10;
  const pages = { rounds, p50: pct(50), p95: pct(95), max: Math.round(times.at(-1)! * 10) / 10, cpuMsPerRequest: Math.round(cpuUs / rounds / 100) / 10, operations };

  const from = day(Date.now() - 181 * DAY_MS);
  const result = await measured(async () => drain((await exportStatementCsv(member, token.id, info.account, { from }, { pageSize })).stream));
  // The plain loop again in this process: the same heap (database, app modules), so the same GC pacing.
  const plainHere = await measured(() => plainExport(info));
  console.log(JSON.stringify({ path: 'lib', ...result, pages, plainHere: { path: 'plain', ...plainHere } } satisfies ExportResult));
  process.exit(0);
}

/** The same export the naive way: fetch every page, JSON.parse it (amounts become floats), write CSV lines. */
async function plainExport(info: EmulatorInfo): Promise<{ rows: number; bytes: number }> {
  const { Agent, request } = await import('undici');
  const { csvLine } = await import('@/lib/csv');
  const dispatcher = new Agent({ connect: { ca: fs.readFileSync(info.caFile, 'utf8') } });
  const from = `${day(Date.now() - 181 * DAY_MS)}T00:00:00Z`;
  const to = `${day(Date.now() + DAY_MS)}T00:00:00Z`;
  let rows = 0;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const url = new URL(`${info.baseUrl}/api/v1/statement`);
    url.search = new URLSearchParams({ accountNumber: info.account, from, to, limit: '1000', ...(cursor ? { cursor } : {}) }).toString();
    const response = await request(url, { dispatcher, headers: { authorization: `Bearer ${info.token}` } });
    if (response.statusCode === 429) {
      // T-API's 20 calls/s window (the app's export may just have used it): wait it out and ask again.
      await response.body.dump();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    if (response.statusCode !== 200) throw new Error(`statement page: ${response.statusCode} ${await response.body.text()}`);
    const page = JSON.parse(await response.body.text()) as { operations: Record<string, unknown>[]; nextCursor?: string | null };
    let text = '';
    for (const o of page.operations) {
      const party = (o.counterParty ?? {}) as Record<string, unknown>;
      text += csvLine([o.operationId, o.operationDate, o.operationStatus, o.typeOfOperation, o.accountAmount, o.accountCurrencyDigitalCode, o.operationAmount, o.operationCurrencyDigitalCode, o.rubleAmount, party.name, party.inn, party.kpp, party.account, party.bankBic, o.documentNumber, o.category, o.payPurpose ?? o.description, o.authorizationDate, o.trxnPostDate]);
      rows++;
    }
    bytes += Buffer.byteLength(text);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await dispatcher.close();
  return { rows, bytes };
}

async function plainMain(info: EmulatorInfo) {
  const result = await measured(() => plainExport(info));
  console.log(JSON.stringify({ path: 'plain', ...result } satisfies ExportResult));
  process.exit(0);
}

async function main() {
  const operations = arg('operations', 100_000);
  const rounds = arg('rounds', 30);
  const pageSize = arg('page-size', 1000);
  const emulator = child(['--emulator', String(operations)]);
  try {
    const info = await firstJsonLine<EmulatorInfo>(emulator);
    const encoded = Buffer.from(JSON.stringify(info)).toString('base64url');
    const lib = await firstJsonLine<ExportResult>(child(['--lib', encoded, String(rounds), String(pageSize)]));
    const plain = await firstJsonLine<ExportResult>(child(['--plain', encoded]));
    const rate = (r: ExportResult) => Math.round(r.rows / (r.wallMs / 1000));
    console.log(`T-API statement export, ${operations} operations, ${pageSize} a page (app path), ${os.cpus().length} cores, Node ${process.version}`);
    const labelled = [{ ...lib, label: 'lib (app path)' }, { ...lib.plainHere!, label: 'plain, same process' }, { ...plain, label: 'plain, own process' }];
    for (const r of labelled) {
      console.log(`  ${r.label.padEnd(20)} rows ${r.rows}, ${(r.bytes / 1048576).toFixed(1)} MB CSV, ${r.wallMs} ms, ${rate(r)} ops/s, CPU ${r.cpuMs} ms, RSS +${r.rssGrowthMb} MB (from ${r.rssBaselineMb} MB), heap +${r.heapGrowthMb} MB, retained after GC ${r.retainedMb} MB`);
    }
    if (lib.pages) console.log(`  statement page (first page, warm, ${lib.pages.rounds} rounds, ${lib.pages.operations} operations): p50 ${lib.pages.p50} ms, p95 ${lib.pages.p95} ms, max ${lib.pages.max} ms, CPU ${lib.pages.cpuMsPerRequest} ms/request`);
    const verdicts = [`rows equal: ${lib.rows === plain.rows && lib.rows === operations}`, `lib RSS growth under 50 MB: ${lib.rssGrowthMb < 50}`, `page p95 under 300 ms: ${(lib.pages?.p95 ?? Infinity) < 300}`];
    console.log(`  ${verdicts.join('; ')}`);
    console.log(JSON.stringify({ operations, lib, plain }));
  } finally {
    emulator.kill();
  }
}

const mode = process.argv[2];
const decode = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as EmulatorInfo;
if (mode === '--emulator') void emulatorMain(Number(process.argv[3]));
else if (mode === '--lib') void libMain(decode(process.argv[3]!), Number(process.argv[4]), Number(process.argv[5]));
else if (mode === '--plain') void plainMain(decode(process.argv[3]!));
else
  void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
