// The authorization matrix: every route handler (app/api/**/route.ts) and page (app/**/page.tsx),
// found on the file system, with the answer each kind of caller must get. The real handlers and
// pages run against PGlite and the T-Invest emulator; only the session cookie is stood in for
// (lib/testing/fake-session). A handler or page missing from the tables below fails the test, so a
// new one cannot ship without its row.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isValidElement, type ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDefaultScenario, DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import { DEMO_TAPI_ACCOUNTS, DEMO_TAPI_COMPANY, DEMO_TAPI_TOKENS, startTapiEmulator, type TapiEmulator } from '@/emulator/tapi';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { NoAccess } from '@/app/_components/ui/no-access';
import type { TokenDto } from '../custody/dto';
import { createUser, type TestUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

vi.mock('../auth/next-auth', () => import('../testing/fake-session'));
// Pages translate through next-intl's request config, which only exists inside Next: keys stand in for text.
vi.mock('next-intl/server', () => {
  const t = Object.assign((key: string) => key, { has: () => false, rich: (key: string) => key, markup: (key: string) => key, raw: (key: string) => key });
  const format = { dateTime: () => '', number: () => '', relativeTime: () => '', list: () => '' };
  return { getTranslations: async () => t, getFormatter: async () => format, getLocale: async () => 'en', getNow: async () => new Date(), getTimeZone: async () => 'UTC', getMessages: async () => ({}) };
});

// Outside a Next request there is no cookie store: an empty one that takes what is set.
vi.mock('next/headers', () => {
  const jar = new Map<string, string>();
  const store = { get: (name: string) => (jar.has(name) ? { name, value: jar.get(name)! } : undefined), set: (name: string, value: string) => void jar.set(name, value), has: (name: string) => jar.has(name), getAll: () => [...jar].map(([name, value]) => ({ name, value })), delete: (name: string) => void jar.delete(name) };
  return { cookies: async () => store, headers: async () => new Headers() };
});

/** Who calls: signed out, a viewer granted every account of both tokens, members with and without grants, admin, owner. */
const CALLERS = ['anonymous', 'viewer', 'memberBare', 'member', 'admin', 'owner'] as const;
type Caller = (typeof CALLERS)[number];
/** 'ok' = any 2xx; a number = that refusal. One entry per caller, in CALLERS order. */
type Status = 'ok' | 401 | 403 | 404 | 409 | 422;
type Row<T> = readonly [T, T, T, T, T, T];

const SBER = 'e6123145-9665-43e0-8413-cd61b8aa9b13';

interface World {
  users: Record<Exclude<Caller, 'anonymous'>, TestUser>;
  /** Read-only production token: viewer granted every account, member only the broker account. */
  family: TokenDto;
  /** Sandbox token: viewer granted every account, member only the demo sandbox account. */
  play: TokenDto;
  /** A second sandbox account the owner opened (outside the member's grant). */
  secretSandbox: string;
  /** Granted to nobody. */
  spare: TokenDto;
  /** T-API H2H token: viewer granted every business account, member only the main one. */
  business: TokenDto;
  /** A fresh token, deposited by the owner from values no one has used (for calls that change or destroy a token). */
  freshToken(): Promise<TokenDto>;
  freshValue(): string;
  /** A fresh user, for calls that change their target or the caller's own sessions. */
  freshUser(role: TestUser['role'], options?: { disabled?: boolean }): Promise<TestUser>;
  /** A pending link invite, made by the owner: its id and the secret from its link. */
  freshInvite(): Promise<{ id: string; secret: string }>;
}

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Acts as this user instead of the caller's fixture (same role), when the call changes the caller's own account. */
  as?: TestUser;
}

interface RouteRow {
  /** What this row checks, when a route has more than one (ownership cases). */
  name: string;
  expect: Row<Status>;
  call(world: World, caller: Caller): Promise<Call> | Call;
  /** Text that must not appear in a 2xx answer to these callers (what their grant does not cover). */
  hidden?: (world: World) => Partial<Record<Caller, string[]>>;
}

type RouteEntry = RouteRow[] | { delegated: string };

const MANAGERS: Row<Status> = [401, 403, 403, 403, 'ok', 'ok'];
const SIGNED_IN: Row<Status> = [401, 'ok', 'ok', 'ok', 'ok', 'ok'];
const EVERYONE: Row<Status> = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'];
/** Data of the family token: the viewer and the member are granted it, the bare member is not. */
const GRANTED: Row<Status> = [401, 'ok', 404, 'ok', 'ok', 'ok'];
/** An account of the family token outside the member's grant. */
const OUTSIDE_GRANT: Row<Status> = [401, 'ok', 404, 404, 'ok', 'ok'];
const SANDBOX_WRITE: Row<Status> = [401, 403, 404, 'ok', 'ok', 'ok'];
const FAMILY_ONLY_BROKER = (world: World) => ({ member: [DEMO_ACCOUNTS.iis], memberBare: [world.family.id] });

