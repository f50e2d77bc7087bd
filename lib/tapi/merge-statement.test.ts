import { describe, expect, it } from 'vitest';
import type { TapiOperationDto } from './dto';
import { mergeStatement } from './merge-statement';

function operation(overrides: Partial<TapiOperationDto> & Pick<TapiOperationDto, 'operationId'>): TapiOperationDto {
  return {
    operationDate: '2026-03-02T10:00:00Z',
    status: 'transaction',
    accountNumber: '40802810800000977213',
    direction: 'debit',
    accountAmount: { amount: '1500.5', currency: 'RUB' },
    operationAmount: null,
    rubleAmount: null,
    category: 'cardOperation',
    documentNumber: '77',
    description: null,
    payPurpose: null,
    authorizationDate: null,
    trxnPostDate: null,
    counterparty: { name: 'Shop', inn: '7700000001', kpp: null, account: null, bankName: null, bankBic: null, corrAccount: null },
    cardNumber: null,
    mcc: null,
    ...overrides,
  };
}

describe('mergeStatement', () => {
  it('updates an operation that moved Authorization → Transaction under the same id, keeping its key', () => {
    const seen = mergeStatement([], [operation({ operationId: 'op-1', status: 'authorization', operationDate: '2026-03-01T21:00:00Z' })]);
    const merged = mergeStatement(seen, [operation({ operationId: 'op-1', status: 'transaction', operationDate: '2026-03-03T00:00:00Z' })]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ key: 'op-1', operationId: 'op-1', status: 'transaction', operationDate: '2026-03-03T00:00:00Z' });
  });

  it('keeps the key when the operationId changes (a 22:00–03:00 operation), matching by content', () => {
    const seen = mergeStatement([], [operation({ operationId: 'night-auth', status: 'authorization', operationDate: '2026-03-01T20:30:00Z', authorizationDate: '2026-03-01T20:30:00Z' })]);
    const merged = mergeStatement(seen, [operation({ operationId: 'night-trx', status: 'transaction', operationDate: '2026-03-04T00:00:00Z', authorizationDate: '2026-03-01T20:30:00Z' })]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ key: 'night-auth', operationId: 'night-trx', status: 'transaction' });
  });

  it('matches a renamed operation to the closest of two identical-looking ones', () => {
    const seen = mergeStatement([], [operation({ operationId: 'a', operationDate: '2026-03-01T10:00:00Z' }), operation({ operationId: 'b', operationDate: '2026-03-03T10:00:00Z' })]);
    const merged = mergeStatement(seen, [operation({ operationId: 'a', operationDate: '2026-03-01T10:00:00Z' }), operation({ operationId: 'b2', operationDate: '2026-03-03T12:00:00Z' })]);
    expect(merged.map((entry) => [entry.key, entry.operationId])).toEqual([
      ['b', 'b2'],
      ['a', 'a'],
    ]);
  });

  it.each([
    ['amount', { accountAmount: { amount: '1500.51', currency: 'RUB' } }],
    ['direction', { direction: 'credit' as const }],
    ['document number', { documentNumber: '78' }],
    ['counterparty', { counterparty: { name: 'Other', inn: '7700000002', kpp: null, account: null, bankName: null, bankBic: null, corrAccount: null } }],
    ['account', { accountNumber: '40802810800000000000' }],
    ['date far apart', { operationDate: '2026-03-20T10:00:00Z' }],
  ])('does not merge operations that differ in %s', (_label, change) => {
    const seen = mergeStatement([], [operation({ operationId: 'old' })]);
    const merged = mergeStatement(seen, [operation({ operationId: 'new', ...change })]);
    expect(merged.map((entry) => entry.key).sort()).toEqual(['new', 'old']);
  });

  it('never lets a content match steal an entry whose id is still reported', () => {
    const seen = mergeStatement([], [operation({ operationId: 'x' })]);
    const merged = mergeStatement(seen, [operation({ operationId: 'x' }), operation({ operationId: 'y' })]);
    expect(merged.map((entry) => entry.key).sort()).toEqual(['x', 'y']);
  });

  it('drops duplicates within a poll and is idempotent', () => {
    const fresh = [operation({ operationId: 'p' }), operation({ operationId: 'p' }), operation({ operationId: 'q', operationDate: '2026-03-02T11:00:00Z' })];
    const once = mergeStatement([], fresh);
    expect(once.map((entry) => entry.key)).toEqual(['q', 'p']);
    expect(mergeStatement(once, fresh)).toEqual(once);
  });

  it('keeps older entries outside the polled window and drops vanished ones inside it', () => {
    const seen = mergeStatement([], [operation({ operationId: 'outside', operationDate: '2026-02-01T10:00:00Z', documentNumber: '1' }), operation({ operationId: 'cancelled', status: 'authorization', documentNumber: '2' })]);
    const window = { from: '2026-03-01T00:00:00Z', to: '2026-03-05T00:00:00Z' };
    expect(mergeStatement(seen, [], { window }).map((entry) => entry.key)).toEqual(['outside']);
    expect(mergeStatement(seen, []).map((entry) => entry.key).sort()).toEqual(['cancelled', 'outside']);
  });

  it('orders newest first, ties by key', () => {
    const merged = mergeStatement([], [operation({ operationId: 'b', documentNumber: '1' }), operation({ operationId: 'a', documentNumber: '2' }), operation({ operationId: 'c', operationDate: '2026-03-03T00:00:00Z' })]);
    expect(merged.map((entry) => entry.key)).toEqual(['c', 'a', 'b']);
  });
});
