import 'server-only';
// Deposit: the value is checked, verified live at T-Bank, sealed, and stored with its accounts and
// audit record in one transaction. The same value deposited twice (even at the same moment) yields
// the existing entry, found by its keyed fingerprint.
import crypto from 'node:crypto';
import { can } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import { appendAudit, recordAudit } from '../audit/append-audit';
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { logger } from '../log';
import { createTinvestClient } from '../tinvest';
import { maskToken } from '../vault';
import { handleForDeposit, keyedHash, sealTokenValue, tokenFingerprint } from '../vault/runtime';
import type { DepositResultDto, EndpointKind } from './dto';
import { tokenDtoFor } from './find-token';
import { DEFAULT_CLASSES } from './policy';
import { depositSchema, type DepositInput } from './schema';
import { tinvestEndpointFor, tinvestTrustOptions } from './tinvest-endpoint';
import { verifyLive, type LiveVerification } from './verify-live';

type Tx = Prisma.TransactionClient;
type Depositor = Pick<Viewer, 'id' | 'email' | 'role'>;

/** The keyed hash under which a T-Invest user id is stored (never the id itself). */
export function tinvestUserHash(userId: string): Promise<string> {
  return keyedHash('tinvest-user', userId);
}

/** Verifies a value live at an endpoint; a rejected value is audited (masked) and refused. */
export async function verifySubmittedValue(
  actor: Depositor,
  value: string,
  endpoint: { kind: EndpointKind; address: string | null },
  details: Record<string, unknown> = {},
): Promise<LiveVerification> {
  const client = createTinvestClient({ endpoint: tinvestEndpointFor(endpoint.kind, endpoint.address), token: handleForDeposit(value), ...tinvestTrustOptions() });
  try {
    return await verifyLive(client, endpoint.kind);
  } catch (failure) {
    const error = isRejection(failure) ? await explainRejection(value, endpoint.kind, failure) : failure;
    logger().info({ endpoint: endpoint.kind, masked: maskToken(value), reason: error instanceof AppError ? error.code : 'error' }, 'token verification failed');
    if (error instanceof AppError && error.code === 'invalid') {
      await recordAudit({
        action: 'token.deposit_refused',
        actor: { id: actor.id, label: actor.email },
        details: { ...details, masked: maskToken(value), endpoint: endpoint.kind, reason: error.messageKey === 'errors.tokens.wrongEnvironment' ? 'wrong_environment' : 'rejected_by_tbank' },
      });
    }
    throw error;
  }
}

const isRejection = (error: unknown): error is AppError => error instanceof AppError && error.messageKey === 'errors.tokens.rejectedOnCheck';

/**
 * T-Bank answers every unusable token with one code (40003), so the person is told what can be told:
 * a token the other environment accepts was sent to the wrong one; a value not shaped like a T-Invest
 * token was probably copied incompletely; anything else was revoked or expired and needs reissuing.
 */
async function explainRejection(value: string, kind: EndpointKind, rejection: AppError): Promise<AppError> {
  if (kind === 'production' || kind === 'sandbox') {
    const other = kind === 'production' ? 'sandbox' : 'production';
    const probe = createTinvestClient({ endpoint: tinvestEndpointFor(other, null), token: handleForDeposit(value), ...tinvestTrustOptions() });
    const acceptedThere = await probe.getInfo().then(
      () => true,
      () => false,
    );
    if (acceptedThere) {
      return new AppError('invalid', `This is a ${other} token: choose the ${other} endpoint and deposit it again.`, { cause: rejection, messageKey: 'errors.tokens.wrongEnvironment', values: { endpoint: other } });
    }
  }
  if (!TINVEST_TOKEN_SHAPE.test(value)) {
    return new AppError('invalid', 'T-Bank does not accept this value, and it does not look like a T-Invest token (those start with "t."). Copy the whole token again.', { cause: rejection, messageKey: 'errors.tokens.rejectedMalformed' });
  }
  return new AppError('invalid', 'T-Bank does not accept this token: it was revoked, or it expired after three months unused. Create a new one in T-Invest and deposit that.', { cause: rejection, messageKey: 'errors.tokens.rejectedReissue' });
}