// Shares made by the owner of the family broker account (a member share names the member), written
// straight to the database so a row needs no session; link secrets are fixed so page rows can name them.
const SHARE_TITLE = 'Matrix share of the broker account';
const MEMBER_SHARE_ID = '5ba7e0c4-1d2e-4f00-8a00-000000000001';
const TEAM_SECRET = 'T'.repeat(43);
const PUBLIC_SECRET = 'P'.repeat(43);
async function ownerShare(w: World, audience: 'members' | 'team_link' | 'public_link', fixed: { id?: string; secret?: string } = {}): Promise<{ id: string }> {
  const { db } = await import('../db');
  const { hashShareSecret, newShareSecret } = await import('../sharing/share-secret');
  return db().share.create({
    data: {
      ...(fixed.id ? { id: fixed.id } : {}),
      ownerId: w.users.owner.id,
      title: SHARE_TITLE,
      subject: 'account',
      tokenId: w.family.id,
      accountId: DEMO_ACCOUNTS.broker,
      audience,
      percentagesOnly: audience === 'public_link',
      secretHash: audience === 'members' ? null : hashShareSecret(fixed.secret ?? newShareSecret()),
      expiresAt: new Date(Date.now() + 86_400_000),
      recipients: audience === 'members' ? { create: [{ userId: w.users.member.id }] } : undefined,
    },
    select: { id: true },
  });
}
/** Sets up one fixed share for a page row and removes it after. */
const withShare = (audience: 'members' | 'team_link' | 'public_link', fixed: { id?: string; secret?: string }) => async (w: World) => {
  const { id } = await ownerShare(w, audience, fixed);
  return async () => {
    const { db } = await import('../db');
    await db().share.delete({ where: { id } });
  };
};
/** Only the share's owner may revoke or rotate it; to anyone else it does not exist. */
const SHARE_OWNER_ONLY: Row<Status> = [401, 404, 404, 404, 404, 'ok'];
const NOT_THE_SHARE: (w: World) => Partial<Record<Caller, string[]>> = (w) => Object.fromEntries(CALLERS.map((caller) => [caller, [w.family.id, w.users.owner.email]]));

