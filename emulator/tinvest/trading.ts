// Order execution shared by OrdersService and SandboxService: market and marketable limit orders fill at the last price.
import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { OrderDirection, OrderExecutionReportStatus, OrderStateSchema, OrderType, type OrderState, type PostOrderRequest } from '@/lib/tinvest/gen/orders_pb';
import { requireInstrument } from './access';
import type { EmulatorContext } from './context';
import { invalidArgument, tinvestError } from './errors';
import { money, mulNanos, parseNanos, quotation, toNanos } from './money';
import { aciOf, unitMoney } from './portfolio';
import type { AccountState, OrderRecord } from './state';

const TARIFF_COMMISSION: Record<string, string> = { investor: '0.003', trader: '0.0005', premium: '0.0004' };
const STATUS = { fill: OrderExecutionReportStatus.EXECUTION_REPORT_STATUS_FILL, new: OrderExecutionReportStatus.EXECUTION_REPORT_STATUS_NEW, cancelled: OrderExecutionReportStatus.EXECUTION_REPORT_STATUS_CANCELLED, rejected: OrderExecutionReportStatus.EXECUTION_REPORT_STATUS_REJECTED } as const;
const TYPES = { market: OrderType.MARKET, limit: OrderType.LIMIT, bestprice: OrderType.BESTPRICE } as const;

function commissionRate(ctx: EmulatorContext, account: AccountState): bigint {
  if (account.sandbox) return parseNanos(ctx.state.scenario.sandboxCommission);
  return parseNanos(TARIFF_COMMISSION[ctx.state.users.get(account.userId)?.tariff ?? ''] ?? '0.003');
}

function addMoney(account: AccountState, currency: string, delta: bigint): void {
  const key = currency.toUpperCase();
  account.money.set(key, (account.money.get(key) ?? 0n) + delta);
}

/** Places an order; an order id already seen on this account returns the existing order (idempotency key). */
export function placeOrder(ctx: EmulatorContext, account: AccountState, req: PostOrderRequest): OrderRecord {
  if (req.orderId) {
    const existing = [...account.orders.values()].find((o) => o.orderRequestId === req.orderId);
    if (existing) return existing;
  }
  const inst = requireInstrument(ctx, req.instrumentId, req.figi);
  if (!inst.apiTradeAvailable) throw tinvestError('30052');
  if (req.quantity <= 0n) throw invalidArgument('30042', 'invalid parameter: quantity');
  if (req.direction !== OrderDirection.BUY && req.direction !== OrderDirection.SELL) throw invalidArgument('30020', 'invalid parameter: direction');
  const orderType = req.orderType === OrderType.LIMIT ? 'limit' : req.orderType === OrderType.BESTPRICE ? 'bestprice' : req.orderType === OrderType.MARKET ? 'market' : null;
  if (!orderType) throw invalidArgument('30019', 'invalid parameter: order_type');
  const now = ctx.now();
  const market = ctx.prices.lastPrice(inst.uid, now);
  const limitPrice = req.price ? toNanos(req.price) : 0n;
  if (orderType === 'limit' && limitPrice <= 0n) throw invalidArgument('30017', 'invalid parameter: price');
  const buy = req.direction === OrderDirection.BUY;
  const marketable = orderType !== 'limit' || (buy ? limitPrice >= market : limitPrice <= market);
  const units = req.quantity * BigInt(inst.lot);
  const execPrice = marketable ? market : limitPrice;
  const unit = unitMoney(inst, execPrice) + aciOf(inst);
  const amount = unit * units;
  const commission = mulNanos(amount, commissionRate(ctx, account));
  const currency = inst.currency.toUpperCase();
  const available = (account.money.get(currency) ?? 0n) - (account.blockedMoney.get(currency) ?? 0n);
  const position = account.positions.get(inst.uid) ?? { quantity: 0n, averageNanos: 0n, blocked: 0n };
  if (buy && available < amount + commission) throw tinvestError('30042');
  if (!buy && position.quantity - position.blocked < units) throw tinvestError('30042');
  const order: OrderRecord = {
    orderId: randomUUID(),
    orderRequestId: req.orderId,
    accountId: account.id,
    instrumentUid: inst.uid,
    direction: buy ? 'buy' : 'sell',
    orderType,
    lotsRequested: req.quantity,
    lotsExecuted: 0n,
    status: 'new',
    initialPriceNanos: execPrice,
    executedPriceNanos: 0n,
    commissionNanos: commission,
    blockedNanos: 0n,
    currency,
    createdAt: now,
    tradeId: '',
  };
  account.orders.set(order.orderId, order);
  if (!marketable) {
    if (buy) {
      order.blockedNanos = amount + commission;
      account.blockedMoney.set(currency, (account.blockedMoney.get(currency) ?? 0n) + order.blockedNanos);
    } else {
      position.blocked += units;
      account.positions.set(inst.uid, position);
    }
    ctx.state.changed(account.id);
    return order;
  }
  order.status = 'fill';
  order.lotsExecuted = req.quantity;
  order.executedPriceNanos = execPrice;
  order.tradeId = String(Math.floor(now / 1000) * 1000 + account.operations.length);
  if (buy) {
    const cost = position.averageNanos * position.quantity + unitMoney(inst, execPrice) * units;
    position.quantity += units;
    position.averageNanos = cost / position.quantity;
    addMoney(account, currency, -(amount + commission));
  } else {
    position.quantity -= units;
    if (position.quantity === 0n) position.averageNanos = 0n;
    addMoney(account, currency, amount - commission);
  }
  account.positions.set(inst.uid, position);
  const opId = order.tradeId;
  account.operations.push({ id: opId, parentOperationId: '', date: now, type: buy ? 'buy' : 'sell', state: 'executed', instrumentUid: inst.uid, quantity: units, priceNanos: unitMoney(inst, execPrice), paymentNanos: buy ? -amount : amount, currency });
  if (commission > 0n) account.operations.push({ id: `${opId}-fee`, parentOperationId: opId, date: now, type: 'broker_fee', state: 'executed', instrumentUid: inst.uid, quantity: 0n, priceNanos: null, paymentNanos: -commission, currency });
  ctx.state.changed(account.id);
  return order;
}

