// The generated statement: O(1) time → index lookups agree with brute force, and sizes are exact.
import { describe, expect, it } from 'vitest';
import { AccountLedger, toMajor, toMinor } from './account-ledger';
import { counterpartyPool } from './counterparties';
import { buildDefaultScenario, DEMO_TAPI_ACCOUNTS } from './default-scenario';
import { statementPage } from './responses';
import { parseScenario } from './scenario';
import { World } from './world';

const AT = new Date('2026-01-15T12:00:00Z');

describe('AccountLedger', () => {
  const scenario = parseScenario(buildDefaultScenario(AT));
  const company = scenario.companies[0]!;

  it.each([0.4, 20, 900, 40_000])('maps a moment to the first operation at or after it, at %s a day', (perDay) => {
    const account = { ...scenario.accounts[0]!, statement: { from: '2025-12-01T00:00:00Z', perDay } };
    const ledger = new AccountLedger(account, company, scenario.seed, counterpartyPool(scenario.seed), undefined);
    const n = Math.min(3000, Math.ceil(perDay * 40));
    const times = Array.from({ length: n }, (_, i) => ledger.time(i));
    for (let i = 1; i < n; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    for (let k = 0; k < 200; k++) {
      const t = times[0]! + Math.floor((k / 200) * (times[n - 1]! - times[0]!));
      const expected = times.findIndex((x) => x >= t);
      expect(ledger.firstAtOrAfter(t)).toBe(expected);
    }
  });

  it('builds a benchmark account with exactly the asked number of operations', () => {
    const world = new World(parseScenario(buildDefaultScenario(AT, { largeStatement: 100_000 })));
    const ledger = world.ledgers.get(DEMO_TAPI_ACCOUNTS.large)!;
    // The account ends today at 00:00 UTC, so a later clock adds nothing.
    expect(ledger.countAt(AT.getTime())).toBe(100_000);
    expect(ledger.countAt(AT.getTime() + 30 * 86_400_000)).toBe(100_000);
  });

  it('pages a 30 000-operation benchmark account in 6 pages with no duplicates or gaps', () => {
    const world = new World(parseScenario(buildDefaultScenario(AT, { largeStatement: 30_000 })));
    const ids = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = statementPage(world, { accountNumber: DEMO_TAPI_ACCOUNTS.large, from: 0, to: undefined, cursor, limit: 5000, withBalances: false, operationStatus: 'All' }, AT.getTime());
      if (!page.ok) throw new Error(JSON.stringify(page.problems));
      for (const op of page.value.operations as { operationId: string }[]) ids.add(op.operationId);
      cursor = page.value.nextCursor as string | undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(6);
    expect(ids.size).toBe(30_000);
  });

  it('is the same operation for the same (seed, account, index)', () => {
    const a = new World(scenario).ledgers.get(DEMO_TAPI_ACCOUNTS.main)!;
    const b = new World(parseScenario(buildDefaultScenario(AT))).ledgers.get(DEMO_TAPI_ACCOUNTS.main)!;
    expect(JSON.stringify(a.operation(1234, AT.getTime()))).toBe(JSON.stringify(b.operation(1234, AT.getTime())));
  });

  it('converts amounts exactly', () => {
    expect(toMinor('987654321.09')).toBe(98_765_432_109);
    expect(toMajor(98_765_432_109)).toBe(987654321.09);
    expect(JSON.stringify(toMajor(123_456))).toBe('1234.56');
    expect(toMinor('-0.5')).toBe(-50);
    expect(toMinor('12')).toBe(1200);
  });
});
