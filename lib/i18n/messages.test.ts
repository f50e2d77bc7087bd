// Both languages carry the same keys, every message is valid ICU, and Russian is really Russian.
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { LOCALES } from './locales';
import { MESSAGES } from './messages';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value]] : Object.entries(flatten(value, `${prefix}${key}.`)))),
  );
}

const en = flatten(MESSAGES.en as unknown as Tree);
const ru = flatten(MESSAGES.ru as unknown as Tree);
// Values for every placeholder any message uses; dates where a message formats one.
const SAMPLE = { digest: '1234567', actor: 'anna@example.test', name: 'Anna', email: 'anna@example.test', role: 'Admin', count: 3, min: 10, max: 256, minutes: 5, inviter: 'Olga', by: 'Olga', date: '1 Jan 2030', until: '1 Jan 2030, 12:00', expires: new Date('2030-01-01T12:00:00Z'), requestId: 'req-1', label: 'Main', state: 'paused', status: 'expired', endpoint: 'sandbox', address: '"x:1"', accounts: '2000001', seconds: 30, setting: 'TINVEST_CA_FILE', code: '40003', trackingId: 'tr-1', text: 'authentication token is missing or invalid', host: 'attacker.example', access: 'opensme/inn/[{inn}]/kpp/[{kpp}]/bank-accounts/get', ip: '10.0.0.0/8', template: 'opensme/inn/7701234567/kpp/0/bank-accounts/get', inn: '7701234567', works: 2, addresses: '203.0.113.7', from: '1 Jan 2030', kpp: '770101001', fields: 'from, to', number: 1, id: '2000001', methods: 12, groups: 3, streams: 2, limit: 100, account: '40702810900000000001', price: 'RUB 310.25', interval: '1 day', to: '2 Jan 2030', close: '91.08%', total: 'RUB 9,307.50', commission: 'RUB 27.92', instance: '1a2b-3c4d5e6f', leading: 2, since: '1 Jan 2030, 12:00', message: 'A day is YYYY-MM-DD.', start: 'RUB 1,000.00', end: 'RUB 1,100.00', flows: 'RUB 50.00', ticker: 'IMOEX', query: 'NOSUCHINDEX', quantity: '2' };

// The income and costs charts' sentences.
const CHART_SAMPLE = { currency: 'RUB', months: 12, gross: 'RUB 1,000.00', net: 'RUB 870.00', fees: 'RUB 27.92', taxes: 'RUB 130.00', largest: 'March 2030', largestTotal: 'RUB 500.00', names: 'Broker, IIS' };

describe('messages', () => {
  it('have the same keys in every language', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(LOCALES)('format without errors in %s', (locale) => {
    const problems: string[] = [];
    const t = createTranslator({ locale, messages: MESSAGES[locale], timeZone: 'UTC', onError: (error) => problems.push(error.message) });
    for (const key of Object.keys(en)) expect(typeof t(key as never, { ...SAMPLE, ...CHART_SAMPLE } as never)).toBe('string');
    expect(problems).toEqual([]);
  });

  it('are translated into Russian, not copied', () => {
    const untranslated = Object.keys(en).filter((key) => key !== 'app.name' && !/[А-Яа-яЁё]/.test(ru[key]!));
    expect(untranslated).toEqual([]);
  });

  it('pluralise minutes in Russian', () => {
    const t = createTranslator({ locale: 'ru', messages: MESSAGES.ru, namespace: 'errors' });
    expect(t('signInLocked', { minutes: 1 })).toContain('1 минуту');
    expect(t('signInLocked', { minutes: 3 })).toContain('3 минуты');
    expect(t('signInLocked', { minutes: 15 })).toContain('15 минут');
  });
});