/** Cancels a resting order and releases what it blocked. */
export function cancelOrder(ctx: EmulatorContext, account: AccountState, orderId: string): OrderRecord {
  const order = account.orders.get(orderId) ?? [...account.orders.values()].find((o) => o.orderRequestId === orderId);
  if (!order || order.status !== 'new') throw tinvestError('50005');
  order.status = 'cancelled';
  if (order.direction === 'buy') {
    account.blockedMoney.set(order.currency, (account.blockedMoney.get(order.currency) ?? 0n) - order.blockedNanos);
  } else {
    const inst = ctx.state.instrument(order.instrumentUid);
    const position = account.positions.get(order.instrumentUid);
    if (position && inst) position.blocked -= order.lotsRequested * BigInt(inst.lot);
  }
  ctx.state.changed(account.id);
  return order;
}

/** PostOrderResponse fields for an order. */
export function postOrderResponse(ctx: EmulatorContext, order: OrderRecord, trackingId: string) {
  const inst = ctx.state.instrument(order.instrumentUid);
  const lot = BigInt(inst?.lot ?? 1);
  const unit = inst ? unitMoney(inst, order.initialPriceNanos) : order.initialPriceNanos;
  const filled = order.status === 'fill';
  return {
    orderId: order.orderId,
    executionReportStatus: STATUS[order.status],
    lotsRequested: order.lotsRequested,
    lotsExecuted: order.lotsExecuted,
    initialOrderPrice: money(unit * lot * order.lotsRequested, order.currency),
    executedOrderPrice: money(filled ? unit : 0n, order.currency),
    totalOrderAmount: money(unit * lot * order.lotsRequested, order.currency),
    initialCommission: money(order.commissionNanos, order.currency),
    executedCommission: money(filled ? order.commissionNanos : 0n, order.currency),
    aciValue: money(inst ? aciOf(inst) : 0n, order.currency),
    figi: inst?.figi ?? '',
    direction: order.direction === 'buy' ? OrderDirection.BUY : OrderDirection.SELL,
    initialSecurityPrice: money(unit, order.currency),
    orderType: TYPES[order.orderType],
    message: '',
    initialOrderPricePt: quotation(order.initialPriceNanos),
    instrumentUid: order.instrumentUid,
    ticker: inst?.ticker ?? '',
    classCode: inst?.classCode ?? '',
    orderRequestId: order.orderRequestId,
    responseMetadata: { trackingId, serverTime: timestampFromMs(ctx.now()) },
  };
}

/** The unary OrderState view of an order. */
export function orderState(ctx: EmulatorContext, order: OrderRecord): OrderState {
  const inst = ctx.state.instrument(order.instrumentUid);
  const lot = BigInt(inst?.lot ?? 1);
  const unit = inst ? unitMoney(inst, order.initialPriceNanos) : order.initialPriceNanos;
  const filled = order.status === 'fill';
  return create(OrderStateSchema, {
    orderId: order.orderId,
    executionReportStatus: STATUS[order.status],
    lotsRequested: order.lotsRequested,
    lotsExecuted: order.lotsExecuted,
    initialOrderPrice: money(unit * lot * order.lotsRequested, order.currency),
    executedOrderPrice: money(filled ? unit * lot * order.lotsExecuted : 0n, order.currency),
    totalOrderAmount: money(unit * lot * order.lotsRequested, order.currency),
    averagePositionPrice: money(filled ? unit : 0n, order.currency),
    initialCommission: money(order.commissionNanos, order.currency),
    executedCommission: money(filled ? order.commissionNanos : 0n, order.currency),
    figi: inst?.figi ?? '',
    direction: order.direction === 'buy' ? OrderDirection.BUY : OrderDirection.SELL,
    initialSecurityPrice: money(unit, order.currency),
    stages: filled ? [{ price: money(unit, order.currency), quantity: order.lotsExecuted, tradeId: order.tradeId, executionTime: timestampFromMs(order.createdAt) }] : [],
    serviceCommission: money(0n, order.currency),
    currency: order.currency.toLowerCase(),
    orderType: TYPES[order.orderType],
    orderDate: timestampFromMs(order.createdAt),
    instrumentUid: order.instrumentUid,
    orderRequestId: order.orderRequestId,
    ticker: inst?.ticker ?? '',
    classCode: inst?.classCode ?? '',
  });
}
