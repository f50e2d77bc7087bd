import 'server-only';
// THE path from a stored H2H token to a T-API call, for a person or a background job: the token must
// be active (verification also runs on invalid ones), the person must hold a grant covering the
// account named, and the vault opens the token and, when there is one, the certificate's private key.
// Successful calls count as use (which also moves the day the token dies); T-API's 401 marks the
// token invalid at once.
import { appendAudit } from '../audit/append-audit';
import { accessChanged } from '../auth/access-changed';
import { db } from '../db';
import { AppError } from '../errors';
import { logger } from '../log';
import { createTapiClient, isTapiError, type TapiClient } from '../tapi';
import { certificateKeyRecordId } from '../vault/prisma-record-store';
import { openStoredToken } from '../vault/runtime';
import { CERTIFICATE_KEY_KIND } from './deposit-tapi-token';
import type { EndpointKind } from './dto';
import { TOKEN_NOT_FOUND, visibleTo } from './find-token';
import { recordUsage } from './record-usage';
import { tapiEndpointFor, tapiTrustOptions } from './tapi-endpoint';
import { auditActor, type TinvestActor } from './tinvest-for';
import { isManager } from './to-token-dto';

export type TapiActor = TinvestActor;
type TokenState = 'active' | 'paused' | 'invalid' | 'retired';

export interface TapiForOptions {
  /** The business account the caller means to use; refused unless the grant covers it. */
  accountNumber?: string;
  /** States in which calls may run; only verification also runs on invalid tokens. */
  states?: readonly TokenState[];
}

const INVALID_MESSAGE = 'T-API rejected the token (401).';

/** Marks an active H2H token invalid after T-API's 401, with its audit record. */
async function markTapiInvalid(tokenId: string, actor: TapiActor, method: string | undefined): Promise<void> {
  const now = new Date();
  const marked = await db().$transaction(async (tx) => {
    const { count } = await tx.token.updateMany({ where: { id: tokenId, state: 'active' }, data: { state: 'invalid', invalidSince: now, verifiedAt: now, verifyOutcome: 'invalid', verifyMessage: INVALID_MESSAGE } });
    if (count === 0) return false;
    await appendAudit(tx, { action: 'token.marked_invalid', actor: auditActor(actor), tokenId, details: { provider: 'tapi', method: method ?? null }, at: now });
    return true;
  });
  if (marked) {
    logger().warn({ tokenId, by: auditActor(actor).label }, 'T-API rejected a stored token; marked invalid');
    await accessChanged();
  }
}

/** A guarded T-API client for `tokenId`. */
export async function tapiFor(actor: TapiActor, tokenId: string, options: TapiForOptions = {}): Promise<TapiClient> {
  const viewer = 'viewer' in actor ? actor.viewer : null;
  const row = await db().token.findFirst({
    where: { id: tokenId, ...(viewer ? visibleTo(viewer) : {}) },
    select: {
      id: true,
      provider: true,
      state: true,
      sealed: true,
      endpointKind: true,
      endpointAddress: true,
      invalidSince: true,
      grants: viewer ? { where: { userId: viewer.id }, select: { accountIds: true } } : false,
      tapi: { select: { securedBaseUrl: true, certificatePem: true, certificateKeySealed: true } },
    },
  });
  if (!row) throw new AppError('not_found', TOKEN_NOT_FOUND, { messageKey: 'errors.tokens.notFound' });
  if (row.provider !== 'tapi' || !row.tapi) throw new AppError('invalid', 'This is not a T-API H2H token.', { messageKey: 'errors.tapiTokens.notTapi' });
  const states = options.states ?? ['active'];
  if (!states.includes(row.state)) {
    if (row.state === 'paused') throw new AppError('conflict', 'This token is paused. An owner or admin can resume it.', { messageKey: 'errors.tokens.paused' });
    if (row.state === 'retired') throw new AppError('conflict', 'This token was retired; its value was destroyed.', { messageKey: 'errors.tokens.retiredDestroyed' });
    throw new AppError('forbidden', 'T-Bank has rejected this token. Replace its value with a new token from T-Bank.', { messageKey: 'errors.tokens.rejected' });
  }
  const grant = viewer && !isManager(viewer) ? row.grants?.[0] : undefined;
  // A grant naming accounts covers only those; none named covers the whole company.
  const scope = grant && grant.accountIds.length > 0 ? new Set(grant.accountIds) : null;
  const assertAccount = (accountNumber: string | undefined) => {
    if (accountNumber && scope && !scope.has(accountNumber)) throw new AppError('forbidden', `Your access to this token does not cover account ${accountNumber}.`, { messageKey: 'errors.tapiTokens.accountNotGranted', values: { account: accountNumber } });
  };
  assertAccount(options.accountNumber);
  const token = await openStoredToken({ id: row.id, provider: 'tapi', sealed: row.sealed });
  const certificate =
    row.tapi.certificatePem && row.tapi.certificateKeySealed
      ? {
          certificatePem: row.tapi.certificatePem,
          privateKey: await openStoredToken({ id: certificateKeyRecordId(row.id), provider: CERTIFICATE_KEY_KIND, sealed: row.tapi.certificateKeySealed }),
        }
      : undefined;
  const client = createTapiClient({
    endpoint: tapiEndpointFor({ kind: row.endpointKind as EndpointKind, baseUrl: row.endpointAddress, securedBaseUrl: row.tapi.securedBaseUrl }),
    token,
    ...(certificate ? { clientCertificate: certificate } : {}),
    ...tapiTrustOptions(),
  });
  const usage = viewer ? ({ kind: 'person', userId: viewer.id } as const) : ({ kind: 'job', name: 'job' in actor ? actor.job : 'job' } as const);
  const guard =
    <A extends unknown[], R>(method: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await call(...args);
        recordUsage(tokenId, usage, method === 'getStatementPage' ? 'operations' : 'accounts');
        return result;
      } catch (error) {
        if (isTapiError(error) && error.kind === 'unauthorized') await markTapiInvalid(tokenId, actor, method);
        throw error;
      }
    };
  return {
    getCompany: guard('getCompany', () => client.getCompany()),
    listAccounts: guard('listAccounts', async (query?: { withInvest?: boolean }) => (await client.listAccounts(query)).filter((account) => !scope || scope.has(account.accountNumber))),
    getStatementPage: guard('getStatementPage', (query: Parameters<TapiClient['getStatementPage']>[0]) => {
      assertAccount(query.accountNumber);
      return client.getStatementPage(query);
    }),
    iterateStatement: (query) => {
      assertAccount(query.accountNumber);
      return client.iterateStatement(query);
    },
    probeSecure: guard('probeSecure', () => client.probeSecure()),
  };
}
