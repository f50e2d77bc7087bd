'use client';
// Candles with lightweight-charts (TradingView's attribution logo stays on, as its licence asks,
// plus a visible link). Switching interval fetches /api/instruments/[uid]/candles; the last bar
// follows the `candles:<uid>:<interval>` topic live. Candles stay as the exchange quotes them (bonds in %
// of nominal), drawn with the instrument's price step.
import { CandlestickSeries, createChart, type CandlestickData, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useFormatter, useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { cn } from '@/lib/cn';
import { quoteDigits } from '@/lib/money';
import type { CandleRange, CandlesDto, HistoricCandleDto, PriceUnit } from '@/lib/portfolio/dto';
import { focusRing } from '../ui/button';
import { useLiveTopic } from '../live';

const INTERVALS: CandleRange[] = ['1m', '5m', '15m', '1h', '1d'];

// The chart draws with floats; exact values stay in the DTOs and tables.
function toBar(candle: { at: string | null; open: string; high: string; low: string; close: string }): CandlestickData<UTCTimestamp> | null {
  if (!candle.at) return null;
  return { time: Math.floor(Date.parse(candle.at) / 1000) as UTCTimestamp, open: Number(candle.open), high: Number(candle.high), low: Number(candle.low), close: Number(candle.close) };
}

function toBars(candles: HistoricCandleDto[]): CandlestickData<UTCTimestamp>[] {
  return candles.map(toBar).filter((bar): bar is CandlestickData<UTCTimestamp> => bar !== null);
}

export function InstrumentChart({ uid, tokenId, initial, unit }: { uid: string; tokenId: string; initial: CandlesDto; unit: PriceUnit }) {
  const t = useTranslations('instrument');
  const format = useFormatter();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const [interval, setInterval] = useState<CandleRange>(initial.interval);
  const [candles, setCandles] = useState<HistoricCandleDto[]>(initial.candles);
  const [state, setState] = useState<'ready' | 'loading' | 'failed'>('ready');
  const live = useLiveTopic(`candles:${uid}:${interval}`);

  useEffect(() => {
    if (!box.current) return;
    const api = createChart(box.current, {
      autoSize: true,
      layout: { attributionLogo: true, background: { color: '#ffffff' }, textColor: '#334155' },
      grid: { vertLines: { color: '#f1f5f9' }, horzLines: { color: '#f1f5f9' } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    chart.current = api;
    series.current = api.addSeries(CandlestickSeries, { upColor: '#047857', downColor: '#b91c1c', borderVisible: false, wickUpColor: '#047857', wickDownColor: '#b91c1c' });
    return () => {
      api.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  // Floats only for drawing; the axis shows as many digits as the price step has, bonds with a percent sign.
  const precision = quoteDigits(unit);
  const suffix = unit.kind === 'percent' ? '%' : '';
  const minMove = Number(unit.increment) || 0.01;
  useEffect(() => {
    series.current?.applyOptions({ priceFormat: { type: 'custom', minMove, formatter: (price: number) => `${price.toFixed(precision)}${suffix}` } });
  }, [precision, suffix, minMove]);

  useEffect(() => {
    series.current?.setData(toBars(candles));
    chart.current?.timeScale().fitContent();
  }, [candles]);

  useEffect(() => {
    const payload = live.value;
    if (payload?.type !== 'candle' || !series.current) return;
    const bar = toBar(payload);
    const last = series.current.data().at(-1);
    // update() refuses bars older than the last one; a late tick is simply dropped.
    if (bar && (!last || (last.time as number) <= bar.time)) series.current.update(bar);
  }, [live.value]);

  function summary(shown: HistoricCandleDto[]): string {
    const dated = shown.filter((candle) => candle.at);
    const first = dated[0];
    const last = dated.at(-1);
    if (!first || !last) return t('noCandles');
    const when = (at: string) => format.dateTime(new Date(at), { dateStyle: 'medium', timeStyle: 'short' });
    const close = `${Number(last.close).toFixed(precision)}${suffix}`;
    return t('chartSummary', { interval: t(`intervals.${interval}`), count: dated.length, from: when(first.at!), to: when(last.at!), close });
  }

  async function choose(next: CandleRange) {
    if (next === interval) return;
    setInterval(next);
    setState('loading');
    try {
      const response = await fetch(`/api/instruments/${uid}/candles?interval=${next}&token=${tokenId}`, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(String(response.status));
      const body = (await response.json()) as CandlesDto;
      setCandles(body.candles);
      setState('ready');
    } catch {
      setState('failed');
    }
  }

  return (
    <div>
      <div role="group" aria-label={t('interval')} className="flex flex-wrap gap-1">
        {INTERVALS.map((option) => (
          <button
            key={option}
            type="button"
            aria-pressed={option === interval}
            onClick={() => void choose(option)}
            className={cn('rounded-md px-3 py-1 text-sm', option === interval ? 'bg-slate-900 text-white' : 'border border-slate-300 text-slate-800 hover:bg-slate-100', focusRing)}
          >
            {t(`intervals.${option}`)}
          </button>
        ))}
      </div>
      <p aria-live="polite" className="mt-2 min-h-5 text-sm text-slate-600">
        {state === 'loading' ? t('chartLoading') : state === 'failed' ? t('chartFailed') : candles.length === 0 ? t('noCandles') : ''}
      </p>
      <figure aria-label={t('chart')}>
        {/* The drawing is for eyes; this line says the same for screen readers. */}
        <figcaption className="sr-only" data-testid="chart-summary">
          {summary(candles)}
        </figcaption>
        <div ref={box} data-testid="candles-chart" data-candles={candles.length} className="h-80 w-full" />
      </figure>
      <p className="mt-2 text-xs text-slate-500">
        <a href="https://www.tradingview.com/" target="_blank" rel="noopener noreferrer" className={`underline ${focusRing}`}>
          {t('attribution')}
        </a>
      </p>
    </div>
  );
}