/** Keyed `METHOD /api/path` as on the file system. */
const ROUTES: Record<string, RouteEntry> = {
  'PUT /api/account/locale': [{ name: 'public', expect: EVERYONE, call: () => ({ body: { locale: 'en' } }) }],
  'PUT /api/account/password': [
    { name: 'own password', expect: SIGNED_IN, call: async (w, c) => (c === 'anonymous' ? { body: { currentPassword: 'x', newPassword: 'another long passphrase' } } : ownAccount(w, c, (u) => ({ body: { currentPassword: u.password, newPassword: 'another long passphrase' } }))) },
  ],
  'GET /api/account/second-factor': [{ name: 'own factors', expect: SIGNED_IN, call: () => ({}) }],
  'POST /api/account/second-factor/totp': [{ name: 'start an app (no factor yet)', expect: SIGNED_IN, call: async (w, c) => (c === 'anonymous' ? {} : ownAccount(w, c, () => ({}))) }],
  'POST /api/account/second-factor/totp/confirm': [{ name: 'no such pending app', expect: [401, 404, 404, 404, 404, 404], call: () => ({ body: { factorId: crypto.randomUUID(), code: '123456', name: 'Phone' } }) }],
  'POST /api/account/second-factor/passkey/options': [{ name: 'start a passkey (no factor yet)', expect: SIGNED_IN, call: () => ({}) }],
  'POST /api/account/second-factor/passkey': [
    { name: 'a passkey answering no challenge', expect: [401, 422, 422, 422, 422, 422], call: () => ({ body: { name: 'Key', response: { id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: 'e30' } } } }) },
  ],
  'DELETE /api/account/second-factor/[id]': [{ name: 'not one of yours', expect: [401, 404, 404, 404, 404, 404], call: () => ({ params: { id: crypto.randomUUID() } }) }],
  'POST /api/account/second-factor/recovery-codes': [{ name: 'no factor yet', expect: [401, 409, 409, 409, 409, 409], call: () => ({}) }],
  'POST /api/account/second-factor/step-up': [{ name: 'a wrong code', expect: [401, 401, 401, 401, 401, 401], call: () => ({ body: { method: 'totp', code: '000000' } }) }],
  'POST /api/account/second-factor/step-up/options': [{ name: 'own passkeys', expect: SIGNED_IN, call: () => ({}) }],
  'DELETE /api/account/sessions': [{ name: 'own sessions', expect: SIGNED_IN, call: async (w, c) => (c === 'anonymous' ? {} : ownAccount(w, c, () => ({}))) }],
  'GET /api/analytics': [
    { name: 'every visible account', expect: SIGNED_IN, call: () => ({ query: { range: '1M' } }), hidden: FAMILY_ONLY_BROKER },
    { name: 'an account outside the grant', expect: OUTSIDE_GRANT, call: (w) => ({ query: { range: '1M', accounts: `${w.family.id}:${DEMO_ACCOUNTS.iis}` } }) },
    { name: 'a malformed benchmark', expect: [401, 422, 422, 422, 422, 422], call: () => ({ query: { range: '1M', benchmark: "IMOEX' or 1=1" } }) },
  ],
  'GET /api/analytics/csv': [
    { name: 'every visible account', expect: SIGNED_IN, call: () => ({ query: { range: '1M' } }) },
    { name: 'an account outside the grant', expect: OUTSIDE_GRANT, call: (w) => ({ query: { range: '1M', accounts: `${w.family.id}:${DEMO_ACCOUNTS.iis}` } }) },
  ],
  'GET /api/audit/export.csv': [{ name: 'audit', expect: MANAGERS, call: () => ({}) }],
  'POST /api/audit/verify': [{ name: 'audit', expect: MANAGERS, call: () => ({}) }],
  'GET /api/auth/[...nextauth]': { delegated: "next-auth's own handler (sign-in, session, CSRF); covered by e2e/ui/02-login and lib/auth/sign-in.test.ts" },
  'POST /api/auth/[...nextauth]': { delegated: "next-auth's own handler (sign-in, sign-out); covered by e2e/ui/02-login and lib/auth/sign-in.test.ts" },
  'GET /api/business/[tokenId]/[accountNumber]/csv': [
    { name: 'a granted business account', expect: GRANTED, call: (w) => ({ params: { tokenId: w.business.id, accountNumber: DEMO_TAPI_ACCOUNTS.main } }) },
    { name: 'a business account outside the grant', expect: OUTSIDE_GRANT, call: (w) => ({ params: { tokenId: w.business.id, accountNumber: DEMO_TAPI_ACCOUNTS.tax } }) },
  ],
  'GET /api/health': [{ name: 'public', expect: EVERYONE, call: () => ({}) }],
  'GET /api/ready': [{ name: 'public', expect: EVERYONE, call: () => ({}) }],
  'GET /api/instruments/[uid]/candles': [{ name: 'market data through a granted token', expect: GRANTED, call: () => ({ params: { uid: SBER }, query: { interval: '1h' } }) }],
  'POST /api/invites/accept': [{ name: 'public, with a valid invite', expect: Array(6).fill('ok') as unknown as Row<Status>, call: async (w, c) => ({ body: { token: (await w.freshInvite()).secret, name: `Joiner ${c}`, password: 'a long enough passphrase' } }) }],
  'GET /api/openapi.json': [{ name: 'public', expect: EVERYONE, call: () => ({}) }],
  'GET /api/operations/csv': [
    { name: 'first granted account', expect: GRANTED, call: () => ({}) },
    { name: 'an account outside the grant', expect: OUTSIDE_GRANT, call: (w) => ({ query: { token: w.family.id, account: DEMO_ACCOUNTS.iis } }) },
  ],
  'GET /api/operations': [
    { name: 'first granted account', expect: SIGNED_IN, call: () => ({}), hidden: FAMILY_ONLY_BROKER },
    { name: 'an account outside the grant', expect: OUTSIDE_GRANT, call: (w) => ({ query: { token: w.family.id, account: DEMO_ACCOUNTS.iis } }) },
  ],
  'GET /api/portfolio/[tokenId]/[accountId]': [
    { name: 'a granted account', expect: GRANTED, call: (w) => ({ params: { tokenId: w.family.id, accountId: DEMO_ACCOUNTS.broker } }) },
    { name: 'an account outside the grant', expect: OUTSIDE_GRANT, call: (w) => ({ params: { tokenId: w.family.id, accountId: DEMO_ACCOUNTS.iis } }) },
    { name: 'a token granted to no one', expect: [401, 404, 404, 404, 'ok', 'ok'], call: (w) => ({ params: { tokenId: w.spare.id, accountId: DEMO_ACCOUNTS.broker } }) },
  ],
  'GET /api/portfolio': [{ name: 'overview', expect: SIGNED_IN, call: () => ({}), hidden: FAMILY_ONLY_BROKER }],
  'POST /api/sandbox/accounts': [{ name: 'opening needs the whole token', expect: [401, 403, 404, 403, 'ok', 'ok'], call: (w) => ({ body: { token: w.play.id, name: 'matrix' } }) }],
  'POST /api/sandbox/pay-in': [
    { name: 'a granted account', expect: SANDBOX_WRITE, call: (w) => ({ body: { token: w.play.id, account: DEMO_ACCOUNTS.sandbox, amount: '10' } }) },
    { name: 'an account outside the grant', expect: [401, 403, 404, 404, 'ok', 'ok'], call: (w) => ({ body: { token: w.play.id, account: w.secretSandbox, amount: '10' } }) },
  ],
  'POST /api/sandbox/orders': [
    { name: 'a granted account', expect: SANDBOX_WRITE, call: (w) => ({ body: { token: w.play.id, account: DEMO_ACCOUNTS.sandbox, instrument: SBER, direction: 'buy', lots: 1 } }) },
    { name: 'an account outside the grant', expect: [401, 403, 404, 404, 'ok', 'ok'], call: (w) => ({ body: { token: w.play.id, account: w.secretSandbox, instrument: SBER, direction: 'buy', lots: 1 } }) },
  ],
  'GET /api/shares': [
    { name: "own shares, and members' shares naming the caller", expect: SIGNED_IN, call: async (w) => (await ownerShare(w, 'members'), {}), hidden: () => ({ viewer: [SHARE_TITLE], memberBare: [SHARE_TITLE], admin: [SHARE_TITLE] }) },
  ],
  'POST /api/shares': [
    { name: 'the overview by team link', expect: SIGNED_IN, call: () => ({ body: { title: 'Mine', subject: 'overview', audience: 'team_link', percentagesOnly: false, expiresInDays: 7 } }) },
    { name: 'an account outside the grant', expect: OUTSIDE_GRANT, call: (w) => ({ body: { title: 'Not mine', subject: 'account', tokenId: w.family.id, accountId: DEMO_ACCOUNTS.iis, audience: 'public_link', percentagesOnly: true, expiresInDays: 7 } }) },
  ],
  'DELETE /api/shares/[id]': [{ name: "the owner's share", expect: SHARE_OWNER_ONLY, call: async (w) => ({ params: { id: (await ownerShare(w, 'members')).id } }) }],
  'POST /api/shares/[id]/rotate': [{ name: "the owner's team link", expect: SHARE_OWNER_ONLY, call: async (w) => ({ params: { id: (await ownerShare(w, 'team_link')).id } }) }],
  'POST /api/sign-in/passkey-options': [{ name: 'a forged ticket', expect: [401, 401, 401, 401, 401, 401], call: () => ({ body: { ticket: 'sf1.forged.ticket' } }) }],
  'POST /api/setup': [{ name: 'already set up', expect: [409, 409, 409, 409, 409, 409], call: (_w, c) => ({ body: { name: 'Late', email: `late-${c}@example.test`, password: 'a long enough passphrase' } }) }],
  'GET /api/stream': [{ name: 'signed in', expect: SIGNED_IN, call: () => ({ query: { topics: `lastPrice:${SBER}` } }) }],
  'DELETE /api/team/invites/[id]': [{ name: 'a pending invite', expect: MANAGERS, call: async (w) => ({ params: { id: (await w.freshInvite()).id } }) }],
  'POST /api/team/invites': [
    { name: 'invite a viewer', expect: MANAGERS, call: (_w, c) => ({ body: { name: 'New', email: `new-${c}-${crypto.randomUUID()}@example.test`, role: 'viewer', method: 'link' } }) },
    { name: 'invite an owner', expect: [401, 403, 403, 403, 403, 'ok'], call: (_w, c) => ({ body: { name: 'New', email: `owner-${c}-${crypto.randomUUID()}@example.test`, role: 'owner', method: 'link' } }) },
  ],
  'POST /api/team/members/[id]/disable': [
    { name: 'a member', expect: MANAGERS, call: async (w) => ({ params: { id: (await w.freshUser('member')).id } }) },
    { name: 'an owner', expect: [401, 403, 403, 403, 403, 'ok'], call: async (w) => ({ params: { id: (await w.freshUser('owner')).id } }) },
  ],
  'POST /api/team/members/[id]/enable': [
    { name: 'a disabled member', expect: MANAGERS, call: async (w) => ({ params: { id: (await w.freshUser('member', { disabled: true })).id } }) },
    { name: 'a disabled owner', expect: [401, 403, 403, 403, 403, 'ok'], call: async (w) => ({ params: { id: (await w.freshUser('owner', { disabled: true })).id } }) },
  ],
  'POST /api/team/members/[id]/reset-password': [
    { name: 'a member', expect: MANAGERS, call: async (w) => ({ params: { id: (await w.freshUser('member')).id } }) },
    { name: 'an owner', expect: [401, 403, 403, 403, 403, 'ok'], call: async (w) => ({ params: { id: (await w.freshUser('owner')).id } }) },
  ],
  'PUT /api/team/members/[id]/role': [
    { name: 'a member', expect: MANAGERS, call: async (w) => ({ params: { id: (await w.freshUser('member')).id }, body: { role: 'viewer' } }) },
    { name: 'an owner', expect: [401, 403, 403, 403, 403, 'ok'], call: async (w) => ({ params: { id: (await w.freshUser('owner')).id }, body: { role: 'viewer' } }) },
  ],
  'POST /api/team/members/[id]/reset-factors': [{ name: "a member's factors (owners)", expect: [401, 403, 403, 403, 403, 'ok'], call: async (w) => ({ params: { id: (await w.freshUser('member')).id } }) }],
  'GET /api/team/second-factor': [{ name: 'second-factor policy (owners)', expect: [401, 403, 403, 403, 403, 'ok'], call: () => ({}) }],
  'PUT /api/team/second-factor': [{ name: 'keep the policy at none (owners)', expect: [401, 403, 403, 403, 403, 'ok'], call: () => ({ body: { policy: 'none' } }) }],
  'GET /api/team/sso': [{ name: 'sign-in policy (owners)', expect: [401, 403, 403, 403, 403, 'ok'], call: () => ({}) }],
  'PUT /api/team/sso': [{ name: 'lift the SSO requirement (owners)', expect: [401, 403, 403, 403, 403, 'ok'], call: () => ({ body: { ssoRequired: false, breakGlassUserId: null } }) }],
  'GET /api/team': [{ name: 'members list', expect: [401, 403, 'ok', 'ok', 'ok', 'ok'], call: () => ({}) }],
  'PUT /api/tokens/[id]/grants/[userId]': [{ name: 'grant', expect: MANAGERS, call: async (w) => ({ params: { id: w.family.id, userId: (await w.freshUser('member')).id }, body: { accountIds: [] } }) }],
  'DELETE /api/tokens/[id]/grants/[userId]': [{ name: 'withdraw', expect: MANAGERS, call: (w) => ({ params: { id: w.spare.id, userId: w.users.memberBare.id } }) }],
  'POST /api/tokens/[id]/pause': [{ name: 'pause', expect: MANAGERS, call: async (w) => ({ params: { id: (await w.freshToken()).id } }) }],
  'POST /api/tokens/[id]/resume': [
    { name: 'resume', expect: MANAGERS, call: async (w) => ({ params: { id: (await pausedToken(w)).id } }) },
  ],
  'POST /api/tokens/[id]/replace': [{ name: 'replace', expect: MANAGERS, call: async (w) => ({ params: { id: (await w.freshToken()).id }, body: { value: w.freshValue() } }) }],
  'POST /api/tokens/[id]/retire': [{ name: 'retire', expect: MANAGERS, call: async (w) => ({ params: { id: (await w.freshToken()).id } }) }],
  'POST /api/tokens/[id]/verify': [{ name: 'verify', expect: MANAGERS, call: (w) => ({ params: { id: w.family.id } }) }],
  'GET /api/tokens/[id]': [
    { name: 'a granted token', expect: GRANTED, call: (w) => ({ params: { id: w.family.id } }), hidden: () => ({ member: [DEMO_ACCOUNTS.iis] }) },
    { name: 'a token granted to no one', expect: [401, 404, 404, 404, 'ok', 'ok'], call: (w) => ({ params: { id: w.spare.id } }) },
  ],
  'PATCH /api/tokens/[id]': [
    { name: 'rename a token (managers)', expect: MANAGERS, call: (w) => ({ params: { id: w.family.id }, body: { label: 'Family' } }) },
  ],
  'GET /api/tokens/expiring': [{ name: 'expiry warning', expect: SIGNED_IN, call: () => ({}) }],
  'GET /api/tokens': [{ name: 'inventory', expect: SIGNED_IN, call: () => ({}), hidden: (w) => ({ viewer: [w.spare.id], member: [w.spare.id, DEMO_ACCOUNTS.iis], memberBare: [w.family.id, w.spare.id] }) }],
  'POST /api/tokens': [{ name: 'deposit', expect: MANAGERS, call: (w) => ({ body: { label: 'Deposited', value: w.freshValue() } }) }],
  // The role is checked before the input: managers reach validation (a CIDR range is refused), no one else does.
  'POST /api/tokens/tapi': [{ name: 'H2H deposit, refused input', expect: [401, 403, 403, 403, 422, 422], call: (w) => ({ body: { label: 'H2H', value: w.freshValue(), ipAllowlist: ['10.0.0.0/8'], accesses: ['opensme/inn/7701234567/kpp/0/bank-accounts/get'] } }) }],
};

