// One deterministic price process per instrument: trades, last prices, candles and order books all derive from it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRng, hash32, stringKey, unit } from './rng';

const MINUTE = 60_000;
const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** Noise scales from 5 minutes to ~3 years; amplitude grows like √scale, like a random walk. */
const SCALES = [5, 30, 120, 480, 1440, 5760, 23040, 92160, 368640, 1474560].map((m) => m * MINUTE);

const toRow = (bar: Bar): string[] => [bar.open, bar.high, bar.low, bar.close, bar.volume, bar.volumeBuy, bar.volumeSell, bar.lastTradeTime].map(String);
const fromRow = (start: number, row: string[]): Bar => {
  const [open, high, low, close, volume, volumeBuy, volumeSell, last] = row.map((value) => BigInt(value));
  return { start, end: start + DAY, open: open!, high: high!, low: low!, close: close!, volume: volume!, volumeBuy: volumeBuy!, volumeSell: volumeSell!, lastTradeTime: Number(last) };
};

export interface PricedInstrument {
  uid: string;
  startNanos: bigint;
  stepNanos: bigint;
  volatility: number;
}

export interface Tick {
  time: number;
  price: bigint;
  quantity: bigint;
  direction: 'buy' | 'sell';
}

export interface Bar {
  start: number;
  end: number;
  open: bigint;
  high: bigint;
  low: bigint;
  close: bigint;
  volume: bigint;
  volumeBuy: bigint;
  volumeSell: bigint;
  lastTradeTime: number;
}

/** Scratch space for one minute's shuffles (rawMinute never re-enters itself). */
const SECONDS = new Int32Array(58);
const TRADES = new Int32Array(64);

interface MinuteSummary {
  hi: number;
  lo: number;
  count: number;
  volume: number;
  buyTrades: number;
  buy: number;
  lastTime: number;
}

/** `total` split into `parts` positive integers, skewed like real trade sizes (a few large, many small). */
function split(total: number, parts: number, next: () => number): number[] {
  if (parts <= 0) return [];
  const weights = Array.from({ length: parts }, () => next() ** 3 + 0.01);
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - parts;
  const out = weights.map((w) => 1 + Math.floor((spare * w) / sum));
  out[0] = (out[0] ?? 1) + total - out.reduce((a, b) => a + b, 0);
  return out;
}

interface Series {
  key: number;
  start: number;
  step: number;
  stepNanos: bigint;
  volatility: number;
  anchorNoise: number;
  lattice: number[];
}

/** Bump when anything that shapes a day's bar changes: cached years of an older version are then ignored. */
const DAY_BARS_VERSION = 1;

export interface DayBarCache {
  /** A folder for the cache files (made if missing). */
  dir: string;
  /** Names the trading schedule, which is a function and cannot be hashed ('always', 'moex'). */
  schedule: string;
}

/** Deterministic from (seed, instrument uid): any moment's trades can be recomputed in O(1). */
export class PriceProcess {
  private readonly series = new Map<string, Series>();
  private readonly dayCache = new Map<string, Bar | null>();
  private readonly instruments = new Map<string, PricedInstrument>();
  private readonly yearsLoaded = new Set<string>();

  constructor(
    private readonly seed: number,
    private readonly anchorMs: number,
    instruments: PricedInstrument[],
    private readonly isTradingMinute: (minuteStart: number) => boolean,
    /**
     * Day bars are pure functions of the series, yet years of them cost seconds of CPU per instrument: with a
     * cache folder each (instrument, year) is computed once per machine and shared by every emulator process.
     */
    private readonly dayBarCache: DayBarCache | null = null,
  ) {
    for (const inst of instruments) {
      const key = (stringKey(inst.uid) ^ seed) >>> 0;
      const s: Series = {
        key,
        start: Number(inst.startNanos) / 1e9,
        step: Number(inst.stepNanos) / 1e9,
        stepNanos: inst.stepNanos,
        volatility: inst.volatility,
        anchorNoise: 0,
        lattice: new Array<number>(SCALES.length * 3).fill(NaN),
      };
      s.anchorNoise = this.noise(s, anchorMs);
      this.series.set(inst.uid, s);
      this.instruments.set(inst.uid, inst);
    }
  }

