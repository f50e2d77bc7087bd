import 'server-only';
// THE path from a stored token to a T-Invest call, for a person or a background job. Every call
// is checked here, below the UI: the token must be active, the person must hold a grant (covering
// the account the call names; every account, to open or close one), and the RPC's class must be one
// the token's policy allows and, for trading, the person's role too (checked by lib/tinvest's
// authorizeCall hook, so no RPC slips past). Cached answers are checked by authorizeViewerRead. Then the vault opens the token, the
// call runs, use is counted, and a T-Bank "token invalid" marks the token invalid at once.
import { can } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import { recordAudit } from '../audit/append-audit';
import type { AuditInput } from '../audit/append-audit';
import { db } from '../db';
import { AppError } from '../errors';
import { logger } from '../log';
import { createTinvestClient, isTinvestError, type TinvestClient } from '../tinvest';
import { openStoredToken } from '../vault/runtime';
import type { EndpointKind } from './dto';
import { TOKEN_NOT_FOUND, visibleTo } from './find-token';
import { markTokenInvalid } from './mark-token-invalid';
import { callClassOf, callClassOfMethod, shortRpcName, type CallClass } from './policy';
import { recordUsage, type UsageActor } from './record-usage';
import { tinvestEndpointFor, tinvestTrustOptions } from './tinvest-endpoint';
import { isManager } from './to-token-dto';
import { sharedRead } from '../shared-reads';

export type TinvestJob = 'health-check' | 'stream-hub' | 'analytics-snapshot';
export type TinvestActor = { viewer: Pick<Viewer, 'id' | 'email' | 'role'> } | { job: TinvestJob };

export interface TinvestForOptions {
  /** The account the caller means to use; refused unless the grant covers it. */
  accountId?: string;
}

type TokenState = 'active' | 'paused' | 'invalid' | 'retired';

interface PolicyRow {
  id: string;
  provider: string;
  state: TokenState;
  sealed: string | null;
  endpointKind: string;
  endpointAddress: string | null;
  allowedClasses: string[];
  invalidSince: Date | null;
  /** Null when any account may be used (managers, jobs, grants without an account list). */
  accountIds: Set<string> | null;
}

const STREAM_METHODS = new Set(['portfolioStream', 'positionsStream', 'marketDataStream', 'marketDataServerSideStream']);
/** RPCs whose answer lists the token's accounts: a grant limited to some accounts sees only those. */
export const ACCOUNT_LIST_RPCS: ReadonlySet<string> = new Set(['GetAccounts', 'GetSandboxAccounts']);
/** Client methods that act on the token's whole T-Invest user, not one account: they need an unrestricted grant. */
const USER_WIDE_WRITES = new Set(['openSandboxAccount', 'closeSandboxAccount']);

/** A refused call; the message says why, in words a person can act on. */
class CallRefused extends AppError {
  constructor(
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super('forbidden', message);
  }
}

/** The audit actor for a T-Invest caller. */
export function auditActor(actor: TinvestActor): AuditInput['actor'] {
  return 'viewer' in actor ? { id: actor.viewer.id, label: actor.viewer.email } : { id: null, label: `job:${actor.job}` };
}

function usageActor(actor: TinvestActor): UsageActor {
  return 'viewer' in actor ? { kind: 'person', userId: actor.viewer.id } : { kind: 'job', name: actor.job };
}

async function loadPolicy(actor: TinvestActor, tokenId: string): Promise<PolicyRow> {
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
      allowedClasses: true,
      invalidSince: true,
      grants: viewer ? { where: { userId: viewer.id }, select: { accountIds: true } } : false,
    },
  });
  if (!row) throw new AppError('not_found', TOKEN_NOT_FOUND, { messageKey: 'errors.tokens.notFound' });
  const grant = viewer && !isManager(viewer) ? row.grants?.[0] : undefined;
  const { grants: _grants, ...policy } = row;
  return { ...policy, accountIds: grant && grant.accountIds.length > 0 ? new Set(grant.accountIds) : null };
}

