import 'server-only';
// Checks a proof of a second factor for one user, under a throttle like the password's: attempts
// are counted before they are checked, and too many lock factor attempts for the user from that
// address. Every failure is audited; a used recovery code too.
import { recordAudit } from '../audit/append-audit';
import { admitAttempt } from '../auth/throttle';
import { db } from '../db';
import { AppError } from '../errors';
import { openSealedSecret } from '../vault/runtime';
import { factorThrottleKey } from './factor-throttle-key';
import { verifyPasskeyAssertion } from './passkeys';
import { consumeRecoveryCode } from './recovery-codes';
import type { FactorProof } from './schema';
import { matchTotp } from './totp';
import { totpSecretId, TOTP_SECRET_KIND } from './totp-secret';

async function proveTotp(userId: string, code: string, now: Date): Promise<string | null> {
  const factors = await db().secondFactor.findMany({ where: { userId, kind: 'totp', confirmedAt: { not: null } }, select: { id: true, totpLastStep: true } });
  for (const factor of factors) {
    const secret = await openSealedSecret(totpSecretId(factor.id), TOTP_SECRET_KIND);
    if (!secret) continue;
    const step = (() => {
      try {
        return matchTotp(secret, code, factor.totpLastStep, now);
      } finally {
        secret.fill(0);
      }
    })();
    if (step === null) continue;
    // Conditional on the step still being newer, so two requests with one code cannot both pass.
    const { count } = await db().secondFactor.updateMany({
      where: { id: factor.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step, lastUsedAt: now },
    });
    if (count === 1) return factor.id;
  }
  return null;
}

/** Whether the proof holds, without throttle or audit: the factor's kind, or null. */
export async function checkProof(userId: string, proof: FactorProof, now = new Date()): Promise<'totp' | 'recovery' | 'passkey' | null> {
  if (proof.method === 'totp') return (await proveTotp(userId, proof.code, now)) ? 'totp' : null;
  if (proof.method === 'recovery') return (await consumeRecoveryCode(db(), userId, proof.code, now)) ? 'recovery' : null;
  const factorId = await verifyPasskeyAssertion(db(), userId, proof.response as never);
  if (!factorId) return null;
  await db().secondFactor.update({ where: { id: factorId }, data: { lastUsedAt: now } });
  return 'passkey';
}

/** Checks the proof under the throttle; throws the 401 (wrong) or 429 (locked) after auditing. Returns the method that passed. */
export async function proveFactor(user: { id: string; email: string }, proof: FactorProof, context: { ip: string | null; purpose: 'sign-in' | 'step-up' }): Promise<string> {
  const actor = { id: user.id, label: user.email };
  const audit = (locked: boolean) => recordAudit({ action: 'auth.second_factor_failed', actor, targetId: user.id, ip: context.ip, details: { method: proof.method, purpose: context.purpose, locked } });
  const attempt = await admitAttempt(factorThrottleKey(user.id), context.ip).catch(async (error: unknown) => {
    await audit(true);
    throw error;
  });
  const method = await checkProof(user.id, proof);
  if (!method) {
    const locked = await attempt.failed();
    await audit(locked !== null);
    throw locked ?? new AppError('unauthenticated', 'That code or passkey did not work. Try again.', { messageKey: 'errors.secondFactor.invalid' });
  }
  await attempt.succeeded();
  if (method === 'recovery') await recordAudit({ action: 'auth.recovery_code_used', actor, targetId: user.id, ip: context.ip, details: { purpose: context.purpose } });
  return method;
}
