import 'server-only';
// The one-time setup code: whoever can read the server's log may claim a fresh install, not whoever
// reaches the port first. Kept only as a hash, in memory on globalThis (the server and Next's bundle
// load lib/ separately), and retired once the owner exists.
import crypto from 'node:crypto';
import { env } from '../env';

/** 32 symbols without 0/O or 1/I, so a code read off a terminal is typed right. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

const holder = globalThis as { strongroomSetupCode?: { hash: Buffer } | null };

/** What someone typed, as compared: case, spaces and dashes do not matter. */
export function normalizeSetupCode(value: string): string {
  return value.toUpperCase().replace(/[\s-]/g, '');
}

function digest(code: string): Buffer {
  return crypto.createHash('sha256').update(normalizeSetupCode(code)).digest();
}

function randomCode(): string {
  const groups = Array.from({ length: GROUPS }, () => Array.from({ length: GROUP_LENGTH }, () => ALPHABET[crypto.randomInt(ALPHABET.length)]).join(''));
  return groups.join('-');
}

/** Starts this run's code: STRONGROOM_SETUP_CODE when set, else a fresh random one (60 bits), returned once for the log. */
export function issueSetupCode(): { code: string; fromEnv: boolean } {
  const fixed = env().STRONGROOM_SETUP_CODE;
  const code = fixed ?? randomCode();
  holder.strongroomSetupCode = { hash: digest(code) };
  return { code, fromEnv: fixed !== undefined };
}

/** True when `candidate` is this run's code; compared in constant time. */
export function setupCodeMatches(candidate: string | undefined): boolean {
  if (holder.strongroomSetupCode === undefined) {
    // Served without lib/server/main.ts (next start): issue the code here, where the log still shows it.
    const issued = issueSetupCode();
    console.log(`First-run setup code: ${issued.fromEnv ? 'the value of STRONGROOM_SETUP_CODE' : issued.code}`);
  }
  const current = holder.strongroomSetupCode;
  if (!current || !candidate) return false;
  return crypto.timingSafeEqual(digest(candidate), current.hash);
}

/** The owner exists: no code works any more in this process. */
export function retireSetupCode(): void {
  holder.strongroomSetupCode = null;
}
