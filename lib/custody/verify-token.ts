import 'server-only';
// Checks a stored token at T-Bank now, through the guarded client like any other use, and records
// what T-Bank said: accounts, rights, limits; "invalid" at once on 40003; a token T-Bank accepts
// again comes back from invalid.
import { appendAudit } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { db } from '../db';
import { AppError } from '../errors';
import { isTinvestError } from '../tinvest';
import type { CheckOutcome, EndpointKind, TokenDto } from './dto';
import { checkStoredTapiToken } from './check-tapi-token';
import { accountRows, verificationColumns } from './deposit-tinvest-token';
import { tokenDtoFor } from './find-token';
import { assertCan, type Actor } from './mutate-token';
import { flushTokenUsage } from './record-usage';
import { auditActor, openTinvestSession, type TinvestActor } from './tinvest-for';
import { verifyLive, type LiveVerification } from './verify-live';

export interface CheckResult {
  outcome: CheckOutcome;
  message: string;
}

function outcomeOf(error: unknown): CheckOutcome {
  const cause = error instanceof AppError && error.cause !== undefined ? error.cause : error;
  if (isTinvestError(cause)) {
    if (cause.kind === 'token_invalid') return 'invalid';
    if (cause.kind === 'unavailable' || cause.kind === 'deadline' || cause.kind === 'cancelled') return 'unreachable';
  }
  return 'error';
}

/** Verifies one stored token as `actor`; `auditAlways` records even an unchanged result. */
export async function checkStoredToken(actor: TinvestActor, tokenId: string, { auditAlways = false } = {}): Promise<CheckResult> {
  const viewer = 'viewer' in actor ? actor.viewer : null;
  const client = await openTinvestSession(actor, tokenId, { states: ['active', 'invalid'] });
  const { endpointKind } = await db().token.findUniqueOrThrow({ where: { id: tokenId }, select: { endpointKind: true } });
  const now = new Date();
  let verification: LiveVerification;
  try {
    verification = await verifyLive(client, endpointKind as EndpointKind);
  } catch (error) {
    const outcome = outcomeOf(error);
    const message = error instanceof AppError ? error.message : 'The check failed unexpectedly.';
    // An active token hit by 40003 was already marked invalid (with its record) by the client.
    await db().token.updateMany({ where: { id: tokenId, state: { not: 'retired' } }, data: { verifiedAt: now, verifyOutcome: outcome, verifyMessage: message } });
    if (viewer && auditAlways) {
      await db().$transaction((tx) => appendAudit(tx, { action: 'token.verified', actor: auditActor(actor), tokenId, details: { outcome } }));
    }
    return { outcome, message };
  }
  const columns = await verificationColumns(verification, now);
  const lostAccounts = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Token" WHERE "id" = ${tokenId}::uuid FOR UPDATE`;
    const row = await tx.token.findUniqueOrThrow({ where: { id: tokenId }, select: { state: true, kind: true, accounts: { select: { accountId: true } } } });
    if (row.state === 'retired') return false;
    const restored = row.state === 'invalid';
    const reachable = new Set(verification.accounts.map((account) => account.id));
    await tx.tokenAccount.deleteMany({ where: { tokenId } });
    await tx.token.update({
      where: { id: tokenId },
      data: { ...columns, ...(restored ? { state: 'active', invalidSince: null } : {}), accounts: { create: accountRows(verification) } },
    });
    if (auditAlways || restored || row.kind !== verification.kind) {
      await appendAudit(tx, {
        action: 'token.verified',
        actor: auditActor(actor),
        tokenId,
        details: { outcome: 'ok', kind: verification.kind, accounts: verification.accounts.length, ...(restored ? { restored: true } : {}) },
        at: now,
      });
    }
    return row.accounts.some((account) => !reachable.has(account.accountId));
  });
  // An account the token no longer reaches must stop streaming to everyone watching it.
  if (lostAccounts) await accessChanged();
  return { outcome: 'ok', message: columns.verifyMessage };
}

/** "Check now" on a token's page. */
export async function verifyToken(viewer: Actor, id: string): Promise<TokenDto> {
  assertCan(viewer, 'tokens.manage', 'Only owners and admins can check a token.', 'errors.tokens.verifyForbidden');
  const row = await db().token.findUnique({ where: { id }, select: { provider: true } });
  if (row?.provider === 'tapi') await checkStoredTapiToken({ viewer }, id, { auditAlways: true });
  else await checkStoredToken({ viewer }, id, { auditAlways: true });
  await flushTokenUsage();
  return tokenDtoFor(viewer, id);
}
