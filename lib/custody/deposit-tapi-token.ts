import 'server-only';
// Deposit of a T-API H2H token: the input is checked (IPs, access templates, certificate and key),
// the token verified live at T-API (company, accounts, each declared access, the secure host with
// the certificate), then the value and the certificate's private key are sealed, each under its own
// record, and stored with the token's facts and audit record in one transaction. A refusal stores
// nothing; the same value deposited twice yields the existing entry, found by its keyed fingerprint.
import crypto from 'node:crypto';
import { can } from '../auth/permissions';
import { appendAudit, recordAudit } from '../audit/append-audit';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { logger } from '../log';
import { createTapiClient, type TapiClientCertificate } from '../tapi';
import { maskToken } from '../vault';
import { certificateKeyRecordId } from '../vault/prisma-record-store';
import { handleForDeposit, sealTokenValue, tokenFingerprint } from '../vault/runtime';
import type { DepositResultDto, EndpointKind } from './dto';
import { isUniqueViolation } from './deposit-tinvest-token';
import { tokenDtoFor } from './find-token';
import type { Actor } from './mutate-token';
import { checkClientCertificate, type CheckedCertificate } from './tapi-certificate';
import { tapiEndpointFor, tapiTrustOptions, type TapiEndpointChoice } from './tapi-endpoint';
import { tapiDepositSchema, type TapiDepositInput } from './tapi-schema';
import { explainTapiFailure, verifyTapiLive, type TapiVerification } from './verify-tapi-live';

type Tx = Prisma.TransactionClient;

/** The vault record kind of a certificate's private key: it never opens as a token. */
export const CERTIFICATE_KEY_KIND = 'tapi-key';
/** What H2H tokens may be used for: reading accounts and statements (no T-Invest call classes apply). */
export const TAPI_CLASSES = ['accounts', 'operations'];

/** Verifies a submitted value (and certificate) live; a refusal is audited (masked) and thrown as a message a person can act on. */
export async function verifySubmittedTapi(
  actor: Actor,
  value: string,
  endpoint: TapiEndpointChoice,
  accesses: readonly string[],
  clientCertificate: TapiClientCertificate | null,
  details: Record<string, unknown> = {},
): Promise<TapiVerification> {
  const client = createTapiClient({
    endpoint: tapiEndpointFor(endpoint),
    token: handleForDeposit(value),
    ...(clientCertificate ? { clientCertificate } : {}),
    ...tapiTrustOptions(),
  });
  try {
    return await verifyTapiLive(client, accesses, { hasCertificate: clientCertificate !== null });
  } catch (error) {
    const explained = explainTapiFailure(error, endpoint.kind);
    const reason = explained instanceof AppError ? (explained.messageKey ?? explained.code) : 'error';
    logger().info({ endpoint: endpoint.kind, masked: maskToken(value), reason }, 'T-API token verification failed');
    if (explained instanceof AppError && explained.code === 'invalid') {
      await recordAudit({ action: 'token.deposit_refused', actor: { id: actor.id, label: actor.email }, details: { ...details, masked: maskToken(value), provider: 'tapi', endpoint: endpoint.kind, reason } });
    }
    throw explained;
  }
}

/** The business accounts rows for a verification (grants name them by account number). */
export function tapiAccountRows(verification: TapiVerification) {
  return verification.accounts.map((account) => ({
    accountId: account.accountNumber,
    name: account.name,
    type: account.accountType ?? '',
    status: account.status ?? '',
    accessLevel: 'unspecified',
    currency: account.currency,
  }));
}

/** What a verification stores on the Token row. */
export function tapiVerificationColumns(verification: TapiVerification, now: Date) {
  const works = verification.accesses.filter((access) => access.status === 'works').length;
  const missing = verification.accesses.filter((access) => access.status === 'missing').length;
  return {
    verifiedAt: now,
    verifyOutcome: 'ok',
    verifyMessage: `Verified: ${verification.accounts.length} account${verification.accounts.length === 1 ? '' : 's'}; ${works} access${works === 1 ? '' : 'es'} working, ${missing} missing.`,
    userInfo: { certificateWorks: verification.certificateWorks } as Prisma.InputJsonValue,
  };
}

/** What a verification stores on the TapiToken row. */
export function tapiFactColumns(verification: TapiVerification) {
  return {
    accesses: verification.accesses as unknown as Prisma.InputJsonValue,
    companyInn: verification.company.inn,
    companyKpp: verification.company.kpp,
    companyName: verification.company.name,
  };
}

