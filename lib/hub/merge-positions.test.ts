import { describe, expect, it } from 'vitest';
import type { PositionsChangeDto, PositionsDto, SecurityBalanceDto } from '@/lib/tinvest/dto';
import { mergePositions, nextTopicValue, positionsSignature } from './merge-positions';

const money = (amount: string, currency = 'RUB') => ({ amount, currency });
const balance = (instrumentUid: string, units: string, blocked = '0', positionUid = `p-${instrumentUid}`): SecurityBalanceDto => ({ instrumentUid, positionUid, figi: '', ticker: '', classCode: '', instrumentType: 'share', balance: units, blocked });
const base: PositionsDto = { accountId: 'a', money: [money('100'), money('0', 'USD')], blocked: [money('5')], securities: [balance('s1', '10'), balance('s2', '3')], futures: [], options: [], limitsLoadingInProgress: false };
const change = (c: Partial<PositionsChangeDto>): PositionsChangeDto => ({ accountId: 'a', at: null, money: [], securities: [], futures: [], options: [], ...c });

describe('mergePositions', () => {
  it('replaces changed entries with their new values, keeps the rest, and leaves the input alone', () => {
    const snapshot = structuredClone(base);
    const next = mergePositions(base, change({ money: [{ available: money('99.999999999'), blocked: money('0') }], securities: [balance('s2', '4', '1')] }));
    expect(next).toEqual({ ...base, money: [money('99.999999999'), money('0', 'USD')], blocked: [], securities: [balance('s1', '10'), balance('s2', '4', '1')] });
    expect(base).toEqual(snapshot);
  });

  it('drops a balance that went to zero, adds a new one, and lists a new currency only when it holds something', () => {
    const next = mergePositions(
      base,
      change({
        money: [{ available: money('0', 'EUR'), blocked: null }, { available: money('1', 'CNY'), blocked: money('2', 'CNY') }, { available: money('0', 'USD'), blocked: null }],
        securities: [balance('s1', '0', '0'), balance('s3', '1')],
        futures: [balance('', '2', '0', 'fut-1')],
      }),
    );
    expect(next.money).toEqual([money('100'), money('0', 'USD'), money('1', 'CNY')]);
    expect(next.blocked).toEqual([money('5'), money('2', 'CNY')]);
    expect(next.securities).toEqual([balance('s2', '3'), balance('s3', '1')]);
    expect(mergePositions(next, change({ futures: [balance('', '0', '0', 'fut-1')] })).futures).toEqual([]);
  });
});

describe('nextTopicValue', () => {
  it('folds changes into held positions, and lets a later snapshot replace them rather than merge', () => {
    const held = nextTopicValue(undefined, { type: 'initial_positions', positions: base });
    const changed = nextTopicValue(held, { type: 'position', change: change({ securities: [balance('s1', '12')] }) });
    expect(changed).toEqual({ type: 'initial_positions', positions: { ...base, securities: [balance('s1', '12'), balance('s2', '3')] } });
    const snapshot: PositionsDto = { ...base, money: [money('1')], blocked: [], securities: [balance('s9', '1')] };
    expect(nextTopicValue(changed, { type: 'initial_positions', positions: snapshot })).toEqual({ type: 'initial_positions', positions: snapshot });
    // A change with nothing to fold into stays what it is.
    const lone = { type: 'position' as const, change: change({ securities: [balance('s1', '1')] }) };
    expect(nextTopicValue(undefined, lone)).toBe(lone);
  });
});

describe('positionsSignature', () => {
  it('ignores order, zero cash and number spelling, and changes with any balance', () => {
    const reordered: PositionsDto = { ...base, money: [money('100.000'), money('0', 'USD')].reverse(), securities: [...base.securities].reverse() };
    expect(positionsSignature(reordered)).toBe(positionsSignature(base));
    expect(positionsSignature({ ...base, money: [money('100')] })).toBe(positionsSignature(base));
    const traded = mergePositions(base, change({ securities: [balance('s1', '30')] }));
    expect(positionsSignature(traded)).not.toBe(positionsSignature(base));
    expect(positionsSignature(mergePositions(base, change({ securities: [balance('s2', '3', '1')] })))).not.toBe(positionsSignature(base));
    expect(positionsSignature(mergePositions(base, change({ money: [{ available: money('99'), blocked: money('5') }] })))).not.toBe(positionsSignature(base));
  });

  it('stays 16 hex digits however many positions, and tells a thousand one-lot steps apart', () => {
    const many = (lots: number) => ({ ...base, securities: Array.from({ length: 200 }, (_, i) => balance(`uid-${i}`, String(i === 7 ? lots : 1))) });
    expect(positionsSignature(many(1))).toMatch(/^[0-9a-f]{16}$/);
    const seen = new Set(Array.from({ length: 1000 }, (_, lots) => positionsSignature(many(lots))));
    expect(seen.size).toBe(1000);
  });
});
