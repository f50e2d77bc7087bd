import 'server-only';
// Token rows → TokenDto, from an allow-list of fields; a member's view keeps only granted accounts.
import { can } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import type { Prisma } from '../db';
import { env } from '../env';
import type { AccessLevel, CheckOutcome, EndpointKind, TariffDto, TokenDto, TokenStatus } from './dto';
import type { CallClass } from './policy';
import { TAPI_FACTS_SELECT, toTapiFactsDto } from './to-tapi-facts-dto';

/** Where T-Invest tokens are revoked. */
export const TINVEST_REVOKE_URL = 'https://www.tbank.ru/invest/settings/api/';
/**
 * Where T-API H2H tokens are revoked: the T-Business personal account, then profile → security
 * (tapi.md §1.5; the current page is truncated, the 2021 path is in the inventory's revoke steps).
 */
export const TAPI_REVOKE_URL = 'https://business.tbank.ru/';
/** T-API H2H tokens die this many days after their last use (tapi.md §1.5). */
export const TAPI_LIFETIME_DAYS = 90;

const DAY_MS = 86_400_000;
/** A token that dies within this many days is "expiring". */
export const EXPIRING_WITHIN_DAYS = 14;

/** Every column the DTO needs; never the sealed value or the fingerprint. */
export const TOKEN_QUERY = {
  omit: { sealed: true, fingerprint: true, kekVersion: true },
  include: {
    owner: { select: { id: true, name: true, email: true } },
    accounts: { orderBy: { accountId: 'asc' } },
    grants: { include: { user: { select: { id: true, name: true, email: true } } }, orderBy: { createdAt: 'asc' } },
    versions: { orderBy: { replacedAt: 'desc' } },
    tapi: { select: TAPI_FACTS_SELECT },
  },
} satisfies Prisma.TokenFindManyArgs;

export type TokenRow = Prisma.TokenGetPayload<typeof TOKEN_QUERY>;

export type ViewerRef = Pick<Viewer, 'id' | 'role'>;

export function isManager(viewer: ViewerRef): boolean {
  return can(viewer.role, 'tokens.manage');
}

/**
 * When the token dies at T-Bank, counted from its last use (or its creation if never used):
 * T-Invest tokens 3 months later, T-API H2H tokens 90 days later.
 */
export function diesOnOf(row: Pick<TokenRow, 'provider' | 'lastUsedAt' | 'createdAt'>): Date | null {
  const from = row.lastUsedAt ?? row.createdAt;
  if (row.provider === 'tapi') return new Date(from.getTime() + TAPI_LIFETIME_DAYS * DAY_MS);
  if (row.provider !== 'tinvest') return null;
  const dies = new Date(from);
  dies.setUTCMonth(dies.getUTCMonth() + 3);
  return dies;
}

export function statusOf(row: Pick<TokenRow, 'state' | 'provider' | 'lastUsedAt' | 'createdAt'>, now: Date): TokenStatus {
  if (row.state !== 'active') return row.state;
  const dies = diesOnOf(row);
  if (!dies) return 'active';
  if (dies.getTime() <= now.getTime()) return 'expired';
  return dies.getTime() - now.getTime() <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'active';
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

function accessLevelOf(value: string): AccessLevel {
  return value === 'full_access' || value === 'read_only' || value === 'no_access' ? value : 'unspecified';
}

function rightOf(level: AccessLevel): 'trade' | 'read' | 'none' {
  return level === 'full_access' ? 'trade' : level === 'read_only' ? 'read' : 'none';
}

function tariffOf(value: Prisma.JsonValue | null): TariffDto | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const tariff = value as unknown as TariffDto;
  return { unaryLimits: tariff.unaryLimits ?? [], streamLimits: tariff.streamLimits ?? [] };
}

/** Maps one row for one viewer; `people` resolves lastUsedByUserId to a name. */
export function toTokenDto(row: TokenRow, viewer: ViewerRef, people: ReadonlyMap<string, string>, now = new Date()): TokenDto {
  const manager = isManager(viewer);
  const ownGrant = row.grants.find((grant) => grant.userId === viewer.id);
  const grantedAccounts = manager || !ownGrant || ownGrant.accountIds.length === 0 ? null : new Set(ownGrant.accountIds);
  const accounts = row.accounts
    .filter((account) => !grantedAccounts || grantedAccounts.has(account.accountId))
    .map((account) => ({ id: account.accountId, name: account.name, type: account.type, status: account.status, accessLevel: accessLevelOf(account.accessLevel), currency: account.currency }));
  const grants = manager ? row.grants : row.grants.filter((grant) => grant.userId === viewer.id);
  const dies = row.state === 'retired' ? null : diesOnOf(row);
  const personAt = row.lastUsedByPersonAt?.getTime() ?? -Infinity;
  const jobAt = row.lastKeptAliveAt?.getTime() ?? -Infinity;
  const lastUsedBy: TokenDto['lastUsedBy'] =
    row.lastUsedByUserId && personAt >= jobAt
      ? { kind: 'person', userId: row.lastUsedByUserId, name: people.get(row.lastUsedByUserId) ?? 'former member' }
      : row.lastUsedByJob && jobAt > -Infinity
        ? { kind: 'job', name: row.lastUsedByJob }
        : null;
  const allowedClasses = row.allowedClasses as CallClass[];
  return {
    id: row.id,
    provider: row.provider,
    kind: row.kind,
    label: row.label,
    purpose: row.purpose,
    endpoint: { kind: row.endpointKind as EndpointKind, address: row.endpointAddress },
    owner: { id: row.owner.id, name: row.owner.name, email: row.owner.email },
    allowedMembers: grants.map((grant) => ({ userId: grant.user.id, name: grant.user.name, email: grant.user.email, accountIds: [...grant.accountIds] })),
    accounts,
    verifiedRights: accounts.map((account) => ({ accountId: account.id, right: rightOf(account.accessLevel) })),
    tariff: tariffOf(row.tariff),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    lastUsedBy,
    lastUsedByPersonAt: iso(row.lastUsedByPersonAt),
    lastKeptAliveAt: iso(row.lastKeptAliveAt),
    keepAlive: row.keepAlive,
    diesOn: dies ? dies.toISOString().slice(0, 10) : null,
    daysLeft: dies ? Math.max(0, Math.ceil((dies.getTime() - now.getTime()) / DAY_MS)) : null,
    status: statusOf(row, now),
    invalidSince: iso(row.invalidSince),
    lastCheck: row.verifiedAt ? { at: row.verifiedAt.toISOString(), outcome: (row.verifyOutcome ?? 'ok') as CheckOutcome, message: row.verifyMessage ?? '' } : null,
    masked: row.masked,
    allowedClasses,
    tradingEnabled: allowedClasses.includes('trading'),
    revokeUrl: row.provider === 'tapi' ? TAPI_REVOKE_URL : TINVEST_REVOKE_URL,
    history: row.versions.map((version) => ({ masked: version.masked, depositedAt: version.depositedAt.toISOString(), replacedAt: version.replacedAt.toISOString() })),
    can: {
      manage: manager,
      enableTrading: can(viewer.role, 'tokens.trading'),
      setKeepAlive: viewer.role === 'owner' || row.ownerId === viewer.id,
      use: row.state === 'active',
    },
    tapi: row.tapi ? toTapiFactsDto(row.tapi, row.userInfo, env().STRONGROOM_EGRESS_IPS, now) : null,
  };
}