/** What a page came to: rendered, a redirect, not found, the role's no-access notice, an empty state or a failure notice. */
type PageOutcome = 'ok' | 'no-access' | 'not-found' | 'empty' | `failure:${string}` | `redirect:${string}`;

interface PageRow {
  name: string;
  expect: Row<PageOutcome>;
  props?: (world: World) => { params?: Record<string, string>; searchParams?: Record<string, string> };
  as?: (world: World, caller: Caller) => Promise<TestUser | null>;
  /** Sets the scene for the whole row; returns how to take it down. */
  before?: (world: World) => Promise<() => Promise<void>>;
  hidden?: (world: World) => Partial<Record<Caller, string[]>>;
}

const TO_LOGIN = 'redirect:/login' as const;
const APP_PAGE: Row<PageOutcome> = [TO_LOGIN, 'ok', 'ok', 'ok', 'ok', 'ok'];

/** Keyed by the page's folder under app/ (route groups included). */
const PAGES: Record<string, PageRow[]> = {
  '': [{ name: 'home', expect: ['redirect:/overview', 'redirect:/overview', 'redirect:/overview', 'redirect:/overview', 'redirect:/overview', 'redirect:/overview'] }],
  '(app)/account': [{ name: 'own account', expect: APP_PAGE }],
  '(app)/accounts/[tokenId]/[accountId]': [
    { name: 'a granted account', expect: [TO_LOGIN, 'ok', 'failure:not_found', 'ok', 'ok', 'ok'], props: (w) => ({ params: { tokenId: w.family.id, accountId: DEMO_ACCOUNTS.broker } }) },
    { name: 'an account outside the grant', expect: [TO_LOGIN, 'ok', 'failure:not_found', 'failure:not_found', 'ok', 'ok'], props: (w) => ({ params: { tokenId: w.family.id, accountId: DEMO_ACCOUNTS.iis } }) },
  ],
  '(app)/analytics': [{ name: 'analytics', expect: APP_PAGE, hidden: FAMILY_ONLY_BROKER, props: () => ({ searchParams: { range: '1M' } }) }],
  '(app)/audit': [{ name: 'audit', expect: [TO_LOGIN, 'no-access', 'no-access', 'no-access', 'ok', 'ok'] }],
  '(app)/business': [{ name: 'companies and accounts', expect: [TO_LOGIN, 'ok', 'empty', 'ok', 'ok', 'ok'], hidden: () => ({ member: [DEMO_TAPI_ACCOUNTS.tax] }) }],
  '(app)/business/[tokenId]/[accountNumber]': [
    { name: 'a granted business account', expect: [TO_LOGIN, 'ok', 'failure:not_found', 'ok', 'ok', 'ok'], props: (w) => ({ params: { tokenId: w.business.id, accountNumber: DEMO_TAPI_ACCOUNTS.main } }) },
    { name: 'a business account outside the grant', expect: [TO_LOGIN, 'ok', 'failure:not_found', 'failure:not_found', 'ok', 'ok'], props: (w) => ({ params: { tokenId: w.business.id, accountNumber: DEMO_TAPI_ACCOUNTS.tax } }) },
  ],
  '(app)/instruments/[uid]': [{ name: 'an instrument', expect: [TO_LOGIN, 'ok', 'failure:not_found', 'ok', 'ok', 'ok'], props: () => ({ params: { uid: SBER } }) }],
  '(app)/instruments': [{ name: 'search', expect: [TO_LOGIN, 'ok', 'failure:not_found', 'ok', 'ok', 'ok'], props: () => ({ searchParams: { q: 'SBER' } }) }],
  '(app)/operations': [{ name: 'operations', expect: [TO_LOGIN, 'ok', 'empty', 'ok', 'ok', 'ok'], hidden: FAMILY_ONLY_BROKER }],
  '(app)/overview': [{ name: 'overview', expect: APP_PAGE, hidden: FAMILY_ONLY_BROKER }],
  '(app)/sandbox': [{ name: 'sandbox', expect: [TO_LOGIN, 'ok', 'empty', 'ok', 'ok', 'ok'], hidden: (w) => ({ member: [w.secretSandbox] }) }],
  '(app)/shares': [{ name: 'own shares', expect: APP_PAGE }],
  '(app)/shared/[id]': [
    {
      name: 'a member share naming the member',
      expect: [TO_LOGIN, 'not-found', 'not-found', 'ok', 'not-found', 'ok'],
      props: () => ({ params: { id: MEMBER_SHARE_ID } }),
      before: withShare('members', { id: MEMBER_SHARE_ID }),
      hidden: NOT_THE_SHARE,
    },
  ],
  's/[secret]': [
    { name: 'a team link (signed out: asked to sign in)', expect: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'], props: () => ({ params: { secret: TEAM_SECRET } }), before: withShare('team_link', { secret: TEAM_SECRET }), hidden: NOT_THE_SHARE },
    { name: 'a public link', expect: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'], props: () => ({ params: { secret: PUBLIC_SECRET } }), before: withShare('public_link', { secret: PUBLIC_SECRET }), hidden: NOT_THE_SHARE },
    { name: 'an unknown link', expect: ['not-found', 'not-found', 'not-found', 'not-found', 'not-found', 'not-found'], props: () => ({ params: { secret: 'U'.repeat(43) } }) },
  ],
  '(app)/streams': [
    { name: 'nothing streaming', expect: [TO_LOGIN, 'empty', 'empty', 'empty', 'empty', 'empty'] },
    {
      name: "while the owner watches an account outside the member's grant",
      expect: [TO_LOGIN, 'ok', 'empty', 'ok', 'ok', 'ok'],
      before: (w) => watch(w.users.owner, [`lastPrice:${SBER}`, `positions:${w.family.id}:${DEMO_ACCOUNTS.iis}`]),
      hidden: () => ({ member: [DEMO_ACCOUNTS.iis] }),
    },
  ],
  '(app)/team': [{ name: 'team', expect: [TO_LOGIN, 'no-access', 'ok', 'ok', 'ok', 'ok'] }],
  '(app)/tokens/[id]': [
    { name: 'a granted token', expect: [TO_LOGIN, 'ok', 'not-found', 'ok', 'ok', 'ok'], props: (w) => ({ params: { id: w.family.id } }), hidden: () => ({ member: [DEMO_ACCOUNTS.iis] }) },
    { name: 'a token granted to no one', expect: [TO_LOGIN, 'not-found', 'not-found', 'not-found', 'ok', 'ok'], props: (w) => ({ params: { id: w.spare.id } }) },
  ],
  '(app)/tokens': [{ name: 'inventory', expect: [TO_LOGIN, 'ok', 'empty', 'ok', 'ok', 'ok'], hidden: (w) => ({ member: [w.spare.id], memberBare: [w.family.id] }) }],
  '(focus)/account/second-factor': [{ name: 'own factors', expect: APP_PAGE }],
  '(focus)/account/password': [
    { name: 'no temporary password', expect: [TO_LOGIN, 'redirect:/account', 'redirect:/account', 'redirect:/account', 'redirect:/account', 'redirect:/account'] },
    { name: 'a temporary password', expect: [TO_LOGIN, 'ok', 'ok', 'ok', 'ok', 'ok'], as: async (w, c) => (c === 'anonymous' ? null : createUser(w.users[c].role, { mustChangePassword: true })) },
  ],
  '(focus)/invite/[token]': [{ name: 'public', expect: ['ok', 'ok', 'ok', 'ok', 'ok', 'ok'], props: () => ({ params: { token: 'no-such-invite' } }) }],
  '(focus)/login': [{ name: 'sign-in', expect: ['ok', 'redirect:/overview', 'redirect:/overview', 'redirect:/overview', 'redirect:/overview', 'redirect:/overview'] }],
  '(focus)/setup': [{ name: 'already set up', expect: [TO_LOGIN, TO_LOGIN, TO_LOGIN, TO_LOGIN, TO_LOGIN, TO_LOGIN] }],
};

// ---- the file system ------------------------------------------------------------------------------

const ROOT = path.resolve(import.meta.dirname, '../..');
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function filesNamed(dir: string, name: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) filesNamed(full, name, found);
    else if (entry === name) found.push(full);
  }
  return found;
}

