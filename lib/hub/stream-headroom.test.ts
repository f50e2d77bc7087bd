// The token's MarketDataStream budget keeps headroom: topics only one person watches may use three
// quarters of it; the last quarter is for topics several people watch (the pages everyone uses).
import { describe, expect, it } from 'vitest';
import { createHub } from './create-hub';
import type { HubEvent } from './dto';
import { createFakeUpstreams } from './fake-upstreams';
import { createManualClock } from './manual-clock';

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

function setup(streamLimit: number) {
  const clock = createManualClock();
  const fakes = createFakeUpstreams({ streamLimit });
  const hub = createHub({ ...fakes, clock, random: () => 0.5, graceMs: 1000, batchMs: 10, maxSubscriptionsPerStream: 10, epoch: 'e1' });
  const tick = async (ms = 10) => {
    clock.advance(ms);
    await settle();
  };
  return { fakes, hub, tick };
}

const uids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `lastPrice:${prefix}${i}`);

describe('stream budget headroom', () => {
  it("one person's long topic list takes three quarters of a 16-stream budget, never the rest", async () => {
    const { fakes, hub, tick } = setup(16);
    const events: HubEvent[] = [];
    hub.subscribe('greedy', 'tok', uids('g', 200), (event) => events.push(event));
    await tick();
    expect(fakes.market).toHaveLength(12);
    const waiting = events.filter((event) => event.kind === 'error' && event.code === 'limit');
    expect(waiting).toHaveLength(200 - 12 * 10);
    expect(waiting[0]).toMatchObject({ retrying: true });
  });

  it('topics several people watch use the reserve, also when the second person arrives after the topic waited', async () => {
    const { fakes, hub, tick } = setup(4);
    hub.subscribe('greedy', 'tok', uids('g', 40), () => {});
    await tick();
    expect(fakes.market).toHaveLength(3);
    // The overview's instruments: watched by two people, so the last stream of the budget opens for them.
    hub.subscribe('ann', 'tok', ['lastPrice:sber', 'lastPrice:g35'], () => {});
    hub.subscribe('bob', 'tok', ['lastPrice:sber'], () => {});
    await tick();
    expect(fakes.market).toHaveLength(4);
    expect(fakes.market[3]!.active()).toEqual(new Set(['last_price:sber', 'last_price:g35']));
    expect(hub.metrics().tokens.tok!.topics['lastPrice:g36']!.state).toBe('limit');
  });

  it('small budgets keep every stream usable: 1 to 3 streams reserve nothing', async () => {
    const { fakes, hub, tick } = setup(3);
    hub.subscribe('solo', 'tok', uids('s', 30), () => {});
    await tick();
    expect(fakes.market).toHaveLength(3);
  });
});
