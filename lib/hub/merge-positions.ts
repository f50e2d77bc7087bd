// Folds a PositionsStream change into an account's positions. Pure; safe in client and server.
// A change (PositionData) carries only what changed, each entry with its new absolute values, not deltas:
// money as available + blocked per currency, securities/futures/options as balance + blocked per instrument.
import { decimalToNanos } from '@/lib/money';
import type { MoneyDto, PositionsChangeDto, PositionsDto, SecurityBalanceDto } from '@/lib/tinvest/dto';
import type { HubPayload } from './dto';

const isZero = (amount: string | undefined) => amount === undefined || decimalToNanos(amount) === 0n;

/** The instrument a balance belongs to; T-Invest fills all three, older payloads may lack the uids. */
const balanceKey = (b: SecurityBalanceDto) => b.instrumentUid || b.positionUid || b.figi;

/** Replaces (or appends) the entry with the same key in place; `next === null` removes it. */
function upsert<T>(list: T[], key: string, keyOf: (item: T) => string, next: T | null): T[] {
  const at = list.findIndex((item) => keyOf(item) === key);
  if (at < 0) return next === null ? list : [...list, next];
  return next === null ? [...list.slice(0, at), ...list.slice(at + 1)] : list.map((item, i) => (i === at ? next : item));
}

function applyBalances(list: SecurityBalanceDto[], changes: SecurityBalanceDto[]): SecurityBalanceDto[] {
  let out = list;
  // A balance that went to zero (sold out, unblocked) leaves the list, as GetPositions would show it.
  for (const change of changes) out = upsert(out, balanceKey(change), balanceKey, isZero(change.balance) && isZero(change.blocked) ? null : change);
  return out;
}

/** The positions after `change`; returns a new object and leaves `positions` untouched. */
export function mergePositions(positions: PositionsDto, change: PositionsChangeDto): PositionsDto {
  let money = positions.money;
  let blocked = positions.blocked;
  const byCurrency = (m: MoneyDto) => m.currency;
  for (const entry of change.money) {
    const currency = entry.available?.currency || entry.blocked?.currency;
    if (!currency) continue;
    const available = entry.available ?? { amount: '0', currency };
    const held = money.some((m) => m.currency === currency);
    // Currencies stay listed once held (GetPositions lists a zero balance); a new one appears only when non-zero.
    if (held || !isZero(available.amount) || !isZero(entry.blocked?.amount)) money = upsert(money, currency, byCurrency, available);
    blocked = upsert(blocked, currency, byCurrency, entry.blocked && !isZero(entry.blocked.amount) ? entry.blocked : null);
  }
  return {
    ...positions,
    money,
    blocked,
    securities: applyBalances(positions.securities, change.securities),
    futures: applyBalances(positions.futures, change.futures),
    options: applyBalances(positions.options, change.options),
  };
}

/**
 * A topic's value after a data event, for holders of whole positions (the browser's live store): an
 * initial_positions snapshot replaces what is held, a change folds into held positions; anything else replaces.
 */
export function nextTopicValue(held: HubPayload | undefined, data: HubPayload): HubPayload {
  if (data.type === 'position' && held?.type === 'initial_positions' && held.positions.accountId === data.change.accountId) {
    return { type: 'initial_positions', positions: mergePositions(held.positions, data.change) };
  }
  return data;
}

/**
 * What a page rendered from positions, as a short string that changes when balances change (order and
 * formatting aside): a page compares its first live snapshot against it, since a trade may land between
 * the server's render and the stream's first event. A 64-bit digest of the balances rather than the
 * balances themselves: a page carries it in its payload, and a hundred positions spell out to kilobytes.
 */
export function positionsSignature(positions: PositionsDto): string {
  const money = (list: MoneyDto[]) => list.filter((m) => !isZero(m.amount)).map((m) => `${m.currency}:${decimalToNanos(m.amount)}`).sort();
  const balances = (list: SecurityBalanceDto[]) => list.map((b) => `${balanceKey(b)}:${decimalToNanos(b.balance || '0')}:${decimalToNanos(b.blocked || '0')}`).sort();
  return digest64(JSON.stringify([money(positions.money), money(positions.blocked), balances(positions.securities), balances(positions.futures), balances(positions.options)]));
}

/** Two 32-bit FNV-1a hashes from different starting points, as 16 hex digits. Change detection, not security. */
function digest64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