const routeFiles = () => filesNamed(path.join(ROOT, 'app/api'), 'route.ts').map((file) => ({ file, url: `/${path.relative(path.join(ROOT, 'app'), path.dirname(file)).split(path.sep).join('/')}` }));
const pageFiles = () => filesNamed(path.join(ROOT, 'app'), 'page.tsx').map((file) => ({ file, key: path.relative(path.join(ROOT, 'app'), path.dirname(file)).split(path.sep).join('/') }));

async function handlersOf(file: string): Promise<Record<string, (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>>> {
  const exported = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(exported).filter(([name, value]) => HTTP_METHODS.includes(name) && typeof value === 'function')) as never;
}

// ---- the world ---------------------------------------------------------------------------------------

const EXTRA_VALUES = Array.from({ length: 40 }, (_, i) => `t.matrix-${String(i).padStart(3, '0')}-${'x'.repeat(70)}`);

let emu: TinvestEmulator;
let tapiEmu: TapiEmulator;
let database: TestDatabase;
let world: World;
let closeHub: () => void = () => {};

async function ownAccount(w: World, caller: Exclude<Caller, 'anonymous'>, call: (user: TestUser) => Call): Promise<Call> {
  const user = await w.freshUser(w.users[caller].role);
  return { ...call(user), as: user };
}