/** What T-Invest's tokens look like: `t.` and a long base64url tail. Used to explain a refusal, never to refuse. */
const TINVEST_TOKEN_SHAPE = /^t\.[A-Za-z0-9_-]{40,}$/;

/** The accounts rows for a verification. */
export function accountRows(verification: LiveVerification) {
  return verification.accounts.map((account) => ({
    accountId: account.id,
    name: account.name,
    type: account.type,
    status: account.status,
    accessLevel: account.accessLevel,
    openedAt: account.openedAt,
  }));
}

/** What a verification stores on the token row. */
export async function verificationColumns(verification: LiveVerification, now: Date) {
  return {
    kind: verification.kind,
    tariff: (verification.tariff ?? undefined) as Prisma.InputJsonValue | undefined,
    userInfo: { userIdHash: await tinvestUserHash(verification.userId), tariff: verification.tariffName } as Prisma.InputJsonValue,
    verifiedAt: now,
    verifyOutcome: 'ok',
    verifyMessage: `Verified: ${verification.accounts.length} account${verification.accounts.length === 1 ? '' : 's'}.`,
  };
}

/** True for Prisma's unique-constraint violation (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

async function existing(viewer: Depositor, fingerprint: string, tx: Tx = db()): Promise<DepositResultDto | null> {
  const row = await tx.token.findUnique({ where: { fingerprint }, select: { id: true } });
  return row ? { duplicate: true, token: await tokenDtoFor(viewer, row.id, tx) } : null;
}

/** Verifies and stores a T-Invest token; returns the new entry, or the existing one for a known value. */
export async function depositTinvestToken(viewer: Depositor, input: DepositInput): Promise<DepositResultDto> {
  if (!can(viewer.role, 'tokens.create')) throw new AppError('forbidden', 'Only owners and admins can deposit tokens.', { messageKey: 'errors.tokens.depositForbidden' });
  const { label, purpose, endpoint, value } = depositSchema.parse(input);
  const fingerprint = await tokenFingerprint(value);
  const known = await existing(viewer, fingerprint);
  if (known) return known;

  const endpointAddress = endpoint.kind === 'custom' ? endpoint.address : null;
  const verification = await verifySubmittedValue(viewer, value, { kind: endpoint.kind, address: endpointAddress }, { label });
  const id = crypto.randomUUID();
  const { sealed, kekVersion } = await sealTokenValue(id, 'tinvest', value);
  const now = new Date();
  const masked = maskToken(value);
  const columns = await verificationColumns(verification, now);
  try {
    return await db().$transaction(async (tx) => {
      await tx.token.create({
        data: {
          id,
          provider: 'tinvest',
          label,
          purpose,
          endpointKind: endpoint.kind,
          endpointAddress,
          ownerId: viewer.id,
          masked,
          fingerprint,
          sealed,
          kekVersion,
          // Sandbox tokens move play money only, so the sandbox's own orders and pay-ins are allowed.
          allowedClasses: verification.kind === 'sandbox' ? [...DEFAULT_CLASSES, 'trading'] : [...DEFAULT_CLASSES],
          createdAt: now,
          ...columns,
          accounts: { create: accountRows(verification) },
        },
      });
      await appendAudit(tx, {
        action: 'token.deposited',
        actor: { id: viewer.id, label: viewer.email },
        tokenId: id,
        details: { label, masked, kind: verification.kind, endpoint: endpoint.kind, accounts: verification.accounts.length },
        at: now,
      });
      return { duplicate: false, token: await tokenDtoFor(viewer, id, tx) };
    }).then((result) => {
      logger().info({ tokenId: id, kind: verification.kind, masked }, 'token deposited');
      return result;
    });
  } catch (error) {
    // Someone deposited the same value between our check and our insert: theirs stands.
    if (isUniqueViolation(error)) {
      const winner = await existing(viewer, fingerprint);
      if (winner) return winner;
    }
    throw error;
  }
}
