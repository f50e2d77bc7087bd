'use client';
// An account total that follows its `portfolio:<tokenId>:<accountId>` topic once the stream sends one.
import { useLiveTopic } from '../live';
import { Money } from './format';

export function LivePortfolioValue({ topic, initial, field = 'total' }: { topic: string; initial: { amount: string; currency: string } | null; field?: 'total' | 'daily' }) {
  const { value } = useLiveTopic(topic);
  const live = value?.type === 'portfolio' ? (field === 'total' ? value.portfolio.totals.portfolio : value.portfolio.dailyYield) : null;
  const money = live ?? initial;
  return (
    <span data-live-topic={topic}>
      <Money amount={money?.amount} currency={money?.currency} signed={field === 'daily'} />
    </span>
  );
}