/** A live stream held open through the real stream handler while a page row runs. */
async function watch(user: TestUser, topics: string[]): Promise<() => Promise<void>> {
  const { liveStreamResponse } = await import('./live-stream');
  actAs(user);
  const response = await liveStreamResponse(new Request(`http://strongroom.test/api/stream?topics=${encodeURIComponent(topics.join(','))}`));
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  // The session subscribes once its grants are checked: wait for its `ready` frame.
  let text = '';
  while (!text.includes('event: ready')) text += new TextDecoder().decode((await reader.read()).value);
  return () => reader.cancel();
}

async function pausedToken(w: World): Promise<TokenDto> {
  const token = await w.freshToken();
  const { pauseToken } = await import('../custody/pause-token');
  return pauseToken(w.users.owner, token.id);
}

beforeAll(async () => {
  const scenario = buildDefaultScenario();
  const firstUser = scenario.tokens[0]!.userId;
  scenario.tokens.push(...EXTRA_VALUES.map((value, i) => ({ label: `matrix-${i}`, kind: 'full-access' as const, value, userId: firstUser, issuedAt: scenario.tokens[0]!.issuedAt })));
  emu = await startTinvestEmulator({ scenario, tickIntervalMs: 200 });
  process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
  process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
  process.env.TOKEN_CHECKS = 'off';
  process.env.STREAM_GRACE_SECONDS = '0';
  tapiEmu = await startTapiEmulator();
  process.env.TAPI_PRODUCTION_URL = tapiEmu.baseUrl;
  process.env.TAPI_SECURED_URL = tapiEmu.securedBaseUrl;
  process.env.TAPI_CA_FILE = tapiEmu.caFile;
  database = await createTestDatabase();
  const { depositTinvestToken } = await import('../custody/deposit-tinvest-token');
  const { setGrant } = await import('../custody/set-grant');
  const { verifyToken } = await import('../custody/verify-token');
  const { openSandboxAccount, payInSandbox } = await import('../portfolio/sandbox');
  const { db } = await import('../db');
  closeHub = () => void import('../server/stream-hub').then(({ existingStreamHub }) => existingStreamHub()?.close());

  const users = {
    owner: await createUser('owner'),
    admin: await createUser('admin'),
    member: await createUser('member'),
    memberBare: await createUser('member'),
    viewer: await createUser('viewer'),
  };
  const family = (await depositTinvestToken(users.owner, { label: 'Family', value: DEMO_TOKENS.readonly })).token;
  const play = (await depositTinvestToken(users.owner, { label: 'Play', value: DEMO_TOKENS.sandbox, endpoint: { kind: 'sandbox' } })).token;
  const spare = (await depositTinvestToken(users.owner, { label: 'Spare', value: DEMO_TOKENS.fullAccess })).token;
  const { accountId: secretSandbox } = await openSandboxAccount(users.owner, { token: play.id, name: 'Secret' });
  await payInSandbox(users.owner, { token: play.id, account: secretSandbox, amount: '100000' });
  await verifyToken(users.owner, play.id);
  await setGrant(users.owner, family.id, users.viewer.id, []);
  await setGrant(users.owner, play.id, users.viewer.id, []);
  await setGrant(users.owner, family.id, users.member.id, [DEMO_ACCOUNTS.broker]);
  await setGrant(users.owner, play.id, users.member.id, [DEMO_ACCOUNTS.sandbox]);
  const { depositTapiToken } = await import('../custody/deposit-tapi-token');
  const tapiAccesses = ['company-info/get', 'bank-accounts/get', 'bank-statements/get'].map((scope) => `opensme/inn/${DEMO_TAPI_COMPANY.inn}/kpp/${DEMO_TAPI_COMPANY.kpp}/${scope}`);
  const business = (await depositTapiToken(users.owner, { label: 'Severnaya', value: DEMO_TAPI_TOKENS.fullAccess, ipAllowlist: ['127.0.0.1', '::1'], accesses: tapiAccesses })).token;
  await setGrant(users.owner, business.id, users.viewer.id, []);
  await setGrant(users.owner, business.id, users.member.id, [DEMO_TAPI_ACCOUNTS.main]);

  let nextValue = 0;
  const freshValue = () => EXTRA_VALUES[nextValue++]!;
  world = {
    users,
    family,
    play,
    spare,
    business,
    secretSandbox,
    freshValue,
    freshToken: async () => (await depositTinvestToken(users.owner, { label: 'Fresh', value: freshValue() })).token,
    freshUser: (role, options) => createUser(role, options),
    freshInvite: async () => {
      const { inviteMember } = await import('../team/invite-member');
      actAs(users.owner);
      const invite = await inviteMember({ name: 'Invited', email: `invited-${crypto.randomUUID()}@example.test`, role: 'viewer', method: 'link' });
      if (invite.method !== 'link') throw new Error('expected a link invite');
      const secret = invite.url.slice(invite.url.lastIndexOf('/') + 1);
      const row = await db().invite.findFirstOrThrow({ where: { email: invite.email }, select: { id: true } });
      return { id: row.id, secret };
    },
  };
}, 120_000);

