// The built-in demo world: generated from a seed, so every run (and every test) sees the same history.
import { formatNanos, mulNanos, NANO, parseNanos } from './money';
import { PriceProcess } from './price-process';
import { createRng, stringKey, uuidFrom } from './rng';
import type { Scenario } from './scenario';

const SEED = 20_240_501;
const DAY = 86_400_000;

function tokenValue(next: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return `t.${Array.from({ length: 86 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')}`;
}

const tokenRng = createRng(SEED ^ 0x5eed);

/** Token values of the default scenario, by role. */
export const DEMO_TOKENS = {
  readonly: tokenValue(tokenRng),
  fullAccess: tokenValue(tokenRng),
  accountScoped: tokenValue(tokenRng),
  sandbox: tokenValue(tokenRng),
  revoked: tokenValue(tokenRng),
  expired: tokenValue(tokenRng),
  otherUser: tokenValue(tokenRng),
} as const;

/** Account ids of the default scenario. */
export const DEMO_ACCOUNTS = { broker: '2000123456', iis: '2000234567', closed: '2000345678', other: '2000999001', sandbox: 'sbx-7b1c2d3e-0001' } as const;

type Inst = Scenario['instruments'][number];
type Row = [kind: Inst['kind'], ticker: string, classCode: string, figi: string, isin: string, name: string, lot: number, step: string, start: string, vol: number, sector: string];

