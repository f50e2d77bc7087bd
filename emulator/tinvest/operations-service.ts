// OperationsService: portfolio, positions, withdraw limits, operations and cursor-paged operations.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs, timestampMs, type Timestamp } from '@bufbuild/protobuf/wkt';
import { InstrumentType } from '@/lib/tinvest/gen/common_pb';
import {
  GetOperationsByCursorResponseSchema,
  OperationItemSchema,
  OperationsResponseSchema,
  OperationSchema,
  OperationsService,
  OperationState,
  OperationType,
  type GetOperationsByCursorRequest,
  type GetOperationsByCursorResponse,
  type OperationsRequest,
  type OperationsResponse,
} from '@/lib/tinvest/gen/operations_pb';
import { requireAccount } from './access';
import type { EmulatorContext } from './context';
import { invalidArgument, tinvestError } from './errors';
import { instrumentKind } from './instrument-messages';
import { money } from './money';
import { buildPortfolio, buildPositions } from './portfolio';
import { unary, type Caller, type Handler } from './rpc';
import type { OperationKind, OperationRecord } from './state';

const TYPES: Record<OperationKind, [OperationType, string]> = {
  input: [OperationType.INPUT, 'Пополнение брокерского счёта'],
  output: [OperationType.OUTPUT, 'Вывод денежных средств'],
  buy: [OperationType.BUY, 'Покупка ценных бумаг'],
  sell: [OperationType.SELL, 'Продажа ценных бумаг'],
  coupon: [OperationType.COUPON, 'Выплата купонов'],
  dividend: [OperationType.DIVIDEND, 'Выплата дивидендов'],
  broker_fee: [OperationType.BROKER_FEE, 'Удержание комиссии за операцию'],
  tax: [OperationType.TAX, 'Удержание налога'],
  dividend_tax: [OperationType.DIVIDEND_TAX, 'Удержание налога по дивидендам'],
  bond_tax: [OperationType.BOND_TAX, 'Удержание налога по купонам'],
  service_fee: [OperationType.SERVICE_FEE, 'Удержание комиссии за обслуживание брокерского счёта'],
  bond_repayment: [OperationType.BOND_REPAYMENT, 'Частичное погашение облигаций'],
  bond_repayment_full: [OperationType.BOND_REPAYMENT_FULL, 'Погашение облигации'],
};
const STATES = { executed: OperationState.EXECUTED, canceled: OperationState.CANCELED, progress: OperationState.PROGRESS } as const;
const COMMISSIONS = new Set<OperationKind>(['broker_fee', 'service_fee']);
const TRADES = new Set<OperationKind>(['buy', 'sell']);

