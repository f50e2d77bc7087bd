// Portfolio analytics: pure, exact functions from T-Invest operations to ledger, FIFO lots, daily
// holdings and values, returns, income and costs. No I/O; safe in client and server.
export { buildLedger, type Ledger, type LedgerEntry, type EntryKind, type TaxKind, type IncomeKind, type SkippedOperation } from './ledger';
export { buildFifo, applySplit, openQuantity, openCost, unrealisedPnl, type FifoResult, type FifoIssue, type PositionBook, type Lot, type ClosedPart, type SplitResult } from './fifo';
export { buildHoldings, valueSeries, mergeValueSeries, toRub, type DayHoldings, type HoldingsOptions, type Money, type PriceOf, type FxToRub, type ValuePoint, type Unpriced } from './holdings';
export { timeWeightedReturn, moneyWeightedReturn, xirr, type TimeWeightedReturn, type MoneyWeightedReturn, type DatedFlow, type ReturnInput } from './returns';
export { incomeReport, costReport, type IncomeReport, type IncomeRow, type CostRow } from './income';
export { resolveRange, type DateRange, type RangePreset, type RangeSpec } from './ranges';
export { addDays, dayOfMs, daysBetween, monthOf, type Day } from './days';
