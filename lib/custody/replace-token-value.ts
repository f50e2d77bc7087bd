import 'server-only';
// Replacing a token's value (T-Bank issued a new one): the new value is verified live and must
// belong to the same T-Invest user; the old value's masked form goes to the history.
import { accessChanged } from '../auth/access-changed';
import { AppError } from '../errors';
import { maskToken } from '../vault';
import { sealTokenValue, tokenFingerprint } from '../vault/runtime';
import type { EndpointKind, TokenDto } from './dto';
import { accountRows, isUniqueViolation, tinvestUserHash, verificationColumns, verifySubmittedValue } from './deposit-tinvest-token';
import { findVisibleToken } from './find-token';
import { assertCan, mutateToken, type Actor } from './mutate-token';
import { replaceValueSchema } from './schema';
import { db } from '../db';
import { replaceTapiTokenValue } from './replace-tapi-token-value';
import type { TapiReplaceInput } from './tapi-schema';

/** Throws 409 naming the entry that already holds this value (this token or another). */
async function assertValueFree(id: string, fingerprint: string): Promise<void> {
  const holder = await db().token.findUnique({ where: { fingerprint }, select: { id: true, label: true } });
  if (holder?.id === id) throw new AppError('conflict', 'This is the value already stored for this token.', { messageKey: 'errors.tokens.sameValue' });
  if (holder) throw new AppError('conflict', `This value is already stored as “${holder.label}”.`, { messageKey: 'errors.tokens.valueStoredAs', values: { label: holder.label } });
}

/** Swaps in a new value for the same T-Invest user; an invalid token becomes active again. */
export async function replaceTokenValue(viewer: Actor, id: string, input: { value: string } & Partial<TapiReplaceInput>): Promise<TokenDto> {
  assertCan(viewer, 'tokens.manage', 'Only owners and admins can replace a token.', 'errors.tokens.replaceForbidden');
  const { value } = replaceValueSchema.parse(input);
  const row = await findVisibleToken(viewer, id);
  // An H2H token is replaced with its own rules (same company; IPs, accesses, certificate may change).
  if (row.provider === 'tapi') return replaceTapiTokenValue(viewer, id, input);
  if (row.state === 'retired') throw new AppError('conflict', 'This token was retired. Deposit the new value as a new token.', { messageKey: 'errors.tokens.retiredDepositNew' });
  const fingerprint = await tokenFingerprint(value);
  await assertValueFree(id, fingerprint);

  const verification = await verifySubmittedValue(viewer, value, { kind: row.endpointKind as EndpointKind, address: row.endpointAddress }, { tokenId: id, replace: true });
  const storedHash = (row.userInfo as { userIdHash?: string } | null)?.userIdHash;
  if (!storedHash || storedHash !== (await tinvestUserHash(verification.userId))) {
    throw new AppError('invalid', 'This token belongs to a different T-Invest user than the one it replaces. Deposit it as a new token instead.', { messageKey: 'errors.tokens.otherUser' });
  }
  const { sealed, kekVersion } = await sealTokenValue(id, 'tinvest', value);
  const now = new Date();
  const columns = await verificationColumns(verification, now);
  const masked = maskToken(value);
  try {
    const token = await mutateToken(viewer, id, async (tx, current) => {
      if (current.state === 'retired') throw new AppError('conflict', 'This token was retired meanwhile.', { messageKey: 'errors.tokens.retiredMeanwhile' });
      await tx.tokenVersion.create({
        data: { tokenId: id, masked: current.masked, depositedAt: current.versions[0]?.replacedAt ?? current.createdAt, replacedAt: now, replacedById: viewer.id },
      });
      await tx.tokenAccount.deleteMany({ where: { tokenId: id } });
      await tx.token.update({
        where: { id },
        data: {
          ...columns,
          masked,
          fingerprint,
          sealed,
          kekVersion,
          lastUsedAt: now,
          ...(current.state === 'invalid' ? { state: 'active' } : {}),
          invalidSince: null,
          accounts: { create: accountRows(verification) },
        },
      });
      return { action: 'token.replaced', details: { from: current.masked, to: masked, kind: verification.kind } };
    });
    // The new value may hold fewer accounts than the old one.
    await accessChanged();
    return token;
  } catch (error) {
    // A deposit (or another replace) stored the same value after our check: the unique fingerprint
    // refused our write and the transaction rolled back whole. Answer as for a value already stored.
    if (isUniqueViolation(error)) await assertValueFree(id, fingerprint);
    throw error;
  }
}