afterAll(async () => {
  closeHub();
  (await import('../tinvest')).closeChannels();
  await (await import('../tapi')).closeTapiAgents();
  await tapiEmu?.close();
  await emu?.close();
  await database?.close();
});

function callerUser(caller: Caller): TestUser | null {
  return caller === 'anonymous' ? null : world.users[caller];
}

function requestFor(method: string, url: string, call: Call): Request {
  const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
  const hasBody = call.body !== undefined && method !== 'GET' && method !== 'HEAD';
  return new Request(`http://strongroom.test${url}${query}`, {
    method,
    headers: { host: 'strongroom.test', 'content-type': 'application/json', accept: 'application/json' },
    body: hasBody ? JSON.stringify(call.body) : undefined,
  });
}

const matches = (status: number, expected: Status) => (expected === 'ok' ? status >= 200 && status < 300 : status === expected);

describe('every route handler and page has its row', () => {
  it('route handlers: one entry per exported method, no rows for handlers that do not exist', async () => {
    const found: string[] = [];
    for (const { file, url } of routeFiles()) for (const method of Object.keys(await handlersOf(file))) found.push(`${method} ${url}`);
    expect(found.length).toBeGreaterThan(30);
    expect(found.filter((key) => !(key in ROUTES)), 'handlers without a row in ROUTES').toEqual([]);
    expect(Object.keys(ROUTES).filter((key) => !found.includes(key)), 'rows for handlers that do not exist').toEqual([]);
  });

  it('pages: one entry per page.tsx, no rows for pages that do not exist', () => {
    const found = pageFiles().map((page) => page.key);
    expect(found.length).toBeGreaterThan(15);
    expect(found.filter((key) => !(key in PAGES)), 'pages without a row in PAGES').toEqual([]);
    expect(Object.keys(PAGES).filter((key) => !found.includes(key)), 'rows for pages that do not exist').toEqual([]);
  });
});