  has(uid: string): boolean {
    return this.series.has(uid);
  }

  /** Whether the market trades during the minute containing `time`. */
  isTrading(time: number): boolean {
    return this.isTradingMinute(Math.floor(time / MINUTE) * MINUTE);
  }

  /** Every trade of the minute starting at `minuteStart`, or [] outside trading hours. */
  minuteTrades(uid: string, minuteStart: number): Tick[] {
    const s = this.series.get(uid);
    if (!s || !this.isTradingMinute(minuteStart)) return [];
    return this.rawMinute(s, minuteStart).map((t) => ({ time: t.time, price: BigInt(t.ticks) * s.stepNanos, quantity: BigInt(t.quantity), direction: t.buy ? 'buy' : 'sell' }));
  }

  /**
   * What a day bar needs from a minute, from seven draws and no tick-level work: range, volume, buy volume and the
   * last trade's time. `rawMinute` continues the same draws and builds trades that add up to exactly this.
   */
  private minuteSummary(s: Series, minuteStart: number, open: number, close: number): MinuteSummary & { next: () => number } {
    const next = createRng(hash32(s.key, minuteStart / MINUTE));
    const jitter = Math.max(1, Math.round(((s.start * s.volatility * Math.sqrt(MINUTE / YEAR)) / s.step) * 0.6));
    const hi = Math.max(open, close) + Math.round(next() * jitter);
    const lo = Math.max(1, Math.min(open, close) - Math.floor(next() * jitter));
    const count = 16 + Math.floor(next() * 30);
    const baseLots = Math.max(1, Math.round(200 / Math.max(1, Math.log10(s.start + 1) * 3)));
    const volume = count + Math.floor(next() * 2.5 * baseLots * count);
    const buyTrades = 1 + Math.floor(next() * (count - 1));
    const buy = buyTrades + Math.floor(next() * (volume - count + 1));
    const lastTime = minuteStart + 59_000 + Math.floor(next() * 999);
    return { hi, lo, count, volume, buyTrades, buy, lastTime, next };
  }

  /** The minute's trades in integer ticks (numbers keep history aggregation fast; bigint only at the edge). */
  private rawMinute(s: Series, minuteStart: number): Array<{ time: number; ticks: number; quantity: number; buy: boolean }> {
    const open = this.ticksAt(s, minuteStart);
    const close = this.ticksAt(s, minuteStart + MINUTE);
    const { hi, lo, count, volume, buyTrades, buy, lastTime, next } = this.minuteSummary(s, minuteStart, open, close);
    // count − 2 distinct inner seconds (partial Fisher–Yates, so the count is exact), then 0 and 59 around them.
    const pool = SECONDS;
    for (let i = 0; i < 58; i++) pool[i] = i + 1;
    for (let i = 0; i < count - 2; i++) {
      const j = i + Math.floor(next() * (58 - i));
      const swap = pool[i] ?? 0;
      pool[i] = pool[j] ?? 0;
      pool[j] = swap;
    }
    const inner = count - 2;
    const offsets = pool.slice(0, inner).sort();
    const highAt = 1 + Math.floor(next() * inner);
    const lowAt = 1 + ((highAt + Math.floor(next() * (inner - 1))) % inner);
    // Which trades are buys: buyTrades of them, chosen the same way.
    const order = TRADES;
    for (let i = 0; i < count; i++) order[i] = i;
    for (let i = 0; i < buyTrades; i++) {
      const j = i + Math.floor(next() * (count - i));
      const swap = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = swap;
    }
    const isBuy = new Uint8Array(count);
    for (let i = 0; i < buyTrades; i++) isBuy[order[i] ?? 0] = 1;
    const buyQty = split(buy, buyTrades, next);
    const sellQty = split(volume - buy, count - buyTrades, next);
    const out: Array<{ time: number; ticks: number; quantity: number; buy: boolean }> = [];
    for (let i = 0; i < count; i++) {
      const ticks = i === 0 ? open : i === count - 1 ? close : i === highAt ? hi : i === lowAt ? lo : lo + Math.floor(next() * (hi - lo + 1));
      const second = i === 0 ? 0 : (offsets[i - 1] ?? 0);
      const time = i === count - 1 ? lastTime : minuteStart + second * 1000 + Math.floor(next() * 999);
      const b = isBuy[i] === 1;
      out.push({ time, ticks, quantity: (b ? buyQty : sellQty).pop() ?? 1, buy: b });
    }
    return out;
  }

