import 'server-only';
// TapiToken rows → TapiFactsDto, from an allow-list of fields: never the sealed key, never the PEM.
import type { Prisma } from '../db';
import type { AccessReason, AccessStatus, TapiAccessDto, TapiFactsDto } from './dto';

const DAY_MS = 86_400_000;

/** The TapiToken columns the DTO reads; the sealed private key and the PEM stay behind. */
export const TAPI_FACTS_SELECT = {
  ipAllowlist: true,
  accesses: true,
  companyInn: true,
  companyKpp: true,
  companyName: true,
  certificateSubject: true,
  certificateIssuer: true,
  certificateSerial: true,
  certificateNotBefore: true,
  certificateNotAfter: true,
  certificateFingerprint: true,
} satisfies Prisma.TapiTokenSelect;

export type TapiFactsRow = Prisma.TapiTokenGetPayload<{ select: typeof TAPI_FACTS_SELECT }>;

/** One declared access as stored in TapiToken.accesses. */
export interface StoredAccess {
  template: string;
  scope: string;
  status: AccessStatus;
  reason?: AccessReason | null;
  checkedAt?: string | null;
}

const STATUSES: readonly AccessStatus[] = ['works', 'missing', 'not_checked'];

/** The stored accesses, tolerating rows written by an older shape. */
export function storedAccesses(value: Prisma.JsonValue): StoredAccess[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return [];
    const access = entry as Record<string, unknown>;
    if (typeof access.template !== 'string' || typeof access.scope !== 'string') return [];
    const status = STATUSES.includes(access.status as AccessStatus) ? (access.status as AccessStatus) : 'not_checked';
    return [{ template: access.template, scope: access.scope, status, reason: (access.reason as AccessReason | undefined) ?? null, checkedAt: typeof access.checkedAt === 'string' ? access.checkedAt : null }];
  });
}

/** Whether the secured host took the certificate at the last check (kept in Token.userInfo). */
export function certificateWorksOf(userInfo: Prisma.JsonValue | null): boolean | null {
  if (!userInfo || typeof userInfo !== 'object' || Array.isArray(userInfo)) return null;
  const works = (userInfo as { certificateWorks?: unknown }).certificateWorks;
  return typeof works === 'boolean' ? works : null;
}

/** Maps a token's T-API facts; `egress` is STRONGROOM_EGRESS_IPS. */
export function toTapiFactsDto(row: TapiFactsRow, userInfo: Prisma.JsonValue | null, egress: readonly string[], now = new Date()): TapiFactsDto {
  const accesses: TapiAccessDto[] = storedAccesses(row.accesses).map((access) => ({
    template: access.template,
    scope: access.scope,
    status: access.status,
    reason: access.reason ?? null,
    checkedAt: access.checkedAt ?? null,
  }));
  const allowed = new Set(row.ipAllowlist);
  const missing = egress.filter((ip) => !allowed.has(ip));
  const notAfter = row.certificateNotAfter;
  return {
    company: { inn: row.companyInn, kpp: row.companyKpp, name: row.companyName },
    accesses,
    ipAllowlist: [...row.ipAllowlist],
    // Every egress address must be listed: T-Bank sees whichever one a request leaves from.
    egress: { addresses: [...egress], inAllowlist: egress.length === 0 ? null : missing.length === 0, missing },
    certificate:
      notAfter && row.certificateNotBefore && row.certificateSubject
        ? {
            subject: row.certificateSubject,
            issuer: row.certificateIssuer ?? '',
            serial: row.certificateSerial ?? '',
            notBefore: row.certificateNotBefore.toISOString(),
            notAfter: notAfter.toISOString(),
            sha256: row.certificateFingerprint ?? '',
            daysLeft: Math.max(0, Math.ceil((notAfter.getTime() - now.getTime()) / DAY_MS)),
            works: certificateWorksOf(userInfo),
          }
        : null,
  };
}
