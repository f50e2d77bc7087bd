// Account and instrument resolution with T-Invest's errors (40002 for accounts a token does not cover).
import type { EmulatorContext } from './context';
import { tinvestError } from './errors';
import type { Caller } from './rpc';
import type { ScenarioInstrument } from './scenario';
import type { AccountState } from './state';

/** The account if the caller's token covers it for `need`; 40002 otherwise. */
export function requireAccount(ctx: EmulatorContext, caller: Caller, accountId: string, need: 'read' | 'trade'): AccountState {
  if (!accountId) throw tinvestError('30021');
  const account = ctx.state.accounts.get(accountId);
  if (!account) throw tinvestError('50004');
  const level = ctx.state.accessLevel(caller.token, account);
  if (level === 'none') throw tinvestError('40002');
  if (need === 'trade') {
    if (level !== 'full') throw tinvestError('40002');
    if (account.status === 'closed') throw tinvestError('40004');
  }
  return account;
}

/** Resolves instrument_id (figi, uid, position uid or TICKER_CLASS) or the deprecated figi field. */
export function requireInstrument(ctx: EmulatorContext, instrumentId: string | undefined, figi?: string): ScenarioInstrument {
  const id = instrumentId || figi;
  if (!id) throw tinvestError('30093');
  const inst = ctx.state.findInstrument(id);
  if (!inst) throw tinvestError('50002');
  return inst;
}