function assertState(row: PolicyRow, states: readonly TokenState[]): void {
  if (states.includes(row.state)) return;
  if (row.state === 'paused') throw new AppError('conflict', 'This token is paused. An owner or admin can resume it.', { messageKey: 'errors.tokens.paused' });
  if (row.state === 'retired') throw new AppError('conflict', 'This token was retired; its value was destroyed.', { messageKey: 'errors.tokens.retiredDestroyed' });
  if (row.state === 'invalid') {
    const since = row.invalidSince?.toISOString().slice(0, 10);
    const message = `T-Bank has rejected this token${since ? ` since ${since}` : ''}. Replace its value with a new token from T-Bank.`;
    throw new AppError('forbidden', message, since ? { messageKey: 'errors.tokens.rejectedSince', values: { date: since } } : { messageKey: 'errors.tokens.rejected' });
  }
  throw new AppError('conflict', `This token cannot be used while it is ${row.state}.`, { messageKey: 'errors.tokens.unusableState', values: { state: row.state } });
}

/** Account ids a call's query names (`accountId`, `accountIds`). */
export function accountsNamedBy(first: unknown): string[] {
  if (typeof first !== 'object' || first === null) return [];
  const query = first as { accountId?: unknown; accountIds?: unknown };
  const named = [query.accountId, ...(Array.isArray(query.accountIds) ? query.accountIds : [])];
  return named.filter((id): id is string => typeof id === 'string' && id !== '');
}

function assertAccounts(row: PolicyRow, accountIds: string[]): void {
  if (!row.accountIds) return;
  const outside = accountIds.filter((id) => !row.accountIds!.has(id));
  if (outside.length > 0) {
    throw new CallRefused(`Your access to this token does not cover account ${outside.join(', ')}.`, { reason: 'account_not_granted', accountIds: outside });
  }
}

/** Refuses a call of `callClass` that the token's policy or the person's role does not allow. */
function assertClass(row: PolicyRow, actor: TinvestActor, rpc: string, callClass: CallClass | null): void {
  if (!callClass) throw new CallRefused(`${shortRpcName(rpc)} is not a call Strongroom makes with stored tokens.`, { reason: 'unknown_rpc', rpc });
  if (!row.allowedClasses.includes(callClass)) {
    const why =
      callClass === 'trading' ? 'Trading is turned off for this token; only an owner can turn it on.' : `This token's policy does not allow ${callClass.replace('_', ' ')} calls.`;
    throw new CallRefused(`${shortRpcName(rpc)} refused. ${why}`, { reason: 'class_not_allowed', rpc, callClass });
  }
  // Trading calls change state (orders, sandbox pay-ins and accounts); a viewer's role changes nothing.
  if (callClass === 'trading' && 'viewer' in actor && !can(actor.viewer.role, 'sandbox.trade')) {
    throw new CallRefused(`${shortRpcName(rpc)} refused. Your role may look but not change anything.`, { reason: 'role_forbids', rpc, role: actor.viewer.role });
  }
}

function classCheck(row: () => PolicyRow, actor: TinvestActor): (rpc: string) => void {
  return (rpc) => assertClass(row(), actor, rpc, callClassOf(rpc));
}

/** Opening or closing an account changes the whole T-Invest user: only a grant without an account list may. */
function assertUserWide(row: PolicyRow, method: string): void {
  if (USER_WIDE_WRITES.has(method) && row.accountIds) {
    throw new CallRefused('Your access to this token covers only some of its accounts, so you cannot open or close accounts with it.', { reason: 'grant_limited', method });
  }
}

/** Keeps only the accounts the grant covers in an account list (`scope` null = every account). */
export function onlyGrantedAccounts<T>(value: T, scope: ReadonlySet<string> | null): T {
  if (!scope || !Array.isArray(value)) return value;
  return value.filter((account: { id?: unknown }) => typeof account?.id === 'string' && scope.has(account.id)) as T;
}

export interface ReadScope {
  /** Accounts the person may see on this token; null = all of them. */
  accountIds: ReadonlySet<string> | null;
}

/**
 * Checks one read by a person as tinvestFor would (token visible and active, grant covering every
 * named account, the RPC's class allowed) without opening the token: for answers served from a
 * cache, which must never skip it. Refusals are audited like any other. Returns the grant's scope,
 * to filter what the answer lists.
 */
export async function authorizeViewerRead(viewer: Pick<Viewer, 'id' | 'email' | 'role'>, tokenId: string, read: { method: string; accountIds: string[] }): Promise<ReadScope> {
  const actor: TinvestActor = { viewer };
  // A page makes one read per position (names, prices): they share one view of the grant, kept across
  // requests until a token, grant or user changes (lib/shared-reads); the checks below run every time.
  const policy = await sharedRead(`policy:${viewer.id}:${viewer.role}:${tokenId}`, () => loadPolicy(actor, tokenId));
  assertState(policy, ['active']);
  try {
    assertAccounts(policy, read.accountIds);
    assertClass(policy, actor, read.method, callClassOfMethod(read.method));
  } catch (error) {
    if (error instanceof CallRefused) await refuseCall(actor, tokenId, error);
    throw error;
  }
  return { accountIds: policy.accountIds };
}

