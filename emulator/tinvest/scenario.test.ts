// The scenario loader names the bad field of a malformed file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDefaultScenario } from './default-scenario';
import { loadScenarioFile, parseScenario, ScenarioError } from './scenario';

describe('scenario', () => {
  it('accepts the default scenario with 20+ instruments and every token kind', () => {
    const s = parseScenario(buildDefaultScenario(new Date('2026-01-15T12:00:00Z')));
    expect(s.instruments.length).toBeGreaterThanOrEqual(20);
    expect(new Set(s.tokens.map((t) => t.kind))).toEqual(new Set(['readonly', 'full-access', 'account-scoped', 'sandbox']));
  });

  it('is deterministic', () => {
    const at = new Date('2026-01-15T12:00:00Z');
    expect(JSON.stringify(buildDefaultScenario(at))).toBe(JSON.stringify(buildDefaultScenario(at)));
  });

  it('names the bad field of a malformed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    const bad = buildDefaultScenario();
    const token = bad.tokens[0];
    if (token) (token as { kind: string }).kind = 'superuser';
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    expect(() => loadScenarioFile(file)).toThrow(ScenarioError);
    expect(() => loadScenarioFile(file)).toThrow(/tokens\.0\.kind/);
    writeFileSync(file, '{ nope');
    expect(() => loadScenarioFile(file)).toThrow(/not valid JSON/);
  });

  it('rejects dangling references', () => {
    const bad = buildDefaultScenario();
    const account = bad.accounts[0];
    if (account) account.userId = 'ghost';
    expect(() => parseScenario(bad)).toThrow(/accounts\.0\.userId: unknown user "ghost"/);
  });

  it('keeps futures faithful: quoted in points with a step value, never held as priced positions', () => {
    const s = buildDefaultScenario();
    const future = s.instruments.find((i) => i.kind === 'futures')!;
    expect(future.future?.incrementAmount).toBe('7.53');
    const noStepValue = buildDefaultScenario();
    delete noStepValue.instruments.find((i) => i.kind === 'futures')!.future;
    expect(() => parseScenario(noStepValue)).toThrow(/future: required for kind "futures"/);
    const held = buildDefaultScenario();
    held.accounts[0]!.positions!.push({ instrument: future.uid, quantity: 1, averagePrice: '112340' });
    expect(() => parseScenario(held)).toThrow(/futures positions are not modelled/);
  });
});
