// InstrumentsService: lookups by FIGI/UID/ticker, lists by status, search and MOEX trading schedules.
import { timestampFromMs, timestampMs } from '@bufbuild/protobuf/wkt';
import { InstrumentStatus, InstrumentType } from '@/lib/tinvest/gen/common_pb';
import { InstrumentIdType, InstrumentsService, type InstrumentRequest, type InstrumentsRequest } from '@/lib/tinvest/gen/instruments_pb';
import type { EmulatorContext } from './context';
import { status } from '@grpc/grpc-js';
import { invalidArgument, TinvestError, tinvestError } from './errors';
import { instrumentKind, toBond, toCurrency, toEtf, toFuture, toIndicative, toInstrument, toInstrumentShort, toShare } from './instrument-messages';
import { unary, type Handler } from './rpc';
import type { ScenarioInstrument } from './scenario';

const DAY = 86_400_000;

/** InstrumentRequest → instrument, with 30006/30007/30013/50002 as documented. */
function lookup(ctx: EmulatorContext, req: InstrumentRequest, kind?: ScenarioInstrument['kind']): ScenarioInstrument {
  if (req.idType === InstrumentIdType.INSTRUMENT_ID_UNSPECIFIED) throw tinvestError('30006');
  if (!req.id) throw tinvestError('30007');
  const id = req.id.trim().toUpperCase();
  let found: ScenarioInstrument | undefined;
  switch (req.idType) {
    case InstrumentIdType.INSTRUMENT_ID_TYPE_FIGI:
      found = ctx.state.instruments.find((i) => i.figi.toUpperCase() === id);
      break;
    case InstrumentIdType.INSTRUMENT_ID_TYPE_UID:
      found = ctx.state.instruments.find((i) => i.uid.toUpperCase() === id);
      break;
    case InstrumentIdType.INSTRUMENT_ID_TYPE_POSITION_UID:
      found = ctx.state.instruments.find((i) => i.positionUid.toUpperCase() === id);
      break;
    case InstrumentIdType.INSTRUMENT_ID_TYPE_TICKER:
      if (!req.classCode) throw tinvestError('30013');
      found = ctx.state.instruments.find((i) => i.ticker.toUpperCase() === id && i.classCode.toUpperCase() === req.classCode?.toUpperCase());
      break;
    default:
      throw tinvestError('30005');
  }
  if (!found || (kind && found.kind !== kind)) throw tinvestError('50002');
  return found;
}

/** BASE (default) lists API-tradable instruments; ALL lists everything. */
function list(ctx: EmulatorContext, req: InstrumentsRequest, kind: ScenarioInstrument['kind']): ScenarioInstrument[] {
  const status = req.instrumentStatus ?? InstrumentStatus.UNSPECIFIED;
  if (status !== InstrumentStatus.UNSPECIFIED && status !== InstrumentStatus.BASE && status !== InstrumentStatus.ALL) throw invalidArgument('30050', 'instrument_status is invalid');
  return ctx.state.instruments.filter((i) => i.kind === kind && (status === InstrumentStatus.ALL || (i.base && i.apiTradeAvailable)));
}

/** One MOEX day: weekdays 07:00–23:50 MSK with a 15:50–16:05 clearing; weekends closed. */
function tradingDay(day: number) {
  const weekday = new Date(day).getUTCDay();
  const at = (h: number, m: number) => timestampFromMs(day + (h * 60 + m) * 60_000);
  if (weekday === 0 || weekday === 6) return { date: timestampFromMs(day), isTradingDay: false };
  return {
    date: timestampFromMs(day),
    isTradingDay: true,
    premarketStartTime: at(3, 50),
    premarketEndTime: at(3, 59),
    openingAuctionStartTime: at(6, 50),
    openingAuctionEndTime: at(6, 59),
    startTime: at(7, 0),
    closingAuctionStartTime: at(15, 40),
    closingAuctionEndTime: at(15, 50),
    clearingStartTime: at(15, 50),
    clearingEndTime: at(16, 5),
    eveningOpeningAuctionStartTime: at(16, 0),
    eveningStartTime: at(16, 5),
    eveningEndTime: at(20, 50),
    endTime: at(20, 50),
  };
}