const ROWS: Row[] = [
  ['share', 'SBER', 'TQBR', 'BBG004730N88', 'RU0009029540', 'Сбер Банк', 10, '0.01', '285.40', 0.28, 'financial'],
  ['share', 'SBERP', 'TQBR', 'BBG0047315Y7', 'RU0009029557', 'Сбер Банк - привилегированные акции', 10, '0.01', '284.90', 0.28, 'financial'],
  ['share', 'GAZP', 'TQBR', 'BBG004730RP0', 'RU0007661625', 'Газпром', 10, '0.01', '132.15', 0.32, 'energy'],
  ['share', 'LKOH', 'TQBR', 'BBG004731032', 'RU0009024277', 'ЛУКОЙЛ', 1, '0.5', '6842.5', 0.25, 'energy'],
  ['share', 'YDEX', 'TQBR', 'TCS00A107T19', 'RU000A107T19', 'Яндекс', 1, '0.5', '4120', 0.35, 'telecom'],
  ['share', 'GMKN', 'TQBR', 'BBG004731489', 'RU0007288411', 'Норильский никель', 10, '0.02', '118.64', 0.3, 'materials'],
  ['share', 'ROSN', 'TQBR', 'BBG004731354', 'RU000A0J2Q06', 'Роснефть', 1, '0.05', '455.3', 0.27, 'energy'],
  ['share', 'VTBR', 'TQBR', 'BBG004730ZJ9', 'RU000A0JP5V6', 'Банк ВТБ', 1, '0.01', '84.12', 0.38, 'financial'],
  ['share', 'MOEX', 'TQBR', 'BBG004730JJ5', 'RU000A0JR4A1', 'Московская Биржа', 10, '0.01', '198.77', 0.3, 'financial'],
  ['share', 'T', 'TQBR', 'TCS80A107UL4', 'RU000A107UL4', 'Т-Технологии', 1, '0.2', '3012.4', 0.4, 'financial'],
  ['share', 'MGNT', 'TQBR', 'BBG004RVFCY3', 'RU000A0JKQU8', 'Магнит', 1, '0.5', '5510.5', 0.33, 'consumer'],
  ['share', 'NVTK', 'TQBR', 'BBG00475KKY8', 'RU000A0DKVS5', 'НОВАТЭК', 1, '0.2', '1045.6', 0.3, 'energy'],
  ['share', 'PLZL', 'TQBR', 'BBG000R607Y3', 'RU000A0JNAA8', 'Полюс', 1, '0.5', '1930.5', 0.3, 'materials'],
  ['share', 'TATN', 'TQBR', 'BBG004RVFFC0', 'RU0009033591', 'Татнефть', 1, '0.1', '665.8', 0.28, 'energy'],
  ['share', 'AFLT', 'TQBR', 'BBG004S683W7', 'RU0009062285', 'Аэрофлот', 10, '0.01', '61.44', 0.4, 'industrials'],
  ['share', 'ALRS', 'TQBR', 'BBG004S68B31', 'RU0007252813', 'АЛРОСА', 10, '0.01', '52.37', 0.33, 'materials'],
  ['share', 'CHMF', 'TQBR', 'BBG00475K6C3', 'RU0009046510', 'Северсталь', 1, '0.2', '1186.4', 0.32, 'materials'],
  ['share', 'MTSS', 'TQBR', 'BBG004S681W1', 'RU0007775219', 'МТС', 10, '0.05', '218.15', 0.3, 'telecom'],
  ['bond', 'SU26238RMFS4', 'TQOB', 'BBG00ZM6D6Q8', 'RU000A1038V6', 'ОФЗ 26238', 1, '0.001', '58.915', 0.12, 'government'],
  ['bond', 'SU26243RMFS4', 'TQOB', 'BBG01DQLYJ37', 'RU000A108EF8', 'ОФЗ 26243', 1, '0.001', '78.43', 0.1, 'government'],
  ['bond', 'RU000A105QV1', 'TQCB', 'TCS00A105QV1', 'RU000A105QV1', 'Сбербанк ПАО 001Р-SBER41', 1, '0.01', '97.85', 0.05, 'financial'],
  ['bond', 'RU000A106888', 'TQCB', 'TCS00A106888', 'RU000A106888', 'РЖД 001Р-26R', 1, '0.01', '95.1', 0.06, 'industrials'],
  ['etf', 'TMOS', 'TQTF', 'BBG333333333', 'RU000A101X76', 'Т-Капитал Индекс МосБиржи', 1, '0.01', '6.72', 0.25, 'equity'],
  ['etf', 'TRUR', 'TQTF', 'BBG000000001', 'RU000A1011U5', 'Т-Капитал Вечный портфель', 1, '0.01', '8.96', 0.08, 'other'],
  ['etf', 'TGLD', 'TQTF', 'BBG222222222', 'RU000A101X50', 'Т-Капитал Золото', 1, '0.01', '11.84', 0.15, 'other'],
  ['currency', 'USD000UTSTOM', 'CETS', 'BBG0013HGFT4', '', 'Доллар США', 1000, '0.0025', '91.35', 0.12, ''],
  ['currency', 'EUR_RUB__TOM', 'CETS', 'BBG0013HJJ31', '', 'Евро', 1000, '0.0025', '98.8', 0.12, ''],
  ['currency', 'CNYRUB_TOM', 'CETS', 'BBG0013HRTL0', '', 'Юань', 1000, '0.0005', '12.58', 0.1, ''],
  ['currency', 'RUB000UTSTOM', 'CETS', 'RUB000UTSTOM', '', 'Российский рубль', 1, '0.0025', '1', 0.0001, ''],
  // Quoted in points like every future: 10 points (one step) are worth 7.53 roubles.
  ['futures', 'RIH7', 'SPBFUT', 'FUTRTS032700', '', 'RTS-3.27 Индекс РТС', 1, '10', '112340', 0.3, 'index'],
  // Appended rows keep every earlier instrument's uid (uids are drawn in row order).
  ['bond', 'SU26209RMFS5', 'TQOB', 'TCS00A0JSMA2', 'RU000A0JSMA2', 'ОФЗ 26209', 1, '0.001', '100.2', 0.03, 'government'],
  ['index', 'IMOEX', 'SPBXM', 'IMOEX', '', 'Индекс МосБиржи', 1, '0.01', '3099.11', 0.22, ''],
];

/** Bonds that matured inside the demo history: listed only for INSTRUMENT_STATUS_ALL, redeemed in full at maturity. */
const MATURED: Record<string, string> = { SU26209RMFS5: '2022-07-20T00:00:00Z' };

/** SBER's real instrument uid, so copied examples from the docs work. */
const KNOWN_UIDS: Record<string, string> = { SBER: 'e6123145-9665-43e0-8413-cd61b8aa9b13' };

