// Statement syncing: T-API operations move Authorization → Transaction over 3–4 days, and an
// operation made 22:00–03:00 may come back under a new operationId (research §7 #3). So a sync re-polls
// an overlapping window and merges here, keeping each row's `key` (what the user saw) stable. Pure.
import { decimalToNanos } from '@/lib/money';
import type { TapiOperationDto } from './dto';

/** An operation as shown: `key` is the operationId it was first seen under and never changes. */
export interface StatementEntry extends TapiOperationDto {
  key: string;
}

export interface MergeStatementOptions {
  /**
   * The window `fresh` was polled for (from inclusive, to exclusive). A previous entry dated inside it
   * that the fresh poll no longer has is dropped (e.g. a cancelled authorization); outside it, kept.
   * Without a window, nothing is dropped.
   */
  window?: { from: string; to: string };
  /** How far apart an authorization and its transaction may be dated and still be matched (default 5 days). */
  maxDriftMs?: number;
}

const DAY_MS = 86_400_000;

function time(value: string | null): number {
  const ms = value === null ? Number.NaN : Date.parse(value);
  return Number.isFinite(ms) ? ms : Number.NaN;
}

/** When an operation happened for matching: its authorization if known (that date does not move), else its date. */
function anchorTime(operation: TapiOperationDto): number {
  const authorized = time(operation.authorizationDate);
  return Number.isFinite(authorized) ? authorized : time(operation.operationDate);
}

function sameCounterparty(a: TapiOperationDto, b: TapiOperationDto): boolean {
  const x = a.counterparty;
  const y = b.counterparty;
  if (!x || !y) return !x && !y;
  if (x.account && y.account) return x.account === y.account;
  if (x.inn && y.inn) return x.inn === y.inn;
  return (x.name ?? '').trim().toLowerCase() === (y.name ?? '').trim().toLowerCase();
}

/** The same payment under another id: account, direction, amount, counterparty and document number agree, dates close. */
function isSameOperation(a: TapiOperationDto, b: TapiOperationDto, maxDriftMs: number): boolean {
  if (a.accountNumber !== b.accountNumber || a.direction !== b.direction) return false;
  if (a.accountAmount.currency !== b.accountAmount.currency || decimalToNanos(a.accountAmount.amount) !== decimalToNanos(b.accountAmount.amount)) return false;
  if ((a.documentNumber ?? '') !== (b.documentNumber ?? '')) return false;
  if (!sameCounterparty(a, b)) return false;
  const drift = Math.abs(anchorTime(a) - anchorTime(b));
  return Number.isFinite(drift) && drift <= maxDriftMs;
}

function inWindow(entry: TapiOperationDto, window: { from: string; to: string }): boolean {
  const at = time(entry.operationDate);
  return at >= time(window.from) && at < time(window.to);
}

/** Newest first; ties by key, so the order never depends on which poll an entry came from. */
function byDateDescending(a: StatementEntry, b: StatementEntry): number {
  return time(b.operationDate) - time(a.operationDate) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Merges a fresh poll into what was shown before: an operation matched by operationId, or failing that
 * by its content, takes the fresh data under its old key; unmatched fresh operations are added.
 */
export function mergeStatement(previous: readonly (StatementEntry | TapiOperationDto)[], fresh: readonly TapiOperationDto[], options: MergeStatementOptions = {}): StatementEntry[] {
  const maxDriftMs = options.maxDriftMs ?? 5 * DAY_MS;
  const before: StatementEntry[] = previous.map((entry) => ({ ...entry, key: 'key' in entry ? entry.key : entry.operationId }));
  const byId = new Map(before.map((entry) => [entry.operationId, entry]));
  // A poll that lists an operation twice (overlapping pages) shows it once.
  const unique = [...new Map(fresh.map((operation) => [operation.operationId, operation])).values()];
  const freshIds = new Set(unique.map((operation) => operation.operationId));
  const matched = new Set<StatementEntry>();
  const merged: StatementEntry[] = [];

  // Exact ids first, so a content match never steals an entry that its own id would claim.
  const leftover: TapiOperationDto[] = [];
  for (const operation of unique) {
    const entry = byId.get(operation.operationId);
    if (entry) {
      matched.add(entry);
      merged.push({ ...operation, key: entry.key });
    } else leftover.push(operation);
  }
  for (const operation of leftover) {
    // Only entries whose id vanished from the fresh poll may have been renamed.
    const candidates = before.filter((entry) => !matched.has(entry) && !freshIds.has(entry.operationId) && isSameOperation(entry, operation, maxDriftMs));
    candidates.sort((a, b) => Math.abs(anchorTime(a) - anchorTime(operation)) - Math.abs(anchorTime(b) - anchorTime(operation)));
    const entry = candidates[0];
    if (entry) matched.add(entry);
    merged.push({ ...operation, key: entry ? entry.key : operation.operationId });
  }
  for (const entry of before) {
    if (matched.has(entry)) continue;
    if (options.window && inWindow(entry, options.window)) continue;
    merged.push(entry);
  }
  return merged.sort(byDateDescending);
}