async function refuseCall(actor: TinvestActor, tokenId: string, error: CallRefused): Promise<void> {
  logger().info({ tokenId, by: auditActor(actor).label, ...error.details }, 'T-Invest call refused by policy');
  await recordAudit({ action: 'token.call_refused', actor: auditActor(actor), tokenId, details: error.details });
}

export interface TinvestSessionOptions extends TinvestForOptions {
  /** States in which calls may run; only verification also runs on invalid tokens. */
  states?: readonly TokenState[];
}

/** The guarded client; `tinvestFor` is its public face. */
export async function openTinvestSession(actor: TinvestActor, tokenId: string, options: TinvestSessionOptions = {}): Promise<TinvestClient> {
  const states = options.states ?? ['active'];
  let policy = await loadPolicy(actor, tokenId);
  assertState(policy, states);
  const refuse = (error: CallRefused) => refuseCall(actor, tokenId, error);
  if (options.accountId) {
    try {
      assertAccounts(policy, [options.accountId]);
    } catch (error) {
      if (error instanceof CallRefused) await refuse(error);
      throw error;
    }
  }
  if (policy.provider !== 'tinvest') throw new AppError('invalid', 'This is not a T-Invest token.', { messageKey: 'errors.tokens.notTinvest' });
  const handle = await openStoredToken(policy);
  let lastRpc: string | null = null;
  const check = classCheck(() => policy, actor);
  const client = createTinvestClient({
    endpoint: tinvestEndpointFor(policy.endpointKind as EndpointKind, policy.endpointAddress),
    token: handle,
    ...tinvestTrustOptions(),
    authorizeCall: (rpc) => {
      lastRpc = rpc;
      check(rpc);
    },
  });
  const who = usageActor(actor);

  const afterSuccess = (rpc: string | null) => {
    const callClass: CallClass | null = rpc ? callClassOf(rpc) : null;
    if (callClass) recordUsage(tokenId, who, callClass);
  };
  const afterFailure = async (error: unknown) => {
    if (error instanceof CallRefused) await refuse(error);
    else if (isTinvestError(error) && error.kind === 'token_invalid') await markTokenInvalid(tokenId, auditActor(actor), { rpc: error.method ?? null });
  };

  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || !Object.hasOwn(target, property)) return value;
      const method = value as (...args: unknown[]) => unknown;
      if (STREAM_METHODS.has(property)) {
        // Streams open synchronously, so they are checked against the policy read most recently.
        return (...args: unknown[]) => {
          try {
            assertState(policy, states);
            assertAccounts(policy, accountsNamedBy(args[0]));
            lastRpc = null;
            const stream = method.apply(target, args);
            afterSuccess(lastRpc);
            return stream;
          } catch (error) {
            void afterFailure(error).catch((failure: unknown) => logger().error({ err: failure, tokenId }, 'could not record a refused stream'));
            throw error;
          }
        };
      }
      return async (...args: unknown[]) => {
        policy = await loadPolicy(actor, tokenId);
        let rpc: string | null = null;
        try {
          assertState(policy, states);
          assertAccounts(policy, accountsNamedBy(args[0]));
          assertUserWide(policy, property);
          lastRpc = null;
          const pending = method.apply(target, args) as Promise<unknown>;
          // authorizeCall ran synchronously inside the call above: this is its RPC.
          rpc = lastRpc;
          const result = await pending;
          afterSuccess(rpc);
          return ACCOUNT_LIST_RPCS.has(property[0]!.toUpperCase() + property.slice(1)) ? onlyGrantedAccounts(result, policy.accountIds) : result;
        } catch (error) {
          await afterFailure(error);
          throw error;
        }
      };
    },
  });
}

/** A T-Invest client for `tokenId`, acting as a person or a job; every call is checked and counted. */
export function tinvestFor(actor: TinvestActor, tokenId: string, options: TinvestForOptions = {}): Promise<TinvestClient> {
  return openTinvestSession(actor, tokenId, { accountId: options.accountId });
}
