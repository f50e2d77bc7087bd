// What the page benchmarks share: the production server and the T-Invest emulator as child processes, the
// server's CPU time and RSS read from /proc (so other work on the machine does not count), and an owner
// signed in through the real setup and sign-in endpoints with a token deposited through the API.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

/** The process's user + system CPU time so far, in ms. */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat; after "pid (comm) " the state is index 0.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

export function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Math.round(Number(line?.[1] ?? 0) / 1024);
}

export function start(command: string, args: string[], env: Record<string, string>, log: string): ChildProcess {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = fs.createWriteStream(log);
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  return child;
}

export async function waitFor(check: () => Promise<boolean>, what: string, seconds = 120): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${seconds} s`);
}

/** Cookies from Set-Cookie headers, merged into a jar (name → value). */
function keep(jar: Map<string, string>, response: Response): void {
  for (const header of response.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Creates the owner with the setup code the server logged and signs in; returns the session cookie header. */
export async function signInOwner(base: string, setupCode: string): Promise<string> {
  const owner = { name: 'Bench Owner', email: 'bench@strongroom.test', password: 'bench-password-long-enough' };
  const setup = await fetch(`${base}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ ...owner, code: setupCode }) });
  if (setup.status !== 201) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
  const jar = new Map<string, string>();
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signIn = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar), origin: base },
    body: new URLSearchParams({ csrfToken, email: owner.email, password: owner.password, json: 'true' }),
  });
  keep(jar, signIn);
  const cookie = cookieHeader(jar);
  const session = (await (await fetch(`${base}/api/auth/session`, { headers: { cookie } })).json()) as { uid?: string };
  if (!session.uid) throw new Error('sign-in failed');
  return cookie;
}

/** Deposits a T-Invest token through the API; returns its id. */
export async function depositToken(base: string, cookie: string, label: string, value: string): Promise<string> {
  const response = await fetch(`${base}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: base },
    body: JSON.stringify({ label, value, endpoint: { kind: 'production' } }),
  });
  if (response.status !== 201 && response.status !== 200) throw new Error(`deposit: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: { id: string } }).token.id;
}

/** The setup code a fresh server prints in its log. */
export function setupCodeFrom(log: string): string {
  const code = fs.readFileSync(log, 'utf8').match(/Setup code\s+(\S+)/)?.[1];
  if (!code) throw new Error('no setup code in the server log');
  return code;
}

export function percentile(sorted: number[], q: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]! * 10) / 10;
}
