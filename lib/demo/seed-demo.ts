import 'server-only';
// Demo mode on a fresh data folder: a demo owner with a random password (shown once), and the
// emulators' demo tokens deposited through the normal path (verified live against the emulators):
// T-Invest tokens, and T-API H2H tokens with their IPs, accesses and, for one, a client certificate.
import crypto from 'node:crypto';
import { depositTapiToken } from '../custody/deposit-tapi-token';
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

export interface DemoTapiToken {
  label: string;
  purpose: string;
  value: string;
  ipAllowlist: string[];
  accesses: string[];
  certificate?: { certificatePem: string; privateKeyPem: string };
}

/** What the T-API emulator offers for the demo: its scenario's tokens and a way to issue certificates. */
export interface DemoTapiSource {
  scenario: { tokens: { label: string; value: string; accesses: string[]; allowedIps: string[] }[] };
  issueClientCertificate(request: { commonName: string }): { certificatePem: string; privateKeyPem: string };
}

/** The H2H tokens the demo deposits: the company's full-access token with a certificate, and the ИП's without one. */
export function demoTapiTokens(source: DemoTapiSource): DemoTapiToken[] {
  const wanted: Record<string, { label: string; purpose: string; certificate: boolean }> = {
    'tapi-full-access': { label: 'Severnaya H2H', purpose: 'Accounts, statements and cards over mTLS (demo)', certificate: true },
    'tapi-sole-trader': { label: 'Volkov IP H2H', purpose: 'A sole trader: KPP 0, no client certificate (demo)', certificate: false },
  };
  return source.scenario.tokens
    .filter((token) => wanted[token.label])
    .map((token) => {
      const choice = wanted[token.label]!;
      return {
        label: choice.label,
        purpose: choice.purpose,
        value: token.value,
        ipAllowlist: token.allowedIps,
        accesses: token.accesses,
        ...(choice.certificate ? { certificate: source.issueClientCertificate({ commonName: 'severnaya-h2h-demo' }) } : {}),
      };
    });
}

export interface DemoSeed {
  email: string;
  password: string;
  tokens: { label: string; outcome: 'deposited' | string }[];
}

/** Seeds once: null when the data folder already has people in it (nothing is touched then). */
export async function seedDemo(tokens: DemoToken[], tapiTokens: DemoTapiToken[] = []): Promise<DemoSeed | null> {
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
  for (const token of tapiTokens) {
    try {
      await depositTapiToken(owner, token);
      results.push({ label: token.label, outcome: 'deposited' });
    } catch (error) {
      results.push({ label: token.label, outcome: error instanceof Error ? error.message : 'failed' });
    }
  }
  return { email: owner.email, password, tokens: results };
}