  /** Trades with from < time ≤ to (the live feed between two ticks). */
  tradesBetween(uid: string, from: number, to: number): Tick[] {
    const out: Tick[] = [];
    for (let m = Math.floor(from / MINUTE) * MINUTE; m <= to; m += MINUTE) {
      for (const t of this.minuteTrades(uid, m)) if (t.time > from && t.time <= to) out.push(t);
    }
    return out;
  }

  /** The last trade at or before `now`, looking back up to a week (closed markets, weekends). */
  lastTrade(uid: string, now: number): Tick | undefined {
    const first = Math.floor(now / MINUTE) * MINUTE;
    for (let m = first; m > first - 7 * DAY; m -= MINUTE) {
      const ticks = this.minuteTrades(uid, m).filter((t) => t.time <= now);
      const last = ticks[ticks.length - 1];
      if (last) return last;
    }
    return undefined;
  }

  /** OHLCV of trades in [start, end) up to `now`; null when nothing traded. */
  bar(uid: string, start: number, end: number, now: number): Bar | null {
    const limit = Math.min(end, now + 1);
    if (end - start > DAY && start % DAY === 0) return this.composeDays(uid, start, end, now);
    if (end - start === DAY && end <= now) return this.completedDay(uid, start);
    const s = this.series.get(uid);
    if (!s) return null;
    let open = -1, high = 0, low = Infinity, close = 0, volume = 0, buy = 0, last = 0;
    for (let m = Math.floor(start / MINUTE) * MINUTE; m < limit; m += MINUTE) {
      if (!this.isTradingMinute(m)) continue;
      if (m >= start && m + MINUTE <= limit) {
        // A whole minute inside the window: its summary is exact, no trades needed.
        const from = this.ticksAt(s, m);
        const to = this.ticksAt(s, m + MINUTE);
        const minute = this.minuteSummary(s, m, from, to);
        if (open < 0) open = from;
        if (minute.hi > high) high = minute.hi;
        if (minute.lo < low) low = minute.lo;
        close = to;
        volume += minute.volume;
        buy += minute.buy;
        last = minute.lastTime;
        continue;
      }
      for (const t of this.rawMinute(s, m)) {
        if (t.time < start || t.time >= limit) continue;
        if (open < 0) open = t.ticks;
        if (t.ticks > high) high = t.ticks;
        if (t.ticks < low) low = t.ticks;
        close = t.ticks;
        volume += t.quantity;
        if (t.buy) buy += t.quantity;
        last = t.time;
      }
    }
    if (open < 0) return null;
    const p = (ticks: number) => BigInt(ticks) * s.stepNanos;
    return { start, end, open: p(open), high: p(high), low: p(low), close: p(close), volume: BigInt(volume), volumeBuy: BigInt(buy), volumeSell: BigInt(volume - buy), lastTradeTime: last };
  }

  /** The price every dependent view starts from: last trade, or the anchor price before any trade. */
  lastPrice(uid: string, now: number): bigint {
    const trade = this.lastTrade(uid, now);
    if (trade) return trade.price;
    const s = this.series.get(uid);
    return s ? this.priceAt(s, now) : 0n;
  }