function instruments(): Inst[] {
  const next = createRng(SEED);
  return ROWS.map(([kind, ticker, classCode, figi, isin, name, lot, step, start, volatility, sector]) => {
    const uid = KNOWN_UIDS[ticker] ?? uuidFrom(next);
    const inst: Inst = { kind, ticker, classCode, figi, isin, name, lot, currency: 'rub', minPriceIncrement: step, uid, positionUid: uuidFrom(next), assetUid: uuidFrom(next), sector, price: { start, volatility } };
    if (kind === 'bond') inst.bond = { nominal: '1000', aci: classCode === 'TQOB' ? '12.64' : '7.89', maturityDate: classCode === 'TQOB' ? '2041-05-15T00:00:00Z' : '2027-11-12T00:00:00Z', couponsPerYear: classCode === 'TQOB' ? 2 : 12 };
    if (kind === 'futures') inst.future = { incrementAmount: '7.53', expirationDate: '2027-03-18T00:00:00Z', basicAsset: 'RTSI' };
    const matured = MATURED[ticker];
    if (inst.bond && matured) Object.assign(inst, { base: false, apiTradeAvailable: false, bond: { ...inst.bond, aci: '0', maturityDate: matured } });
    if (ticker === 'RUB000UTSTOM' || kind === 'index') inst.apiTradeAvailable = false;
    return inst;
  });
}

type Op = NonNullable<Scenario['accounts'][number]['operations']>[number];

/** Who an account's history belongs to and how it behaves: monthly pay-ins, trading pace, foreign cash. */
interface HistoryPlan {
  accountId: string;
  seed: number;
  opened: number;
  /** Chance of a trade on a weekday, tried `tradesPerDay` times (default once). */
  tradeChance: number;
  tradesPerDay?: number;
  /** Monthly pay-in range in roubles. */
  deposit: [number, number];
  /** Currencies bought through their currency instrument now and then. */
  fx: string[];
  /** IIS money cannot leave without closing the account. */
  withdrawals: boolean;
  /** Premium tariff: a monthly service fee. */
  serviceFee?: bigint;
  /** Tickers bought on the first weekday and never sold below that (pages and e2e specs count on them); a matured bond is redeemed. */
  core?: string[];
}

interface History {
  ops: Op[];
  positions: Array<{ instrument: string; quantity: number; averagePrice: string }>;
  money: Record<string, string>;
}

const HOUR = 3_600_000;
const KOPECK = 10_000_000n;
const kopecks = (nanos: bigint) => (nanos / KOPECK) * KOPECK;
const TRADE_FEE = parseNanos('0.003');
const FX_FEE = parseNanos('0.005');

const monthDayOf = (t: number) => (new Date(t).getUTCMonth() + 1) * 100 + new Date(t).getUTCDate();

/** Month-day keys (MMDD) when an instrument pays: one dividend a year for shares, couponsPerYear coupons for bonds. */
function paymentDays(inst: Inst): Set<number> {
  const days = new Set<number>();
  if (inst.kind === 'share') {
    days.add(monthDayOf(Date.UTC(2001, 0, 1) + (140 + (stringKey(inst.ticker) % 75)) * DAY));
  }
  if (inst.kind === 'bond' && inst.bond && inst.bond.couponsPerYear > 0) {
    const maturity = new Date(inst.bond.maturityDate);
    const every = 12 / inst.bond.couponsPerYear;
    for (let k = 0; k < inst.bond.couponsPerYear; k++) days.add((((maturity.getUTCMonth() + k * every) % 12) + 1) * 100 + Math.min(maturity.getUTCDate(), 28));
  }
  return days;
}

/** A yearly rate in [low, high) fixed per ticker (dividend yield, coupon rate). */
function rateOf(inst: Inst, low: number, high: number): bigint {
  return BigInt(Math.round((low + ((stringKey(inst.ticker) >>> 8) % 1000) / 1000 * (high - low)) * 1e9));
}

/**
 * Years of pay-ins, withdrawals, currency purchases, trades with fees and taxes, dividends, coupons and
 * redemptions, priced by the same process the server runs; cash never goes below zero and nothing is sold
 * that is not held. Every operation falls in [opened, to).
 */
