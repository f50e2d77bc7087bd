// Income (dividends, coupons; principal repaid kept apart) and costs (fees, taxes) per currency, by
// month and by instrument. Amounts keep the sign of their cash effect: withheld tax is negative.
import { monthOf } from './days';
import type { IncomeEntry, Ledger, LedgerEntry } from './ledger';

export interface IncomeRow {
  /** 'YYYY-MM' in `byMonth`, the instrument uid in `byInstrument`. */
  key: string;
  currency: string;
  /** Gross nanos. */
  dividends: bigint;
  coupons: bigint;
  /** dividends + coupons. */
  gross: bigint;
  /** Income tax withheld (negative) or refunded on that income. */
  tax: bigint;
  /** gross + tax. */
  net: bigint;
  /** Principal repaid before maturity (partial repayments): not income, shown beside it. */
  amortisation: bigint;
  /** Principal repaid at maturity. */
  redemption: bigint;
}

export interface IncomeReport {
  byMonth: IncomeRow[];
  byInstrument: IncomeRow[];
}

/**
 * Income by month and by instrument. A tax joins the income named by its parentOperationId (that
 * income's month and instrument); an income tax with no such parent counts where it was withheld.
 */
export function incomeReport(ledger: Ledger): IncomeReport {
  const incomeById = new Map<string, IncomeEntry>();
  for (const entry of ledger.entries) if (entry.kind === 'income') incomeById.set(entry.id, entry);
  const byMonth = new Map<string, IncomeRow>();
  const byInstrument = new Map<string, IncomeRow>();
  const rowsFor = (month: string, instrumentUid: string, currency: string): IncomeRow[] => [row(byMonth, month, currency), row(byInstrument, instrumentUid, currency)];

  for (const entry of ledger.entries) {
    if (entry.kind === 'income') {
      for (const r of rowsFor(monthOf(entry.day), entry.instrumentUid, entry.currency)) {
        if (entry.incomeKind === 'dividend') r.dividends += entry.amount;
        else if (entry.incomeKind === 'coupon') r.coupons += entry.amount;
        else if (entry.incomeKind === 'amortisation') r.amortisation += entry.amount;
        else r.redemption += entry.amount;
      }
    } else if (entry.kind === 'tax') {
      const parent = entry.parentId ? incomeById.get(entry.parentId) : undefined;
      if (!parent && entry.taxKind !== 'income') continue;
      const source: LedgerEntry = parent ?? entry;
      for (const r of rowsFor(monthOf(source.day), source.instrumentUid, entry.currency)) r.tax += entry.amount;
    }
  }
  return { byMonth: finish(byMonth), byInstrument: finish(byInstrument) };
}

function row(rows: Map<string, IncomeRow>, key: string, currency: string): IncomeRow {
  const id = `${key}\u0000${currency}`;
  let r = rows.get(id);
  if (!r) {
    r = { key, currency, dividends: 0n, coupons: 0n, gross: 0n, tax: 0n, net: 0n, amortisation: 0n, redemption: 0n };
    rows.set(id, r);
  }
  return r;
}

function finish(rows: Map<string, IncomeRow>): IncomeRow[] {
  for (const r of rows.values()) {
    r.gross = r.dividends + r.coupons;
    r.net = r.gross + r.tax;
  }
  return [...rows.values()].sort(byKeyThenCurrency);
}

function byKeyThenCurrency(a: { key: string; currency: string }, b: { key: string; currency: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;
}

export interface CostRow {
  /** 'YYYY-MM'. */
  key: string;
  currency: string;
  /** Commissions and other fees (negative when paid). */
  fees: bigint;
  /** Tax on dividends and coupons. */
  incomeTax: bigint;
  /** Tax on trading profit. */
  tradeTax: bigint;
  /** Corrections and refunds (usually positive). */
  taxCorrections: bigint;
  /** Material benefit, repo and other taxes. */
  otherTax: bigint;
  /** fees + all taxes. */
  total: bigint;
}

/** Fees and taxes by the month they were charged, per currency. */
export function costReport(ledger: Ledger): CostRow[] {
  const rows = new Map<string, CostRow>();
  for (const entry of ledger.entries) {
    if (entry.kind !== 'fee' && entry.kind !== 'tax') continue;
    const key = monthOf(entry.day);
    const id = `${key}\u0000${entry.currency}`;
    let r = rows.get(id);
    if (!r) {
      r = { key, currency: entry.currency, fees: 0n, incomeTax: 0n, tradeTax: 0n, taxCorrections: 0n, otherTax: 0n, total: 0n };
      rows.set(id, r);
    }
    if (entry.kind === 'fee') r.fees += entry.amount;
    else if (entry.taxKind === 'income') r.incomeTax += entry.amount;
    else if (entry.taxKind === 'trade') r.tradeTax += entry.amount;
    else if (entry.taxKind === 'correction') r.taxCorrections += entry.amount;
    else r.otherTax += entry.amount;
    r.total += entry.amount;
  }
  return [...rows.values()].sort(byKeyThenCurrency);
}
