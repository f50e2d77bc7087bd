// The scenario loader names the bad field of a malformed scenario, and the default one is valid and stable.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDefaultScenario } from './default-scenario';
import { loadScenarioFile, parseScenario, ScenarioError, type Scenario } from './scenario';

const AT = new Date('2026-01-15T12:00:00Z');

function mutated(change: (s: Scenario) => void): Scenario {
  const s = buildDefaultScenario(AT);
  change(s);
  return s;
}

describe('T-API scenario', () => {
  it('accepts the default scenario: an ООО with 4 accounts, an ИП, tokens for every case', () => {
    const s = parseScenario(buildDefaultScenario(AT));
    expect(s.companies.map((c) => c.opf)).toEqual(['ООО', 'ИП']);
    expect(s.accounts.filter((a) => a.company === 'severnaya')).toHaveLength(4);
    expect(s.tokens.map((t) => t.label)).toEqual(['tapi-full-access', 'tapi-statements', 'tapi-wrong-ip', 'tapi-expired', 'tapi-sole-trader']);
  });

  it('is deterministic for a day', () => {
    expect(JSON.stringify(buildDefaultScenario(AT))).toBe(JSON.stringify(buildDefaultScenario(new Date('2026-01-15T23:59:00Z'))));
  });

  it.each([
    ['too many IPs', (s: Scenario) => void (s.tokens[0]!.allowedIps = Array.from({ length: 10 }, (_, i) => `10.0.0.${i + 1}`)), /tokens\.0\.allowedIps: at most 9 addresses/],
    ['an IP range', (s: Scenario) => void (s.tokens[0]!.allowedIps = ['10.0.0.0/24']), /tokens\.0\.allowedIps\.0: an IPv4 or IPv6 address/],
    ['a short INN', (s: Scenario) => void (s.companies[0]!.inn = '77051'), /companies\.0\.inn: 10 digits/],
    ['an unknown account type', (s: Scenario) => void ((s.accounts[0] as { accountType: string }).accountType = 'Savings'), /accounts\.0\.accountType/],
    ['an amount with three decimals', (s: Scenario) => void (s.accounts[0]!.openingBalance = '1.005'), /accounts\.0\.openingBalance: a decimal string/],
    ['an unknown company', (s: Scenario) => void (s.tokens[1]!.company = 'ghost'), /tokens\.1\.company: unknown company "ghost"/],
    ['an access of another company', (s: Scenario) => void (s.tokens[0]!.accesses = ['opensme/inn/[7710140679]/kpp/[771301001]/bank-accounts/get']), /tokens\.0\.accesses\.0: .* names another company/],
    ['a malformed access', (s: Scenario) => void (s.tokens[0]!.accesses = ['opensme/bank-accounts/get']), /tokens\.0\.accesses\.0: .* is not of the form/],
    ['an organisation without KPP', (s: Scenario) => void delete s.companies[0]!.kpp, /companies\.0\.kpp: required for an organisation/],
    ['a yuan statement without a rate', (s: Scenario) => void delete s.accounts[3]!.rubRate, /accounts\.3\.rubRate: required/],
    ['a card on a foreign account', (s: Scenario) => void (s.cards![0]!.accountNumber = '40802810110000765432'), /cards\.0\.accountNumber: .* is not an account of company/],
    ['a duplicate token', (s: Scenario) => void (s.tokens[1]!.value = s.tokens[0]!.value), /tokens\.1\.value: duplicate token value/],
  ])('names the field: %s', (_name, change, message) => {
    expect(() => parseScenario(mutated(change))).toThrow(ScenarioError);
    expect(() => parseScenario(mutated(change))).toThrow(message);
  });

  it('accepts short access forms and completes them with the company', () => {
    expect(() => parseScenario(mutated((s) => void (s.tokens[0]!.accesses = ['bank-statements/get'])))).not.toThrow();
  });

  it('reports a file that is unreadable, not JSON or invalid, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapi-scenario-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ nope');
    expect(() => loadScenarioFile(file)).toThrow(/not valid JSON/);
    writeFileSync(file, JSON.stringify(mutated((s) => void (s.seed = 1.5))));
    expect(() => loadScenarioFile(file)).toThrow(new RegExp(`scenario file ${file} is invalid:\\n  seed:`));
    expect(() => loadScenarioFile(join(dir, 'missing.json'))).toThrow(/cannot read scenario file/);
  });
});
