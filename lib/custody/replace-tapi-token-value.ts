import 'server-only';
// Replacing an H2H token's value (T-Bank cannot edit a token, so a new one is issued for new IPs or
// accesses): the new value is verified live and must belong to the same company; IPs, accesses and
// the certificate given replace the stored ones, those left out are kept. The old value's masked
// form goes to the history; a replaced certificate key is overwritten (its sealed record is gone).
import { accessChanged } from '../auth/access-changed';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { maskToken } from '../vault';
import { certificateKeyRecordId } from '../vault/prisma-record-store';
import { handleForDeposit, openStoredToken, sealTokenValue, tokenFingerprint } from '../vault/runtime';
import { CERTIFICATE_KEY_KIND, certificateColumns, tapiAccountRows, tapiFactColumns, tapiVerificationColumns, verifySubmittedTapi } from './deposit-tapi-token';
import { isUniqueViolation } from './deposit-tinvest-token';
import type { EndpointKind, TokenDto } from './dto';
import { findVisibleToken } from './find-token';
import { assertCan, mutateToken, type Actor } from './mutate-token';
import { checkClientCertificate } from './tapi-certificate';
import { tapiReplaceSchema, type TapiReplaceInput } from './tapi-schema';
import { storedAccesses } from './to-tapi-facts-dto';

/** Throws 409 naming the entry that already holds this value (this token or another). */
async function assertValueFree(id: string, fingerprint: string): Promise<void> {
  const holder = await db().token.findUnique({ where: { fingerprint }, select: { id: true, label: true } });
  if (holder?.id === id) throw new AppError('conflict', 'This is the value already stored for this token.', { messageKey: 'errors.tokens.sameValue' });
  if (holder) throw new AppError('conflict', `This value is already stored as “${holder.label}”.`, { messageKey: 'errors.tokens.valueStoredAs', values: { label: holder.label } });
}

const otherCompany = () =>
  new AppError('invalid', 'This token belongs to a different company than the one it replaces. Deposit it as a new token instead.', { messageKey: 'errors.tapiTokens.otherCompany' });

/** Swaps in a new H2H value for the same company; an invalid token becomes active again. */
export async function replaceTapiTokenValue(viewer: Actor, id: string, input: TapiReplaceInput): Promise<TokenDto> {
  assertCan(viewer, 'tokens.manage', 'Only owners and admins can replace a token.', 'errors.tokens.replaceForbidden');
  const patch = tapiReplaceSchema.parse(input);
  const row = await findVisibleToken(viewer, id);
  if (row.provider !== 'tapi') throw new AppError('invalid', 'This is not a T-API H2H token.', { messageKey: 'errors.tapiTokens.notTapi' });
  if (row.state === 'retired') throw new AppError('conflict', 'This token was retired. Deposit the new value as a new token.', { messageKey: 'errors.tokens.retiredDepositNew' });
  const stored = await db().tapiToken.findUniqueOrThrow({ where: { tokenId: id } });
  const now = new Date();
  const fingerprint = await tokenFingerprint(patch.value);
  await assertValueFree(id, fingerprint);

  const certificate = patch.certificate ? checkClientCertificate(patch.certificate, now) : null;
  // A kept certificate must work with the new token too: its stored key is opened for the check.
  const clientCertificate = certificate
    ? { certificatePem: certificate.certificatePem, privateKey: handleForDeposit(certificate.privateKeyPem) }
    : stored.certificatePem && stored.certificateKeySealed
      ? { certificatePem: stored.certificatePem, privateKey: await openStoredToken({ id: certificateKeyRecordId(id), provider: CERTIFICATE_KEY_KIND, sealed: stored.certificateKeySealed }) }
      : null;
  const accesses = patch.accesses ?? storedAccesses(stored.accesses).map((access) => access.template);
  const verification = await verifySubmittedTapi(
    viewer,
    patch.value,
    { kind: row.endpointKind as EndpointKind, baseUrl: row.endpointAddress, securedBaseUrl: stored.securedBaseUrl },
    accesses,
    clientCertificate,
    { tokenId: id, replace: true },
  ).catch((error: unknown) => {
    // The kept accesses name the stored company: a mismatch means the new value is another company's.
    if (!patch.accesses && error instanceof AppError && error.messageKey === 'errors.tapiTokens.companyMismatch') throw otherCompany();
    throw error;
  });
  if (verification.company.inn !== stored.companyInn || verification.company.kpp !== stored.companyKpp) throw otherCompany();
  const { sealed, kekVersion } = await sealTokenValue(id, 'tapi', patch.value);
  const certificateData = certificate ? await certificateColumns(id, certificate) : {};
  const masked = maskToken(patch.value);
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
          ...tapiVerificationColumns(verification, now),
          masked,
          fingerprint,
          sealed,
          kekVersion,
          lastUsedAt: now,
          ...(current.state === 'invalid' ? { state: 'active' } : {}),
          invalidSince: null,
          accounts: { create: tapiAccountRows(verification) },
        },
      });
      await tx.tapiToken.update({
        where: { tokenId: id },
        data: { ...tapiFactColumns(verification), ...(patch.ipAllowlist ? { ipAllowlist: patch.ipAllowlist } : {}), ...(certificateData as Prisma.TapiTokenUpdateInput) },
      });
      return {
        action: 'token.replaced',
        details: { from: current.masked, to: masked, kind: 'tapi', ipsChanged: Boolean(patch.ipAllowlist), accessesChanged: Boolean(patch.accesses), certificateChanged: Boolean(patch.certificate) },
      };
    });
    // The new value may reach fewer accounts than the old one.
    await accessChanged();
    return token;
  } catch (error) {
    if (isUniqueViolation(error)) await assertValueFree(id, fingerprint);
    throw error;
  }
}