function history(plan: HistoryPlan, insts: Inst[], prices: PriceProcess, to: number): History {
  const next = createRng(plan.seed);
  const ops: Op[] = [];
  const money = new Map<string, bigint>([['RUB', 0n]]);
  const held = new Map<string, { qty: bigint; cost: bigint }>();
  let n = 0;
  const id = () => `${plan.accountId.slice(-4)}${String(++n).padStart(6, '0')}`;
  const iso = (t: number) => new Date(t).toISOString();
  const cash = (c: string) => money.get(c) ?? 0n;
  const addCash = (c: string, v: bigint) => money.set(c, cash(c) + v);
  const byUid = new Map(insts.map((i) => [i.uid, i]));
  const payers = new Map<number, string[]>();
  for (const inst of insts) {
    const days = paymentDays(inst);
    if (inst.bond) days.add(monthDayOf(Date.parse(inst.bond.maturityDate)));
    for (const day of days) payers.set(day, [...(payers.get(day) ?? []), inst.uid]);
  }
  const fxInstruments = plan.fx.map((c) => insts.find((i) => i.kind === 'currency' && i.ticker.startsWith(c))).filter((i): i is Inst => i !== undefined);
  const tradable = insts.filter((i) => i.kind === 'share' || i.kind === 'bond' || i.kind === 'etf');
  const core = new Map<string, bigint>();
  const maturities = new Map(insts.map((i) => [i.uid, i.bond ? Date.parse(i.bond.maturityDate) : Infinity]));
  const maturityOf = (i: Inst) => maturities.get(i.uid) ?? Infinity;
  const firstDay = Math.floor(plan.opened / DAY) * DAY;
  // Events of one day get increasing times, so replaying by (date, id) meets the same balances as here.
  let clock = plan.opened;
  const at = (t: number, fromHour: number) => (clock = Math.max(clock + 1000, t + fromHour * HOUR + Math.floor(next() * HOUR)));

  const trade = (t: number, inst: Inst, sell: boolean, units: bigint, fromHour: number, feeRate: bigint) => {
    const when = at(t, fromHour);
    const market = prices.minuteOpen(inst.uid, when);
    const unit = inst.kind === 'bond' ? mulNanos(market, 1000n * NANO) / 100n : market;
    const amount = unit * units;
    const fee = kopecks(mulNanos(amount, feeRate));
    if (!sell && cash('RUB') < amount + fee) return false;
    const opId = id();
    ops.push({ id: opId, date: iso(when), type: sell ? 'sell' : 'buy', instrument: inst.uid, quantity: Number(units), price: formatNanos(unit), payment: formatNanos(sell ? amount : -amount), currency: 'RUB' });
    ops.push({ id: id(), parentOperationId: opId, date: iso(when), type: 'broker_fee', instrument: inst.uid, payment: formatNanos(-fee), currency: 'RUB' });
    addCash('RUB', (sell ? amount : -amount) - fee);
    if (inst.kind === 'currency') {
      addCash(inst.ticker.slice(0, 3), (sell ? -units : units) * NANO);
      return true;
    }
    const position = held.get(inst.uid) ?? { qty: 0n, cost: 0n };
    if (!sell) {
      held.set(inst.uid, { qty: position.qty + units, cost: position.cost + amount });
      return true;
    }
    const cost = (position.cost * units) / position.qty;
    if (position.qty === units) held.delete(inst.uid);
    else held.set(inst.uid, { qty: position.qty - units, cost: position.cost - cost });
    const tax = kopecks(((amount - cost) * 13n) / 100n);
    if (tax > 0n) {
      clock = Math.max(clock, when + 60_000);
      ops.push({ id: id(), date: iso(clock), type: 'tax', instrument: inst.uid, payment: formatNanos(-tax), currency: 'RUB' });
      addCash('RUB', -tax);
    }
    return true;
  };

  for (let t = firstDay; t < to; t += DAY) {
    const date = new Date(t);
    const dayOfMonth = date.getUTCDate();
    const weekday = date.getUTCDay() !== 0 && date.getUTCDay() !== 6;
    if (t === firstDay || (dayOfMonth === 3 && next() < 0.85)) {
      const [low, high] = plan.deposit;
      const amount = BigInt(low + Math.floor(next() * ((high - low) / 5_000 + 1)) * 5_000) * NANO;
      if (t === firstDay) clock = plan.opened + 30 * 60_000;
      ops.push({ id: id(), date: iso(t === firstDay ? clock : at(t, 6)), type: 'input', payment: formatNanos(amount), currency: 'RUB' });
      addCash('RUB', amount);
    }
    if (t === firstDay) continue;
    if (plan.serviceFee && dayOfMonth === 1 && cash('RUB') >= plan.serviceFee) {
      ops.push({ id: id(), date: iso(at(t, 7)), type: 'service_fee', payment: formatNanos(-plan.serviceFee), currency: 'RUB' });
      addCash('RUB', -plan.serviceFee);
    }
    if (weekday && fxInstruments.length > 0 && next() < 0.014) {
      const fx = fxInstruments[Math.floor(next() * fxInstruments.length)];
      if (fx) trade(t, fx, false, BigInt(fx.lot * (1 + Math.floor(next() * 3))), 8, FX_FEE);
    }
    if (weekday && core.size < (plan.core?.length ?? 0)) {
      for (const ticker of plan.core ?? []) {
        const inst = tradable.find((i) => i.ticker === ticker);
        const units = BigInt((inst?.lot ?? 1) * 5);
        if (inst && !core.has(inst.uid) && trade(t, inst, false, units, 10, TRADE_FEE)) core.set(inst.uid, units);
      }
    } else if (weekday) {
      for (let attempt = 0; attempt < (plan.tradesPerDay ?? 1); attempt++) {
        if (next() >= plan.tradeChance) continue;
        const inst = tradable[Math.floor(next() * tradable.length)];
        if (inst && t < maturityOf(inst) - 30 * DAY) {
          const sellable = (held.get(inst.uid)?.qty ?? 0n) - (core.get(inst.uid) ?? 0n);
          const sell = sellable > 0n && next() < 0.3;
          const lots = BigInt(1 + Math.floor(next() * (inst.kind === 'bond' ? 10 : 5)));
          const lot = BigInt(inst.lot);
          const half = (sellable / lot / 2n) * lot;
          const units = sell ? (half > 0n && next() < 0.5 ? half : sellable) : lots * lot;
          trade(t, inst, sell, units, 10 + Math.floor(next() * 6), TRADE_FEE);
        }
      }
    }
    if (plan.withdrawals && dayOfMonth === 20 && next() < 0.08) {
      const thousand = 1000n * NANO;
      const amount = ((cash('RUB') * BigInt(10 + Math.floor(next() * 30))) / 100n / thousand) * thousand;
      if (amount >= 10_000n * NANO) {
        ops.push({ id: id(), date: iso(at(t, 17)), type: 'output', payment: formatNanos(-amount), currency: 'RUB' });
        addCash('RUB', -amount);
      }
    }
    // Only the instruments that pay or mature today are visited: walking every holding every day is the slow part.
    for (const uid of payers.get((date.getUTCMonth() + 1) * 100 + dayOfMonth) ?? []) {
      const p = held.get(uid);
      const inst = byUid.get(uid);
      if (!p || !inst) continue;
      const matures = maturityOf(inst) >= t && maturityOf(inst) < t + DAY;
      const when = at(t, 19);
      const bond = inst.kind === 'bond';
      const perUnit = bond ? kopecks(mulNanos(1000n * NANO, rateOf(inst, 0.07, 0.11)) / BigInt(inst.bond?.couponsPerYear ?? 1)) : kopecks(mulNanos(prices.minuteOpen(uid, when), rateOf(inst, 0.03, 0.12)));
      const gross = perUnit * p.qty;
      const payId = id();
      ops.push({ id: payId, date: iso(when), type: bond ? 'coupon' : 'dividend', instrument: uid, quantity: Number(p.qty), payment: formatNanos(gross), currency: 'RUB' });
      const tax = kopecks((gross * 13n) / 100n);
      ops.push({ id: id(), parentOperationId: payId, date: iso(when), type: bond ? 'bond_tax' : 'dividend_tax', instrument: uid, payment: formatNanos(-tax), currency: 'RUB' });
      addCash('RUB', gross - tax);
      if (matures) {
        const when = at(t, 20);
        const nominal = 1000n * NANO * p.qty;
        ops.push({ id: id(), date: iso(when), type: 'bond_repayment_full', instrument: uid, quantity: Number(p.qty), price: '1000', payment: formatNanos(nominal), currency: 'RUB' });
        addCash('RUB', nominal);
        held.delete(uid);
        const tax = kopecks(((nominal - p.cost) * 13n) / 100n);
        if (tax > 0n) {
          clock = Math.max(clock, when + 60_000);
          ops.push({ id: id(), date: iso(clock), type: 'tax', instrument: uid, payment: formatNanos(-tax), currency: 'RUB' });
          addCash('RUB', -tax);
        }
      }
    }
  }
  const positions = [...held].map(([uid, p]) => ({ instrument: uid, quantity: Number(p.qty), averagePrice: formatNanos(p.cost / p.qty) }));
  return { ops, positions, money: Object.fromEntries([...money].map(([c, v]) => [c, formatNanos(v)])) };
}

