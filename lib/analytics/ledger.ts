// Executed T-Invest operations as a small typed ledger: every operation type is classified here and
// nowhere else, and anything unrecognised stays in the ledger as 'other' instead of disappearing.
import { decimalToNanos } from '@/lib/money';
import type { OperationDto, OperationTypeName } from '@/lib/tinvest/dto';
import { dayOfMs, type Day } from './days';

export type TaxKind = 'income' | 'trade' | 'correction' | 'other';
export type IncomeKind = 'dividend' | 'coupon' | 'amortisation' | 'redemption';

interface EntryBase {
  /** The operation id; synthetic entries add a suffix (`#card`). */
  id: string;
  /** '' when the operation has no parent. */
  parentId: string;
  operationType: OperationTypeName;
  /** Epoch milliseconds. */
  at: number;
  /** UTC day of `at`. */
  day: Day;
  /** '' when the operation names none. */
  instrumentUid: string;
  /** Upper-case ISO code as T-Invest sent it; '' when it sent none (never assumed to be RUB). */
  currency: string;
  /** Signed effect on the account's cash in `currency`, in nanos (1e-9). */
  amount: bigint;
}

export type TradeEntry = EntryBase & { kind: 'trade'; side: 'buy' | 'sell'; /** Units executed, positive. */ quantity: bigint; instrumentType: string };
export type FeeEntry = EntryBase & { kind: 'fee' };
export type TaxEntry = EntryBase & { kind: 'tax'; taxKind: TaxKind };
export type IncomeEntry = EntryBase & { kind: 'income'; incomeKind: IncomeKind; /** Units the payment was for; 0 when not stated. */ quantity: bigint };
/** Cash moved into (amount > 0) or out of (amount < 0) the account from outside it. */
export type FlowEntry = EntryBase & { kind: 'flow' };
/** Securities moved into (quantity > 0) or out of the account; `price` per unit when T-Invest sent one. */
export type TransferEntry = EntryBase & { kind: 'transfer'; quantity: bigint; price: bigint | null };
export type OtherEntry = EntryBase & { kind: 'other' };

export type LedgerEntry = TradeEntry | FeeEntry | TaxEntry | IncomeEntry | FlowEntry | TransferEntry | OtherEntry;
export type EntryKind = LedgerEntry['kind'];

export interface SkippedOperation {
  id: string;
  reason: 'canceled' | 'in-progress' | 'unspecified-state' | 'undated';
}

export interface Ledger {
  /** Ordered by time, then id. */
  entries: LedgerEntry[];
  /** Operations left out, each with why. */
  skipped: SkippedOperation[];
  /** Entries per kind, so 'other' is visible at a glance. */
  counts: Record<EntryKind, number>;
}

type Rule =
  | { kind: 'trade'; side: 'buy' | 'sell'; viaCard?: true }
  | { kind: 'income'; incomeKind: IncomeKind; viaCard?: true }
  | { kind: 'tax'; taxKind: TaxKind }
  | { kind: 'transfer'; direction: 1n | -1n }
  | { kind: 'fee' | 'flow' | 'other' };

const buy = (viaCard?: true): Rule => ({ kind: 'trade', side: 'buy', ...(viaCard && { viaCard }) });
const sell = (viaCard?: true): Rule => ({ kind: 'trade', side: 'sell', ...(viaCard && { viaCard }) });
const tax = (taxKind: TaxKind): Rule => ({ kind: 'tax', taxKind });
const FEE: Rule = { kind: 'fee' };
const FLOW: Rule = { kind: 'flow' };
const OTHER: Rule = { kind: 'other' };