describe('route handlers', () => {
  const rows = Object.entries(ROUTES).flatMap(([key, entry]) => (Array.isArray(entry) ? entry.map((row) => ({ key, row })) : []));

  // 180 s: the first analytics row builds every account's history from a cold emulator (years of candles).
  it.each(rows.map(({ key, row }) => [`${key} – ${row.name}`, key, row] as const))('%s', async (_label, key, row) => {
    // Rows deposit many tokens of one emulated T-Invest user: its request budget is not what this test is about.
    emu.control.reset();
    const [method, url] = key.split(' ') as [string, string];
    const file = routeFiles().find((route) => route.url === url)!.file;
    const handler = (await handlersOf(file))[method]!;
    const mismatches: string[] = [];
    for (const [i, caller] of CALLERS.entries()) {
      const call = await row.call(world, caller);
      actAs(call.as ?? callerUser(caller));
      const concrete = url.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_m, name: string) => call.params?.[name] ?? name);
      const response = await handler(requestFor(method, concrete, call), { params: Promise.resolve(call.params ?? {}) });
      // Streams would run until cancelled; the status and headers are what is checked.
      const text = response.headers.get('content-type')?.startsWith('text/event-stream') ? (await response.body?.cancel(), '') : await response.text();
      const expected = row.expect[i]!;
      if (!matches(response.status, expected)) mismatches.push(`${caller}: expected ${expected}, got ${response.status} ${text.slice(0, 160)}`);
      const hidden = response.ok ? (row.hidden?.(world)[caller] ?? []) : [];
      for (const secret of hidden) if (text.includes(secret)) mismatches.push(`${caller}: the answer names ${secret}, outside their grant`);
    }
    expect(mismatches).toEqual([]);
  }, 180_000);
});

// ---- pages -----------------------------------------------------------------------------------------------

function digestOf(error: unknown): string | null {
  return typeof error === 'object' && error !== null && 'digest' in error && typeof error.digest === 'string' ? error.digest : null;
}

/** The first of NoAccess / FailureAlert / EmptyState in a rendered tree (server components below are not run). */
function classify(node: ReactNode): PageOutcome {
  let outcome: PageOutcome = 'ok';
  const visit = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(visit);
    if (!isValidElement(value)) return false;
    const props = value.props as { children?: unknown; failure?: { kind: string } };
    if (value.type === NoAccess) return ((outcome = 'no-access'), true);
    if (value.type === FailureAlert) return ((outcome = `failure:${props.failure?.kind ?? 'unknown'}`), true);
    if (value.type === EmptyState) return ((outcome = 'empty'), true);
    return visit(props.children);
  };
  visit(node);
  return outcome;
}

/** Everything the page hands to its components, as text (to look for what must not be there). */
function propsText(node: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(node, (key, value: unknown) => {
    if (key === '_owner' || key === '_store' || typeof value === 'function') return undefined;
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return undefined;
      seen.add(value);
    }
    return value;
  });
}

async function renderPage(file: string, key: string, props: { params?: Record<string, string>; searchParams?: Record<string, string> }): Promise<{ outcome: PageOutcome; text: string }> {
  const page = ((await import(/* @vite-ignore */ file)) as { default: (props: unknown) => Promise<ReactNode> | ReactNode }).default;
  try {
    // Signed-in pages sit in the app layout, which redirects before the page runs.
    if (key.startsWith('(app)/')) {
      const layout = ((await import(/* @vite-ignore */ path.join(ROOT, 'app/(app)/layout.tsx'))) as { default: (props: unknown) => Promise<ReactNode> }).default;
      await layout({ children: null });
    }
    const node = await page({ params: Promise.resolve(props.params ?? {}), searchParams: Promise.resolve(props.searchParams ?? {}) });
    return { outcome: classify(node), text: propsText(node) };
  } catch (error) {
    const digest = digestOf(error);
    if (digest?.startsWith('NEXT_REDIRECT;')) return { outcome: `redirect:${digest.split(';')[2]}`, text: '' };
    if (digest === 'NEXT_HTTP_ERROR_FALLBACK;404') return { outcome: 'not-found', text: '' };
    throw error;
  }
}

describe('pages', () => {
  const rows = Object.entries(PAGES).flatMap(([key, entries]) => entries.map((row) => ({ key, row })));

  it.each(rows.map(({ key, row }) => [`/${key} – ${row.name}`, key, row] as const))('%s', async (_label, key, row) => {
    const file = pageFiles().find((page) => page.key === key)!.file;
    const mismatches: string[] = [];
    const takeDown = await row.before?.(world);
    try {
      for (const [i, caller] of CALLERS.entries()) {
        actAs(row.as ? await row.as(world, caller) : callerUser(caller));
        const { outcome, text } = await renderPage(file, key, row.props?.(world) ?? {});
        if (outcome !== row.expect[i]) mismatches.push(`${caller}: expected ${row.expect[i]}, got ${outcome}`);
        for (const secret of outcome === 'ok' ? (row.hidden?.(world)[caller] ?? []) : []) if (text.includes(secret)) mismatches.push(`${caller}: the page is handed ${secret}, outside their grant`);
      }
    } finally {
      await takeDown?.();
    }
    expect(mismatches).toEqual([]);
  });
});

afterAll(() => {
  closeHub();
});