/** Newest first, ties by id, the order both GetOperations and the cursor use. */
function sorted(ops: OperationRecord[]): OperationRecord[] {
  return [...ops].sort((a, b) => b.date - a.date || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

function range(from: Timestamp | undefined, to: Timestamp | undefined): [number, number] {
  const start = from ? timestampMs(from) : -Infinity;
  const end = to ? timestampMs(to) : Infinity;
  if (start > end) throw tinvestError('30012');
  return [start, end];
}

function toOperation(ctx: EmulatorContext, op: OperationRecord, accountOps: OperationRecord[]) {
  const inst = op.instrumentUid ? ctx.state.instrument(op.instrumentUid) : undefined;
  const [type, name] = TYPES[op.type];
  return create(OperationSchema, {
    id: op.id,
    parentOperationId: op.parentOperationId,
    currency: op.currency.toLowerCase(),
    payment: money(op.paymentNanos, op.currency),
    price: money(op.priceNanos ?? 0n, op.currency),
    state: STATES[op.state],
    quantity: op.quantity,
    quantityRest: 0n,
    figi: inst?.figi ?? '',
    instrumentType: inst?.kind ?? '',
    date: timestampFromMs(op.date),
    type: name,
    operationType: type,
    trades: TRADES.has(op.type) ? [{ tradeId: `${op.id}-1`, dateTime: timestampFromMs(op.date), quantity: op.quantity, price: money(op.priceNanos ?? 0n, op.currency) }] : [],
    assetUid: inst?.assetUid ?? '',
    positionUid: inst?.positionUid ?? '',
    instrumentUid: inst?.uid ?? '',
    childOperations: accountOps.filter((c) => c.parentOperationId === op.id).map((c) => ({ instrumentUid: inst?.uid ?? '', payment: money(c.paymentNanos, c.currency) })),
  });
}

/** GetOperations (no paging): from/to/state/figi filters. */
export function getOperations(ctx: EmulatorContext, caller: Caller, req: OperationsRequest): OperationsResponse {
  const account = requireAccount(ctx, caller, req.accountId, 'read');
  const [from, to] = range(req.from, req.to);
  const figi = req.figi ? ctx.state.findInstrument(req.figi)?.uid ?? '\u0000' : undefined;
  const ops = sorted(account.operations).filter(
    (op) => op.date >= from && op.date <= to && (req.state === undefined || req.state === OperationState.UNSPECIFIED || STATES[op.state] === req.state) && (!figi || op.instrumentUid === figi),
  );
  return create(OperationsResponseSchema, { operations: ops.map((op) => toOperation(ctx, op, account.operations)) });
}

function encodeCursor(op: OperationRecord): string {
  return Buffer.from(`${op.date}|${op.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { date: number; id: string } {
  const [date, ...id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const ms = Number(date);
  if (!Number.isFinite(ms) || id.length === 0) throw invalidArgument('30090', 'invalid parameter: cursor');
  return { date: ms, id: id.join('|') };
}

/** GetOperationsByCursor: limit 1..1000 (default 100, else 30069), opaque cursor, documented filters. */
export function getOperationsByCursor(ctx: EmulatorContext, caller: Caller, req: GetOperationsByCursorRequest): GetOperationsByCursorResponse {
  const account = requireAccount(ctx, caller, req.accountId, 'read');
  const limit = req.limit === undefined || req.limit === 0 ? 100 : req.limit;
  if (limit < 0 || limit > 1000) throw tinvestError('30069');
  const [from, to] = range(req.from, req.to);
  const instrument = req.instrumentId ? ctx.state.findInstrument(req.instrumentId) : undefined;
  if (req.instrumentId && !instrument) throw tinvestError('50002');
  const types = new Set(req.operationTypes);
  let ops = sorted(account.operations).filter((op) => {
    if (op.date < from || op.date > to) return false;
    if (instrument && op.instrumentUid !== instrument.uid) return false;
    if (types.size > 0 && !types.has(TYPES[op.type][0])) return false;
    if (req.state !== undefined && req.state !== OperationState.UNSPECIFIED && STATES[op.state] !== req.state) return false;
    if (req.withoutCommissions && COMMISSIONS.has(op.type)) return false;
    if (req.withoutTrades && TRADES.has(op.type)) return false;
    return true;
  });
  if (req.cursor) {
    const after = decodeCursor(req.cursor);
    ops = ops.filter((op) => op.date < after.date || (op.date === after.date && op.id < after.id));
  }
  const page = ops.slice(0, limit);
  const last = page[page.length - 1];
  return create(GetOperationsByCursorResponseSchema, {
    hasNext: ops.length > limit,
    nextCursor: ops.length > limit && last ? encodeCursor(last) : '',
    items: page.map((op) => {
      const inst = op.instrumentUid ? ctx.state.instrument(op.instrumentUid) : undefined;
      const [type, name] = TYPES[op.type];
      const commission = account.operations.find((c) => c.parentOperationId === op.id && COMMISSIONS.has(c.type));
      return create(OperationItemSchema, {
        cursor: encodeCursor(op),
        brokerAccountId: account.id,
        id: op.id,
        parentOperationId: op.parentOperationId,
        name,
        date: timestampFromMs(op.date),
        type,
        description: inst ? `${name} ${inst.name}` : name,
        state: STATES[op.state],
        instrumentUid: inst?.uid ?? '',
        figi: inst?.figi ?? '',
        instrumentType: inst?.kind ?? '',
        instrumentKind: inst ? instrumentKind(inst) : InstrumentType.UNSPECIFIED,
        positionUid: inst?.positionUid ?? '',
        ticker: inst?.ticker ?? '',
        classCode: inst?.classCode ?? '',
        payment: money(op.paymentNanos, op.currency),
        price: money(op.priceNanos ?? 0n, op.currency),
        commission: money(commission?.paymentNanos ?? 0n, op.currency),
        yield: money(0n, op.currency),
        yieldRelative: { units: 0n, nano: 0 },
        accruedInt: money(0n, op.currency),
        quantity: op.quantity,
        quantityRest: 0n,
        quantityDone: op.quantity,
        tradesInfo: TRADES.has(op.type)
          ? { trades: [{ num: `${op.id}-1`, date: timestampFromMs(op.date), quantity: op.quantity, price: money(op.priceNanos ?? 0n, op.currency), yield: money(0n, op.currency), yieldRelative: { units: 0n, nano: 0 } }] }
          : undefined,
        assetUid: inst?.assetUid ?? '',
      });
    }),
  });
}

/** Withdrawable cash = money − blocked. */
export function withdrawLimits(account: { money: Map<string, bigint>; blockedMoney: Map<string, bigint> }) {
  return {
    money: [...account.money].map(([c, v]) => money(v - (account.blockedMoney.get(c) ?? 0n), c)),
    blocked: [...account.blockedMoney].filter(([, v]) => v !== 0n).map(([c, v]) => money(v, c)),
    blockedGuarantee: [],
  };
}

/** OperationsService handlers. */
export function operationsHandlers(ctx: EmulatorContext): Handler[] {
  const m = OperationsService.method;
  return [
    unary(OperationsService, m.getPortfolio, (req, caller) => buildPortfolio(ctx, requireAccount(ctx, caller, req.accountId, 'read'), req.currency)),
    unary(OperationsService, m.getPositions, (req, caller) => buildPositions(ctx, requireAccount(ctx, caller, req.accountId, 'read'))),
    unary(OperationsService, m.getWithdrawLimits, (req, caller) => withdrawLimits(requireAccount(ctx, caller, req.accountId, 'read'))),
    unary(OperationsService, m.getOperations, (req, caller) => getOperations(ctx, caller, req)),
    unary(OperationsService, m.getOperationsByCursor, (req, caller) => getOperationsByCursor(ctx, caller, req)),
  ];
}
