import 'server-only';
// Checks a stored H2H token at T-API now, through the guarded client like any other use, and records
// what it found: company, business accounts, each declared access and the certificate. "Invalid" at
// once on 401; a token T-API accepts again comes back from invalid.
import { appendAudit } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { db } from '../db';
import { AppError } from '../errors';
import { isTapiError } from '../tapi';
import { tapiAccountRows, tapiFactColumns, tapiVerificationColumns } from './deposit-tapi-token';
import type { CheckOutcome } from './dto';
import { tapiFor, type TapiActor } from './tapi-for';
import { auditActor } from './tinvest-for';
import { storedAccesses } from './to-tapi-facts-dto';
import { verifyTapiLive, type TapiVerification } from './verify-tapi-live';

export interface TapiCheckResult {
  outcome: CheckOutcome;
  message: string;
}

function outcomeOf(error: unknown): CheckOutcome {
  if (!isTapiError(error)) return 'error';
  if (error.kind === 'unauthorized') return 'invalid';
  if (error.kind === 'network' || error.kind === 'upstream' || error.kind === 'rate-limited') return 'unreachable';
  return 'error';
}

/** Verifies one stored H2H token as `actor`; `auditAlways` records even an unchanged result. */
export async function checkStoredTapiToken(actor: TapiActor, tokenId: string, { auditAlways = false, now = new Date() } = {}): Promise<TapiCheckResult> {
  const client = await tapiFor(actor, tokenId, { states: ['active', 'invalid'] });
  const stored = await db().tapiToken.findUniqueOrThrow({ where: { tokenId }, select: { accesses: true, certificatePem: true } });
  let verification: TapiVerification;
  try {
    verification = await verifyTapiLive(
      client,
      storedAccesses(stored.accesses).map((access) => access.template),
      { hasCertificate: stored.certificatePem !== null, now },
    );
  } catch (error) {
    const outcome = outcomeOf(error);
    const message = error instanceof AppError ? error.message : 'The check failed unexpectedly.';
    // An active token hit by 401 was already marked invalid (with its record) by tapiFor.
    await db().token.updateMany({ where: { id: tokenId, state: { not: 'retired' } }, data: { verifiedAt: now, verifyOutcome: outcome, verifyMessage: message } });
    if (auditAlways && 'viewer' in actor) {
      await db().$transaction((tx) => appendAudit(tx, { action: 'token.verified', actor: auditActor(actor), tokenId, details: { outcome } }));
    }
    return { outcome, message };
  }
  const columns = tapiVerificationColumns(verification, now);
  const lostAccounts = await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Token" WHERE "id" = ${tokenId}::uuid FOR UPDATE`;
    const row = await tx.token.findUniqueOrThrow({ where: { id: tokenId }, select: { state: true, accounts: { select: { accountId: true } } } });
    if (row.state === 'retired') return false;
    const restored = row.state === 'invalid';
    await tx.tokenAccount.deleteMany({ where: { tokenId } });
    await tx.token.update({
      where: { id: tokenId },
      data: { ...columns, ...(restored ? { state: 'active', invalidSince: null } : {}), accounts: { create: tapiAccountRows(verification) } },
    });
    await tx.tapiToken.update({ where: { tokenId }, data: tapiFactColumns(verification) });
    if (auditAlways || restored) {
      await appendAudit(tx, {
        action: 'token.verified',
        actor: auditActor(actor),
        tokenId,
        details: {
          outcome: 'ok',
          kind: 'tapi',
          accounts: verification.accounts.length,
          accesses: verification.accesses.map((access) => ({ scope: access.scope, status: access.status })),
          certificateWorks: verification.certificateWorks,
          ...(restored ? { restored: true } : {}),
        },
        at: now,
      });
    }
    const reachable = new Set(verification.accounts.map((account) => account.accountNumber));
    return row.accounts.some((account) => !reachable.has(account.accountId));
  });
  if (lostAccounts) await accessChanged();
  return { outcome: 'ok', message: columns.verifyMessage };
}