  /** Open of the minute containing `time`: the price its first trade is made at, in O(1) (scenario histories). */
  minuteOpen(uid: string, time: number): bigint {
    const s = this.series.get(uid);
    return s ? this.priceAt(s, Math.floor(time / MINUTE) * MINUTE) : 0n;
  }

  /** Close of the last completed UTC day before `now`'s day. */
  closePrice(uid: string, now: number): { price: bigint; time: number } {
    const today = Math.floor(now / DAY) * DAY;
    for (let day = today - DAY; day > today - 15 * DAY; day -= DAY) {
      const bar = this.completedDay(uid, day);
      if (bar) return { price: bar.close, time: bar.lastTradeTime };
    }
    return { price: this.lastPrice(uid, today), time: today };
  }

  /** Order-book levels around the last price, quantities in lots; best bid < last < best ask. */
  orderBook(uid: string, now: number, depth: number): { bids: Array<[bigint, bigint]>; asks: Array<[bigint, bigint]>; last: bigint } {
    const s = this.series.get(uid);
    const last = this.lastPrice(uid, now);
    if (!s) return { bids: [], asks: [], last };
    const second = Math.floor(now / 1000);
    const bids: Array<[bigint, bigint]> = [];
    const asks: Array<[bigint, bigint]> = [];
    for (let i = 0; i < depth; i++) {
      const qty = (side: number) => BigInt(1 + Math.floor(unit(s.key, second, 20 + side, i) ** 2 * 400 * (1 + i / 5)));
      const bidPrice = last - BigInt(i + 1) * s.stepNanos;
      if (bidPrice > 0n) bids.push([bidPrice, qty(0)]);
      asks.push([last + BigInt(i + 1) * s.stepNanos, qty(1)]);
    }
    return { bids, asks, last };
  }

  private completedDay(uid: string, dayStart: number): Bar | null {
    const key = `${uid}:${dayStart}`;
    const cached = this.dayCache.get(key);
    if (cached !== undefined) return cached;
    if (this.dayBarCache && this.series.has(uid)) {
      this.loadYear(uid, new Date(dayStart).getUTCFullYear());
      const loaded = this.dayCache.get(key);
      if (loaded !== undefined) return loaded;
    }
    const bar = this.computeDay(uid, dayStart);
    if (this.dayCache.size > 50_000) {
      this.dayCache.clear();
      this.yearsLoaded.clear();
    }
    this.dayCache.set(key, bar);
    return bar;
  }

  /** Every day of a UTC year into dayCache: from the cache file, or computed and then written to it. */
  private loadYear(uid: string, year: number): void {
    const loadedKey = `${uid}:${year}`;
    if (this.yearsLoaded.has(loadedKey)) return;
    this.yearsLoaded.add(loadedKey);
    const cache = this.dayBarCache!;
    const inst = this.instruments.get(uid)!;
    const identity = [DAY_BARS_VERSION, this.seed, this.anchorMs, uid, inst.startNanos, inst.stepNanos, inst.volatility, cache.schedule, year].join('|');
    const file = path.join(cache.dir, `day-bars-${createHash('sha256').update(identity).digest('hex').slice(0, 32)}.json`);
    const start = Date.UTC(year, 0, 1);
    const end = Date.UTC(year + 1, 0, 1);
    try {
      const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as (string[] | null)[];
      if (rows.length === (end - start) / DAY) {
        rows.forEach((row, i) => this.dayCache.set(`${uid}:${start + i * DAY}`, row && fromRow(start + i * DAY, row)));
        return;
      }
    } catch {
      // Missing or unreadable: computed below.
    }
    const rows: (string[] | null)[] = [];
    for (let day = start; day < end; day += DAY) {
      const bar = this.computeDay(uid, day);
      this.dayCache.set(`${uid}:${day}`, bar);
      rows.push(bar && toRow(bar));
    }
    try {
      fs.mkdirSync(cache.dir, { recursive: true });
      // Written aside and renamed: a concurrent reader sees the whole file or none.
      const partial = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(partial, JSON.stringify(rows));
      fs.renameSync(partial, file);
    } catch {
      // A cache that cannot be written only costs time.
    }
  }