/** The certificate columns, with its private key sealed under the token's key record. */
export async function certificateColumns(tokenId: string, certificate: CheckedCertificate | null) {
  if (!certificate) {
    return {
      certificatePem: null,
      certificateSubject: null,
      certificateIssuer: null,
      certificateSerial: null,
      certificateNotBefore: null,
      certificateNotAfter: null,
      certificateFingerprint: null,
      certificateKeySealed: null,
      certificateKeyKekVersion: null,
    };
  }
  const { sealed, kekVersion } = await sealTokenValue(certificateKeyRecordId(tokenId), CERTIFICATE_KEY_KIND, certificate.privateKeyPem);
  const { facts } = certificate;
  return {
    certificatePem: certificate.certificatePem,
    certificateSubject: facts.subject,
    certificateIssuer: facts.issuer,
    certificateSerial: facts.serial,
    certificateNotBefore: facts.notBefore,
    certificateNotAfter: facts.notAfter,
    certificateFingerprint: facts.fingerprint,
    certificateKeySealed: sealed,
    certificateKeyKekVersion: kekVersion,
  };
}

async function existing(viewer: Actor, fingerprint: string, tx: Tx = db()): Promise<DepositResultDto | null> {
  const row = await tx.token.findUnique({ where: { fingerprint }, select: { id: true } });
  return row ? { duplicate: true, token: await tokenDtoFor(viewer, row.id, tx) } : null;
}

/** Verifies and stores a T-API H2H token; returns the new entry, or the existing one for a known value. */
export async function depositTapiToken(viewer: Actor, input: TapiDepositInput, now = new Date()): Promise<DepositResultDto> {
  if (!can(viewer.role, 'tokens.create')) throw new AppError('forbidden', 'Only owners and admins can deposit tokens.', { messageKey: 'errors.tokens.depositForbidden' });
  const { label, purpose, endpoint, value, ipAllowlist, accesses, certificate } = tapiDepositSchema.parse(input);
  const checked = certificate ? checkClientCertificate(certificate, now) : null;
  const fingerprint = await tokenFingerprint(value);
  const known = await existing(viewer, fingerprint);
  if (known) return known;

  const choice: TapiEndpointChoice =
    endpoint.kind === 'custom' ? { kind: 'custom', baseUrl: endpoint.baseUrl, securedBaseUrl: endpoint.securedBaseUrl ?? null } : { kind: endpoint.kind };
  const clientCertificate = checked ? { certificatePem: checked.certificatePem, privateKey: handleForDeposit(checked.privateKeyPem) } : null;
  const verification = await verifySubmittedTapi(viewer, value, choice, accesses, clientCertificate, { label });
  const id = crypto.randomUUID();
  const { sealed, kekVersion } = await sealTokenValue(id, 'tapi', value);
  const certificateData = await certificateColumns(id, checked);
  const masked = maskToken(value);
  try {
    const result = await db().$transaction(async (tx) => {
      await tx.token.create({
        data: {
          id,
          provider: 'tapi',
          kind: 'tapi',
          label,
          purpose,
          endpointKind: endpoint.kind satisfies EndpointKind,
          endpointAddress: choice.baseUrl ?? null,
          ownerId: viewer.id,
          masked,
          fingerprint,
          sealed,
          kekVersion,
          allowedClasses: [...TAPI_CLASSES],
          createdAt: now,
          ...tapiVerificationColumns(verification, now),
          accounts: { create: tapiAccountRows(verification) },
          tapi: { create: { ipAllowlist, securedBaseUrl: choice.securedBaseUrl ?? null, ...tapiFactColumns(verification), ...certificateData } },
        },
      });
      await appendAudit(tx, {
        action: 'token.deposited',
        actor: { id: viewer.id, label: viewer.email },
        tokenId: id,
        details: {
          label,
          masked,
          kind: 'tapi',
          endpoint: endpoint.kind,
          accounts: verification.accounts.length,
          company: verification.company.inn,
          accesses: verification.accesses.map((access) => ({ scope: access.scope, status: access.status })),
          ipAllowlist,
          ...(checked ? { certificateSerial: checked.facts.serial } : {}),
        },
        at: now,
      });
      return { duplicate: false, token: await tokenDtoFor(viewer, id, tx) };
    });
    logger().info({ tokenId: id, kind: 'tapi', masked }, 'token deposited');
    return result;
  } catch (error) {
    // Someone deposited the same value between our check and our insert: theirs stands.
    if (isUniqueViolation(error)) {
      const winner = await existing(viewer, fingerprint);
      if (winner) return winner;
    }
    throw error;
  }
}