/** One lot of the broker account's SBER (a core holding, always there) is blocked, as an open sell order would hold it, so the pages show blocked units. */
function blockOneSberLot(position: History['positions'][number]) {
  return position.instrument === KNOWN_UIDS.SBER ? { ...position, blocked: 10 } : position;
}

/** The default demo scenario: history dated relative to `now` (deterministic for a given day). */
export function buildDefaultScenario(now: Date = new Date()): Scenario {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const insts = instruments();
  const priceAnchor = '2024-01-01T00:00:00.000Z';
  const prices = new PriceProcess(SEED, Date.parse(priceAnchor), insts.map((i) => ({ uid: i.uid, startNanos: parseNanos(i.price.start), stepNanos: parseNanos(i.minPriceIncrement), volatility: i.price.volatility })), () => true);
  const opened = { broker: '2021-03-15T09:12:00Z', iis: '2022-01-20T07:45:00Z', other: '2020-11-02T08:00:00Z' };
  const broker = history({ accountId: DEMO_ACCOUNTS.broker, seed: SEED + 1, opened: Date.parse(opened.broker), tradeChance: 0.6, deposit: [30_000, 150_000], fx: ['USD'], withdrawals: true, core: ['SBER', 'SU26238RMFS4', 'SU26209RMFS5'] }, insts, prices, today);
  const iis = history({ accountId: DEMO_ACCOUNTS.iis, seed: SEED + 2, opened: Date.parse(opened.iis), tradeChance: 0.4, deposit: [20_000, 80_000], fx: ['CNY'], withdrawals: false }, insts, prices, today);
  const other = history({ accountId: DEMO_ACCOUNTS.other, seed: SEED + 3, opened: Date.parse(opened.other), tradeChance: 0.45, deposit: [50_000, 250_000], fx: ['USD', 'CNY'], withdrawals: true, serviceFee: 390n * NANO }, insts, prices, today);
  const iso = (t: number) => new Date(t).toISOString();
  return {
    name: 'default demo',
    seed: SEED,
    priceAnchor,
    schedule: 'always',
    users: [
      { id: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', tariff: 'investor', qualStatus: false, qualifiedForWorkWith: ['russian_shares', 'bond', 'leverage'], riskLevelCode: 'medium', limitGrade: 1 },
      { id: 'a1f0c3e2-5b7d-4e8f-9a10-000000000002', tariff: 'premium', premStatus: true, qualStatus: true, qualifiedForWorkWith: ['derivative', 'foreign_shares', 'structured_bonds'], limitGrade: 3 },
    ],
    tokens: [
      { label: 'demo-readonly', kind: 'readonly', value: DEMO_TOKENS.readonly, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', issuedAt: iso(today - 40 * DAY) },
      { label: 'demo-full-access', kind: 'full-access', value: DEMO_TOKENS.fullAccess, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', issuedAt: iso(today - 40 * DAY) },
      { label: 'demo-account-scoped', kind: 'account-scoped', value: DEMO_TOKENS.accountScoped, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', issuedAt: iso(today - 20 * DAY), accounts: [{ id: DEMO_ACCOUNTS.broker, level: 'full' }, { id: DEMO_ACCOUNTS.iis, level: 'readonly' }] },
      { label: 'demo-sandbox', kind: 'sandbox', value: DEMO_TOKENS.sandbox, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', issuedAt: iso(today - 10 * DAY) },
      { label: 'demo-revoked', kind: 'full-access', value: DEMO_TOKENS.revoked, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', issuedAt: iso(today - 200 * DAY), revoked: true },
      { label: 'demo-expired', kind: 'readonly', value: DEMO_TOKENS.expired, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', issuedAt: iso(today - 400 * DAY), lastUsedAt: iso(today - 100 * DAY) },
      { label: 'demo-other-user', kind: 'full-access', value: DEMO_TOKENS.otherUser, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000002', issuedAt: iso(today - 5 * DAY) },
    ],
    instruments: insts,
    accounts: [
      { id: DEMO_ACCOUNTS.broker, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', type: 'broker', name: 'Брокерский счёт', status: 'open', openedDate: opened.broker, money: broker.money, positions: broker.positions.map(blockOneSberLot), operations: broker.ops },
      { id: DEMO_ACCOUNTS.iis, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', type: 'iis', name: 'ИИС', status: 'open', openedDate: opened.iis, money: iis.money, positions: iis.positions, operations: iis.ops },
      { id: DEMO_ACCOUNTS.closed, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', type: 'broker', name: 'Старый счёт', status: 'closed', openedDate: '2019-06-01T10:00:00Z', closedDate: '2023-02-28T15:00:00Z' },
      { id: DEMO_ACCOUNTS.other, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000002', type: 'broker', name: 'Основной', status: 'open', openedDate: opened.other, margin: true, money: other.money, positions: other.positions, operations: other.ops },
      { id: DEMO_ACCOUNTS.sandbox, userId: 'a1f0c3e2-5b7d-4e8f-9a10-000000000001', type: 'broker', name: 'Песочница', status: 'open', openedDate: iso(today - 10 * DAY), sandbox: true, money: { RUB: '1000000' } },
    ],
  };
}

/** The token of the analytics benchmark's scenario (one read-only token reaching every account). */
export const BENCH_TOKEN = tokenValue(createRng(SEED ^ 0xbe9c));

/**
 * A heavy world for the analytics benchmark: `accounts` accounts of one user, each with `years` of history and
 * several trades a weekday (about 20,000 operations per account over ten years), priced by the same process.
 */
export function buildAnalyticsBenchScenario({ accounts = 10, years = 10, tradesPerDay = 4, now = new Date() } = {}): Scenario {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const insts = instruments();
  const priceAnchor = '2024-01-01T00:00:00.000Z';
  const prices = new PriceProcess(SEED, Date.parse(priceAnchor), insts.map((i) => ({ uid: i.uid, startNanos: parseNanos(i.price.start), stepNanos: parseNanos(i.minPriceIncrement), volatility: i.price.volatility })), () => true);
  const userId = 'b3e0c3e2-5b7d-4e8f-9a10-0000000000be';
  const opened = today - Math.round(years * 365.25) * DAY + 9 * 3_600_000;
  const built = Array.from({ length: accounts }, (_, i) => {
    const accountId = `30000000${String(i).padStart(2, '0')}`;
    const plan = { accountId, seed: SEED + 100 + i, opened, tradeChance: 0.95, tradesPerDay, deposit: [150_000, 400_000] as [number, number], fx: i % 2 ? ['USD'] : ['CNY'], withdrawals: i % 3 === 0 };
    const h = history(plan, insts, prices, today);
    return { id: accountId, userId, type: 'broker' as const, name: `Счёт ${i + 1}`, status: 'open' as const, openedDate: new Date(opened).toISOString(), money: h.money, positions: h.positions, operations: h.ops };
  });
  return {
    name: 'analytics benchmark',
    seed: SEED,
    priceAnchor,
    schedule: 'always',
    users: [{ id: userId, tariff: 'investor', qualStatus: false, qualifiedForWorkWith: [], limitGrade: 1 }],
    tokens: [{ label: 'bench-readonly', kind: 'readonly', value: BENCH_TOKEN, userId, issuedAt: new Date(today - 10 * DAY).toISOString() }],
    instruments: insts,
    accounts: built,
  };
}
