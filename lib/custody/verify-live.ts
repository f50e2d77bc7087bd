import 'server-only';
// Asks T-Bank what a token is: whose it is (GetInfo), which accounts it reaches and how
// (GetAccounts), and its request limits (GetUserTariff). Deposit, replace and checks share it.
import { AppError } from '../errors';
import { isTinvestError, type AccountDto, type TinvestClient } from '../tinvest';
import type { AccessLevel, EndpointKind, TariffDto, TokenKindName } from './dto';

export interface LiveVerification {
  kind: Exclude<TokenKindName, 'tapi'>;
  /** T-Invest's user id: hash it before storing. */
  userId: string;
  tariffName: string;
  accounts: { id: string; name: string; type: string; status: string; accessLevel: AccessLevel; openedAt: Date | null }[];
  tariff: TariffDto | null;
}

type VerifyingClient = Pick<TinvestClient, 'getInfo' | 'getAccounts' | 'getUserTariff' | 'endpoint'>;

function accessLevelOf(account: AccountDto): AccessLevel {
  const short = account.accessLevel.replace(/^account_access_level_/, '');
  return short === 'full_access' || short === 'read_only' || short === 'no_access' ? short : 'unspecified';
}

/** Sandbox by endpoint; otherwise by the access levels T-Bank reports for the user's accounts. */
export function detectKind(endpointKind: EndpointKind, levels: readonly AccessLevel[]): LiveVerification['kind'] {
  if (endpointKind === 'sandbox') return 'sandbox';
  if (levels.length > 0 && levels.every((level) => level === 'full_access')) return 'full_access';
  if (levels.every((level) => level === 'read_only')) return 'readonly';
  return 'account_scoped';
}

/** Calls T-Bank with the token; throws AppErrors a person can act on. */
export async function verifyLive(client: VerifyingClient, endpointKind: EndpointKind): Promise<LiveVerification> {
  try {
    const info = await client.getInfo();
    const accounts = (await client.getAccounts()).map((account) => ({
      id: account.id,
      name: account.name,
      type: account.type,
      status: account.status,
      accessLevel: accessLevelOf(account),
      openedAt: account.openedAt ? new Date(account.openedAt) : null,
    }));
    let tariff: TariffDto | null = null;
    try {
      const limits = await client.getUserTariff();
      tariff = {
        unaryLimits: limits.unaryLimits.map((limit) => ({ limitPerMinute: limit.perMinute, methods: limit.methods })),
        streamLimits: limits.streamLimits.map((limit) => ({ limit: limit.limit, streams: limit.streams, open: limit.open })),
      };
    } catch (error) {
      // Limits are informative; only a rejected token makes the verification fail.
      if (isTinvestError(error) && error.kind === 'token_invalid') throw error;
    }
    return { kind: detectKind(endpointKind, accounts.map((account) => account.accessLevel)), userId: info.userId, tariffName: info.tariff, accounts, tariff };
  } catch (error) {
    throw explainFailure(error, client.endpoint);
  }
}

export const TOKEN_REJECTED =
  'T-Bank rejected this token: it is revoked, expired or mistyped, or a sandbox token was sent to production (or the other way round).';

/** Turns a failed verification into the message the depositor sees. */
export function explainFailure(error: unknown, endpointLabel: string): unknown {
  if (!isTinvestError(error)) return error;
  if (error.kind === 'token_invalid') return new AppError('invalid', TOKEN_REJECTED, { cause: error, messageKey: 'errors.tokens.rejectedOnCheck' });
  if (error.tls) {
    // Not "did not answer": something answered with a certificate this server does not accept, and retrying will not help.
    return new AppError('unavailable', error.message, { cause: error, messageKey: `errors.tokens.tls.${error.tls}`, values: { setting: 'TINVEST_CA_FILE' } });
  }
  if (error.kind === 'unavailable' || error.kind === 'deadline' || error.kind === 'cancelled') {
    return new AppError('unavailable', `The T-Invest API (${endpointLabel} endpoint) did not answer, so the token could not be checked. Try again in a minute.`, {
      cause: error,
      messageKey: 'errors.tokens.endpointDown',
      values: { endpoint: endpointLabel },
    });
  }
  return error;
}