  private computeDay(uid: string, dayStart: number): Bar | null {
    const s = this.series.get(uid);
    let bar: Bar | null = null;
    if (s) {
      // Minute summaries only: a day is 1,440 of them, so years of day candles stay cheap.
      let open = -1, high = 0, low = Infinity, close = 0, volume = 0, buy = 0, last = 0;
      let from = this.ticksAt(s, dayStart);
      for (let m = dayStart; m < dayStart + DAY; m += MINUTE) {
        const to = this.ticksAt(s, m + MINUTE);
        if (this.isTradingMinute(m)) {
          const minute = this.minuteSummary(s, m, from, to);
          if (open < 0) open = from;
          if (minute.hi > high) high = minute.hi;
          if (minute.lo < low) low = minute.lo;
          close = to;
          volume += minute.volume;
          buy += minute.buy;
          last = minute.lastTime;
        }
        from = to;
      }
      if (open >= 0) {
        const p = (ticks: number) => BigInt(ticks) * s.stepNanos;
        bar = { start: dayStart, end: dayStart + DAY, open: p(open), high: p(high), low: p(low), close: p(close), volume: BigInt(volume), volumeBuy: BigInt(buy), volumeSell: BigInt(volume - buy), lastTradeTime: last };
      }
    }
    return bar;
  }

  private composeDays(uid: string, start: number, end: number, now: number): Bar | null {
    let bar: Bar | null = null;
    for (let day = start; day < end && day <= now; day += DAY) {
      const part: Bar | null = day + DAY <= now ? this.completedDay(uid, day) : this.bar(uid, day, day + DAY, now);
      if (!part) continue;
      bar = mergeBars(bar, part, start, end);
    }
    return bar;
  }

  private priceAt(s: Series, time: number): bigint {
    return BigInt(this.ticksAt(s, time)) * s.stepNanos;
  }

  private ticksAt(s: Series, time: number): number {
    return Math.max(1, Math.round((s.start * Math.exp(this.noise(s, time) - s.anchorNoise)) / s.step));
  }

  private noise(s: Series, time: number): number {
    let sum = 0;
    for (let i = 0; i < SCALES.length; i++) {
      const scale = SCALES[i] ?? MINUTE;
      const position = time / scale;
      const k = Math.floor(position);
      const f = position - k;
      const smooth = f * f * (3 - 2 * f);
      // Lattice values change rarely at coarse scales: remember the last pair per scale.
      if (s.lattice[i * 3] !== k) {
        s.lattice[i * 3] = k;
        s.lattice[i * 3 + 1] = unit(s.key, this.seed, i, k) * 2 - 1;
        s.lattice[i * 3 + 2] = unit(s.key, this.seed, i, k + 1) * 2 - 1;
      }
      const a = s.lattice[i * 3 + 1] ?? 0;
      const b = s.lattice[i * 3 + 2] ?? 0;
      sum += (a + (b - a) * smooth) * s.volatility * Math.sqrt(scale / YEAR) * 1.2;
    }
    return sum;
  }
}

function mergeBars(sum: Bar | null, part: Bar, start: number, end: number): Bar {
  if (!sum) return { ...part, start, end };
  return {
    ...sum,
    high: part.high > sum.high ? part.high : sum.high,
    low: part.low < sum.low ? part.low : sum.low,
    close: part.close,
    volume: sum.volume + part.volume,
    volumeBuy: sum.volumeBuy + part.volumeBuy,
    volumeSell: sum.volumeSell + part.volumeSell,
    lastTradeTime: part.lastTradeTime,
  };
}

/** MOEX-like hours: weekdays 07:00–23:50 MSK (04:00–20:50 UTC). */
export function moexTradingMinute(minuteStart: number): boolean {
  const d = new Date(minuteStart);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
  return minutes >= 4 * 60 && minutes < 20 * 60 + 50;
}