// A Record, not a switch: a new OperationType in the proto fails type-checking until it is placed.
const RULES: Record<OperationTypeName, Rule> = {
  buy: buy(),
  buy_margin: buy(),
  delivery_buy: buy(),
  // Paid from a bank card: the account's cash does not move, so a matching inflow is added.
  buy_card: buy(true),
  sell: sell(),
  sell_margin: sell(),
  delivery_sell: sell(),
  sell_card: sell(true),

  broker_fee: FEE,
  service_fee: FEE,
  margin_fee: FEE,
  success_fee: FEE,
  track_mfee: FEE,
  track_pfee: FEE,
  cash_fee: FEE,
  out_fee: FEE,
  out_stamp_duty: FEE,
  output_penalty: FEE,
  advice_fee: FEE,

  dividend_tax: tax('income'),
  dividend_tax_progressive: tax('income'),
  bond_tax: tax('income'),
  bond_tax_progressive: tax('income'),
  tax: tax('trade'),
  tax_progressive: tax('trade'),
  tax_correction: tax('correction'),
  tax_correction_progressive: tax('correction'),
  tax_correction_coupon: tax('correction'),
  tax_repo_refund: tax('correction'),
  tax_repo_refund_progressive: tax('correction'),
  benefit_tax: tax('other'),
  benefit_tax_progressive: tax('other'),
  tax_repo: tax('other'),
  tax_repo_progressive: tax('other'),
  tax_repo_hold: tax('other'),
  tax_repo_hold_progressive: tax('other'),

  dividend: { kind: 'income', incomeKind: 'dividend' },
  // A dividend paid out to a card: income of the account that leaves it at once.
  div_ext: { kind: 'income', incomeKind: 'dividend', viaCard: true },
  coupon: { kind: 'income', incomeKind: 'coupon' },
  bond_repayment: { kind: 'income', incomeKind: 'amortisation' },
  bond_repayment_full: { kind: 'income', incomeKind: 'redemption' },

  input: FLOW,
  output: FLOW,
  input_swift: FLOW,
  output_swift: FLOW,
  input_acquiring: FLOW,
  output_acquiring: FLOW,
  inp_multi: FLOW,
  out_multi: FLOW,
  trans_iis_bs: FLOW,
  trans_bs_bs: FLOW,

  input_securities: { kind: 'transfer', direction: 1n },
  output_securities: { kind: 'transfer', direction: -1n },

  unspecified: OTHER,
  overnight: OTHER,
  dividend_transfer: OTHER,
  accruing_varmargin: OTHER,
  writing_off_varmargin: OTHER,
  over_placement: OTHER,
  over_com: OTHER,
  over_income: OTHER,
  option_expiration: OTHER,
  future_expiration: OTHER,
};

/** Classifies executed operations into an ordered ledger; cancelled, in-progress and undated ones are listed in `skipped`. */
export function buildLedger(operations: readonly OperationDto[]): Ledger {
  const entries: LedgerEntry[] = [];
  const skipped: SkippedOperation[] = [];
  for (const op of operations) {
    if (op.state !== 'executed') {
      skipped.push({ id: op.id, reason: op.state === 'canceled' ? 'canceled' : op.state === 'progress' ? 'in-progress' : 'unspecified-state' });
      continue;
    }
    const at = op.at === null ? NaN : Date.parse(op.at);
    if (!Number.isFinite(at)) {
      skipped.push({ id: op.id, reason: 'undated' });
      continue;
    }
    entries.push(...toEntries(op, at));
  }
  entries.sort(byTimeThenId);
  const counts: Record<EntryKind, number> = { trade: 0, fee: 0, tax: 0, income: 0, flow: 0, transfer: 0, other: 0 };
  for (const entry of entries) counts[entry.kind]++;
  return { entries, skipped, counts };
}

export function byTimeThenId(a: { at: number; id: string }, b: { at: number; id: string }): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function toEntries(op: OperationDto, at: number): LedgerEntry[] {
  const id = op.id;
  const parentId = op.parentOperationId;
  const operationType = op.type;
  const day = dayOfMs(at);
  const instrumentUid = op.instrumentUid;
  const currency = (op.payment?.currency || op.price?.currency || '').toUpperCase();
  const amount = op.payment ? decimalToNanos(op.payment.amount) : 0n;
  const rule = RULES[op.type] ?? OTHER;
  // quantity_rest is the part of the order that did not execute.
  const executed = BigInt(op.quantity || '0') - BigInt(op.quantityRest || '0');
  const units = executed < 0n ? -executed : executed;
  // Literals in one field order rather than spreads: entries are built by the ten thousand.
  // The account never saw the card's cash: the entry keeps the economic event, the flow undoes its cash.
  const cardFlow = (): FlowEntry => ({ id: `${id}#card`, parentId: id, operationType, at, day, instrumentUid, currency, amount: -amount, kind: 'flow' });
  switch (rule.kind) {
    case 'trade': {
      const trade: TradeEntry = { id, parentId, operationType, at, day, instrumentUid, currency, amount, kind: 'trade', side: rule.side, quantity: units, instrumentType: op.instrumentType };
      return rule.viaCard ? [trade, cardFlow()] : [trade];
    }
    case 'income': {
      const income: IncomeEntry = { id, parentId, operationType, at, day, instrumentUid, currency, amount, kind: 'income', incomeKind: rule.incomeKind, quantity: units };
      return rule.viaCard ? [income, cardFlow()] : [income];
    }
    case 'tax':
      return [{ id, parentId, operationType, at, day, instrumentUid, currency, amount, kind: 'tax', taxKind: rule.taxKind }];
    case 'transfer': {
      const price = op.price ? decimalToNanos(op.price.amount) : 0n;
      return [{ id, parentId, operationType, at, day, instrumentUid, currency, amount, kind: 'transfer', quantity: rule.direction * units, price: price > 0n ? price : null }];
    }
    default:
      return [{ id, parentId, operationType, at, day, instrumentUid, currency, amount, kind: rule.kind }];
  }
}
