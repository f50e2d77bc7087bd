import 'server-only';
// A user's own second factors: list, add an authenticator app or a passkey, remove one, and
// replace the recovery codes. Adding the first factor issues ten recovery codes; adding a factor
// proves it, so the session counts as freshly stepped up.
import crypto from 'node:crypto';
import { appendAudit, withAudit } from '../audit/append-audit';
import { requirePermission, type Viewer } from '../auth/session';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { openSealedSecret, sealSecret } from '../vault/runtime';
import type { EnrolledDto, MyFactorsDto, RecoveryCodesDto, SecondFactorDto, TotpEnrolmentDto } from './dto';
import { deleteFactors } from './delete-factors';
import { passkeyRegistrationOptions, verifyPasskeyRegistration } from './passkeys';
import { policyCovers } from './policy';
import { replaceRecoveryCodes } from './recovery-codes';
import type { AddPasskeyInput, ConfirmTotpInput } from './schema';
import { readSecondFactorPolicy } from './team-policy';
import { matchTotp, newTotpSecret, totpEnrolment } from './totp';
import { totpSecretId, TOTP_SECRET_KIND } from './totp-secret';

type FactorRow = { id: string; kind: string; name: string; createdAt: Date; lastUsedAt: Date | null };

export function toSecondFactorDto(row: FactorRow): SecondFactorDto {
  return { id: row.id, kind: row.kind === 'passkey' ? 'passkey' : 'totp', name: row.name, createdAt: row.createdAt.toISOString(), lastUsedAt: row.lastUsedAt?.toISOString() ?? null };
}

const FACTOR_COLUMNS = { id: true, kind: true, name: true, createdAt: true, lastUsedAt: true } as const;

/** The viewer's confirmed factors, their unused recovery codes and whether the policy requires one. */
export async function listMyFactors(): Promise<MyFactorsDto> {
  const viewer = await requirePermission('account.update');
  const [factors, recoveryCodesLeft, policy] = await Promise.all([
    db().secondFactor.findMany({ where: { userId: viewer.id, confirmedAt: { not: null } }, orderBy: { createdAt: 'asc' }, select: FACTOR_COLUMNS }),
    db().recoveryCode.count({ where: { userId: viewer.id, usedAt: null } }),
    readSecondFactorPolicy(),
  ]);
  return { factors: factors.map(toSecondFactorDto), recoveryCodesLeft, required: policyCovers(policy, viewer.role), policy };
}

/** Closes an enrolment: first factor → recovery codes; the session counts as stepped up. */
async function finishEnrolment(tx: Prisma.TransactionClient, viewer: Viewer, factor: FactorRow): Promise<EnrolledDto> {
  const others = await tx.secondFactor.count({ where: { userId: viewer.id, confirmedAt: { not: null }, id: { not: factor.id } } });
  const recoveryCodes = others === 0 ? await replaceRecoveryCodes(tx, viewer.id) : null;
  if (viewer.sessionId) await tx.session.update({ where: { id: viewer.sessionId }, data: { factorVerifiedAt: new Date() } });
  await appendAudit(tx, { action: 'account.second_factor_added', actor: { id: viewer.id, label: viewer.email }, targetId: viewer.id, details: { kind: factor.kind, name: factor.name } });
  return { factor: toSecondFactorDto(factor), recoveryCodes };
}

/** Starts adding an authenticator app: a pending factor with a sealed secret, and the QR code to scan. */
export async function startTotpEnrolment(): Promise<TotpEnrolmentDto> {
  const viewer = await requirePermission('account.update');
  const secret = newTotpSecret();
  try {
    const factorId = crypto.randomUUID();
    // Sealed before the transaction: the vault's first load may take a while.
    const sealed = await sealSecret(totpSecretId(factorId), TOTP_SECRET_KIND, secret);
    await db().$transaction(async (tx) => {
      const stale = await tx.secondFactor.findMany({ where: { userId: viewer.id, kind: 'totp', confirmedAt: null }, select: { id: true } });
      await tx.vaultSecret.deleteMany({ where: { id: { in: stale.map((row) => totpSecretId(row.id)) } } });
      await tx.secondFactor.deleteMany({ where: { id: { in: stale.map((row) => row.id) } } });
      await tx.secondFactor.create({ data: { id: factorId, userId: viewer.id, kind: 'totp', name: 'Authenticator app' } });
      await tx.vaultSecret.create({ data: sealed });
    });
    return { factorId, ...(await totpEnrolment(secret, viewer.email)) };
  } finally {
    secret.fill(0);
  }
}

