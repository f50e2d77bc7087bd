import 'server-only';
// Demo mode on a fresh data folder: a demo owner with a random password (shown once), and the
// emulator's demo tokens deposited through the normal path (verified live against the emulator).
import crypto from 'node:crypto';
import { depositTinvestToken } from '../custody/deposit-tinvest-token';
import { db } from '../db';
import { createOwner } from '../setup/create-owner';
import { needsSetup } from '../setup/needs-setup';

export const DEMO_OWNER_EMAIL = 'demo@strongroom.example';

export interface DemoToken {
  label: string;
  purpose: string;
  endpoint: 'production' | 'sandbox';
  value: string;
}

export interface DemoSeed {
  email: string;
  password: string;
  tokens: { label: string; outcome: 'deposited' | string }[];
}

/** Seeds once: null when the data folder already has people in it (nothing is touched then). */
export async function seedDemo(tokens: DemoToken[]): Promise<DemoSeed | null> {
  if (!(await needsSetup())) return null;
  const password = crypto.randomBytes(12).toString('base64url');
  await createOwner({ name: 'Demo Owner', email: DEMO_OWNER_EMAIL, password });
  const owner = await db().user.findUniqueOrThrow({ where: { email: DEMO_OWNER_EMAIL }, select: { id: true, email: true, role: true } });
  const results: DemoSeed['tokens'] = [];
  // One at a time: the embedded database has one connection, and the emulator's rate limits are per user.
  for (const token of tokens) {
    try {
      await depositTinvestToken(owner, { label: token.label, purpose: token.purpose, endpoint: { kind: token.endpoint }, value: token.value });
      results.push({ label: token.label, outcome: 'deposited' });
    } catch (error) {
      results.push({ label: token.label, outcome: error instanceof Error ? error.message : 'failed' });
    }
  }
  return { email: owner.email, password, tokens: results };
}