/** InstrumentsService handlers. */
export function instrumentsHandlers(ctx: EmulatorContext): Handler[] {
  const m = InstrumentsService.method;
  return [
    unary(InstrumentsService, m.getInstrumentBy, (req) => ({ instrument: toInstrument(ctx, lookup(ctx, req)) })),
    unary(InstrumentsService, m.shareBy, (req) => ({ instrument: toShare(ctx, lookup(ctx, req, 'share')) })),
    unary(InstrumentsService, m.bondBy, (req) => ({ instrument: toBond(ctx, lookup(ctx, req, 'bond')) })),
    unary(InstrumentsService, m.etfBy, (req) => ({ instrument: toEtf(ctx, lookup(ctx, req, 'etf')) })),
    unary(InstrumentsService, m.currencyBy, (req) => ({ instrument: toCurrency(ctx, lookup(ctx, req, 'currency')) })),
    unary(InstrumentsService, m.futureBy, (req) => ({ instrument: toFuture(ctx, lookup(ctx, req, 'futures')) })),
    unary(InstrumentsService, m.shares, (req) => ({ instruments: list(ctx, req, 'share').map((i) => toShare(ctx, i)) })),
    unary(InstrumentsService, m.bonds, (req) => ({ instruments: list(ctx, req, 'bond').map((i) => toBond(ctx, i)) })),
    unary(InstrumentsService, m.etfs, (req) => ({ instruments: list(ctx, req, 'etf').map((i) => toEtf(ctx, i)) })),
    unary(InstrumentsService, m.currencies, (req) => ({ instruments: list(ctx, req, 'currency').map((i) => toCurrency(ctx, i)) })),
    unary(InstrumentsService, m.futures, (req) => ({ instruments: list(ctx, req, 'futures').map((i) => toFuture(ctx, i)) })),
    unary(InstrumentsService, m.indicatives, () => ({ instruments: ctx.state.instruments.filter((i) => i.kind === 'index').map(toIndicative) })),
    unary(InstrumentsService, m.findInstrument, (req) => {
      const query = req.query.trim().toLowerCase();
      if (!query) throw tinvestError('30087');
      const hits = ctx.state.instruments.filter(
        (i) =>
          [i.ticker, i.name, i.figi, i.isin, i.uid].some((field) => field.toLowerCase().includes(query)) &&
          (req.instrumentKind === undefined || req.instrumentKind === InstrumentType.UNSPECIFIED || instrumentKind(i) === req.instrumentKind) &&
          (req.apiTradeAvailableFlag === undefined || i.apiTradeAvailable === req.apiTradeAvailableFlag),
      );
      return { instruments: hits.map((i) => toInstrumentShort(ctx, i)) };
    }),
    unary(InstrumentsService, m.tradingSchedules, (req) => {
      const now = ctx.now();
      const from = Math.floor((req.from ? timestampMs(req.from) : now) / DAY) * DAY;
      const to = Math.floor((req.to ? timestampMs(req.to) : now) / DAY) * DAY;
      if (to < from) throw tinvestError('30012');
      if (to - from > 14 * DAY) throw tinvestError('30084');
      const exchanges = ['MOEX', 'MOEX_PLUS', 'FX'].filter((e) => !req.exchange || e.toLowerCase() === req.exchange.toLowerCase());
      if (exchanges.length === 0) throw new TinvestError(status.NOT_FOUND, '50001', 'exchange not found');
      const days: Array<ReturnType<typeof tradingDay>> = [];
      for (let d = from; d <= to; d += DAY) days.push(tradingDay(d));
      return { exchanges: exchanges.map((exchange) => ({ exchange, days })) };
    }),
  ];
}