/** Confirms a pending authenticator app with its first code. */
export async function confirmTotp(input: ConfirmTotpInput): Promise<EnrolledDto> {
  const viewer = await requirePermission('account.update');
  const pending = await db().secondFactor.findFirst({ where: { id: input.factorId, userId: viewer.id, kind: 'totp', confirmedAt: null } });
  const secret = pending ? await openSealedSecret(totpSecretId(pending.id), TOTP_SECRET_KIND) : null;
  if (!pending || !secret) throw new AppError('not_found', 'Start adding the app again.', { messageKey: 'errors.secondFactor.enrolmentExpired' });
  let step: number | null;
  try {
    step = matchTotp(secret, input.code, null);
  } finally {
    secret.fill(0);
  }
  if (step === null) {
    throw new AppError('invalid', 'That code did not match. Check the time on your phone and try the newest code.', { messageKey: 'errors.secondFactor.invalid', fields: { code: ['That code did not match.'] }, fieldKeys: { code: 'errors.secondFactor.invalid' } });
  }
  return db().$transaction(async (tx) => {
    const now = new Date();
    const factor = await tx.secondFactor.update({ where: { id: pending.id }, data: { confirmedAt: now, lastUsedAt: now, totpLastStep: step, name: input.name }, select: FACTOR_COLUMNS });
    return finishEnrolment(tx, viewer, factor);
  });
}

/** Options for the browser's passkey creation. */
export async function startPasskeyEnrolment() {
  const viewer = await requirePermission('account.update');
  return passkeyRegistrationOptions(viewer);
}

/** Stores a new passkey once its registration checks out. */
export async function addPasskey(input: AddPasskeyInput): Promise<EnrolledDto> {
  const viewer = await requirePermission('account.update');
  const passkey = await verifyPasskeyRegistration(viewer.id, input.response as never);
  if (!passkey) throw new AppError('invalid', 'The passkey could not be verified. Try again.', { messageKey: 'errors.secondFactor.passkeyRejected' });
  return db().$transaction(async (tx) => {
    const now = new Date();
    const factor = await tx.secondFactor.create({
      data: { userId: viewer.id, kind: 'passkey', name: input.name, confirmedAt: now, lastUsedAt: now, credentialId: passkey.credentialId, publicKey: Uint8Array.from(passkey.publicKey), counter: passkey.counter, transports: passkey.transports },
      select: FACTOR_COLUMNS,
    });
    return finishEnrolment(tx, viewer, factor);
  });
}

/** Removes one of the viewer's factors; the last one stays while the team policy requires a factor. */
export async function removeMyFactor(factorId: string): Promise<void> {
  const viewer = await requirePermission('account.update');
  const policy = await readSecondFactorPolicy();
  await db().$transaction(async (tx) => {
    const factor = await tx.secondFactor.findFirst({ where: { id: factorId, userId: viewer.id, confirmedAt: { not: null } }, select: { id: true, kind: true, name: true } });
    if (!factor) throw new AppError('not_found', 'That factor does not exist.', { messageKey: 'errors.input.notFound' });
    const confirmed = await tx.secondFactor.count({ where: { userId: viewer.id, confirmedAt: { not: null } } });
    if (confirmed === 1 && policyCovers(policy, viewer.role)) {
      throw new AppError('conflict', 'Your team requires a second factor: add another before removing this one.', { messageKey: 'errors.secondFactor.lastRequired' });
    }
    await deleteFactors(tx, viewer.id, [factor.id]);
    await appendAudit(tx, { action: 'account.second_factor_removed', actor: { id: viewer.id, label: viewer.email }, targetId: viewer.id, details: { kind: factor.kind, name: factor.name } });
  });
}

/** Replaces the viewer's recovery codes with ten new ones (the old ones stop working). */
export async function regenerateRecoveryCodes(): Promise<RecoveryCodesDto> {
  const viewer = await requirePermission('account.update');
  return withAudit({ action: 'account.recovery_codes_generated', actor: { id: viewer.id, label: viewer.email }, targetId: viewer.id }, async (tx) => {
    if ((await tx.secondFactor.count({ where: { userId: viewer.id, confirmedAt: { not: null } } })) === 0) {
      throw new AppError('conflict', 'Add a second factor first.', { messageKey: 'errors.secondFactor.noneEnrolled' });
    }
    return { recoveryCodes: await replaceRecoveryCodes(tx, viewer.id) };
  });
}
