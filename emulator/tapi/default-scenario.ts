// The built-in T-API demo world: an ООО with four accounts and half a year of operations, an ИП, and
// tokens for every case a client must handle. Dated relative to the current day, so a day's runs agree.
import { createRng } from '../tinvest/rng';
import type { Scenario } from './scenario';

const SEED = 20_251_205;
const DAY = 86_400_000;

function tokenValue(next: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return `t.${Array.from({ length: 86 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')}`;
}

const tokenRng = createRng(SEED ^ 0x7a91);

/** Token values of the default scenario, by role. */
export const DEMO_TAPI_TOKENS = {
  /** All four accesses; calls allowed from 127.0.0.1 and ::1. */
  fullAccess: tokenValue(tokenRng),
  /** bank-accounts/get and bank-statements/get only: no company-info, no card/get. */
  statements: tokenValue(tokenRng),
  /** Full access, but its allowlist lacks the loopback addresses: every local call gets the IP 403. */
  wrongIp: tokenValue(tokenRng),
  /** Full access, last used 120 days ago: 401. */
  expired: tokenValue(tokenRng),
  /** The ИП's token (access strings with kpp 0). */
  soleTrader: tokenValue(tokenRng),
} as const;

/** The demo companies' requisites. */
export const DEMO_TAPI_COMPANY = { id: 'severnaya', inn: '7705123452', kpp: '770501001' } as const;
export const DEMO_TAPI_SOLE_TRADER = { id: 'ip-volkov', inn: '772012345670', kpp: '0' } as const;

/** Account numbers of the default scenario. */
export const DEMO_TAPI_ACCOUNTS = {
  main: '40702810210000123456',
  tax: '40702810510000123457',
  overnight: '40702810810000123458',
  yuan: '40702156010000123459',
  yuanTransit: '40702156210000923459',
  soleTrader: '40802810110000765432',
  /** Present only with `largeStatement`. */
  large: '40702810310000999001',
} as const;

const TBANK_REQUISITES = {
  bankName: 'АО "ТБанк"',
  bankAddress: '127287, г. Москва, ул. Хуторская 2-я, д. 38А, стр. 26',
  bankBic: '044525974',
  bankInn: '7710140679',
  corrAccount: '30101810145250000974',
};

const ALL_ACCESSES = ['company-info/get', 'bank-accounts/get', 'bank-statements/get', 'card/get'];

export interface DefaultScenarioOptions {
  /** Benchmarks: add an account with exactly this many operations over the last 180 days. */
  largeStatement?: number;
}

/** The default scenario as of `now` (history ends today; the clock decides which operations exist). */
export function buildDefaultScenario(now: Date = new Date(), options: DefaultScenarioOptions = {}): Scenario {
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const at = (daysAgo: number) => new Date(today - daysAgo * DAY).toISOString();
  const history = at(183);
  const { id, inn, kpp } = DEMO_TAPI_COMPANY;
  const accesses = ALL_ACCESSES.map((a) => `opensme/inn/[${inn}]/kpp/[${kpp}]/${a}`);
  const scenario: Scenario = {
    name: 'demo',
    seed: SEED,
    companies: [
      {
        id,
        name: 'ООО "СЕВЕРНАЯ МАНУФАКТУРА"',
        fullName: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "СЕВЕРНАЯ МАНУФАКТУРА"',
        opf: 'ООО',
        city: 'Москва',
        address: '125047, г. Москва, ул. Лесная, д. 5, офис 412',
        registrationDate: '2017-03-14',
        inn,
        kpp,
        ogrn: '1177746123455',
        foreignName: 'Severnaya Manufaktura LLC',
        bank: TBANK_REQUISITES,
      },
      {
        id: DEMO_TAPI_SOLE_TRADER.id,
        name: 'ИП Волков Павел Игоревич',
        fullName: 'Индивидуальный предприниматель Волков Павел Игоревич',
        opf: 'ИП',
        city: 'Москва',
        address: '117418, г. Москва, Нахимовский пр-т, д. 24',
        registrationDate: '2021-09-01',
        inn: DEMO_TAPI_SOLE_TRADER.inn,
        ogrn: '321774600123451',
        bank: TBANK_REQUISITES,
      },
    ],
    accounts: [
      {
        accountNumber: DEMO_TAPI_ACCOUNTS.main,
        company: id,
        name: 'Основной счёт',
        currency: '643',
        accountType: 'Current',
        activationDate: '2017-03-20',
        tariffName: 'Продвинутый',
        tariffCode: 'TSB_ADVANCED',
        mainFlag: 'Y',
        openingBalance: '18450230.75',
        overdraft: '500000',
        pendingPayments: '1234.56',
        statement: { from: history, perDay: 20 },
      },
      {
        accountNumber: DEMO_TAPI_ACCOUNTS.tax,
        company: id,
        name: 'Налоговая копилка',
        currency: '643',
        accountType: 'Tax',
        activationDate: '2023-01-10',
        openingBalance: '250000',
        statement: { from: history, perDay: 0.4 },
      },
      {
        accountNumber: DEMO_TAPI_ACCOUNTS.overnight,
        company: id,
        name: 'Овернайт',
        currency: '643',
        accountType: 'Overnight',
        activationDate: '2022-06-01',
        // No statement: its balance stays exactly this large kopeck amount.
        openingBalance: '987654321.09',
      },
      {
        accountNumber: DEMO_TAPI_ACCOUNTS.yuan,
        company: id,
        name: 'Валютный счёт CNY',
        currency: '156',
        accountType: 'Current',
        activationDate: '2023-04-03',
        openingBalance: '350000',
        transitAccount: { accountNumber: DEMO_TAPI_ACCOUNTS.yuanTransit, balance: '1234.56' },
        rubRate: '11.0825',
        statement: { from: history, perDay: 1.5 },
      },
      {
        accountNumber: DEMO_TAPI_ACCOUNTS.soleTrader,
        company: DEMO_TAPI_SOLE_TRADER.id,
        name: 'Расчётный счёт',
        currency: '643',
        accountType: 'Current',
        activationDate: '2021-09-03',
        mainFlag: 'Y',
        openingBalance: '412000',
        statement: { from: history, perDay: 3 },
      },
    ],
    cards: [
      { ucid: '1000101', company: id, accountNumber: DEMO_TAPI_ACCOUNTS.main, cardNumber: '220070******4417', holderName: 'PAVEL SOKOLOV', expiryDate: '2028-09', paymentSystem: 'MIR' },
      { ucid: '1000102', company: id, accountNumber: DEMO_TAPI_ACCOUNTS.main, cardNumber: '220070******8120', holderName: 'ELENA MOROZOVA', expiryDate: '2027-03', paymentSystem: 'MIR' },
      { ucid: '1000103', company: id, accountNumber: DEMO_TAPI_ACCOUNTS.main, cardNumber: '220070******0356', holderName: 'SEVERNAYA MANUFAKTURA', expiryDate: '2026-12', paymentSystem: 'MIR', isVirtual: true },
      { ucid: '1000104', company: id, accountNumber: DEMO_TAPI_ACCOUNTS.main, cardNumber: '220070******7702', holderName: 'IGOR LEBEDEV', status: 'blocked', expiryDate: '2026-05', paymentSystem: 'MIR' },
    ],
    tokens: [
      { value: DEMO_TAPI_TOKENS.fullAccess, label: 'tapi-full-access', company: id, accesses, allowedIps: ['127.0.0.1', '::1'], issuedAt: at(40), lastUsedAt: at(1) },
      {
        value: DEMO_TAPI_TOKENS.statements,
        label: 'tapi-statements',
        company: id,
        accesses: [`opensme/inn/[${inn}]/kpp/[${kpp}]/bank-accounts/get`, `opensme/inn/[${inn}]/kpp/[${kpp}]/bank-statements/get`],
        allowedIps: ['127.0.0.1', '::1'],
        issuedAt: at(20),
      },
      { value: DEMO_TAPI_TOKENS.wrongIp, label: 'tapi-wrong-ip', company: id, accesses, allowedIps: ['203.0.113.10', '2001:db8::10'], issuedAt: at(10) },
      { value: DEMO_TAPI_TOKENS.expired, label: 'tapi-expired', company: id, accesses, allowedIps: ['127.0.0.1', '::1'], issuedAt: at(200), lastUsedAt: at(120) },
      {
        value: DEMO_TAPI_TOKENS.soleTrader,
        label: 'tapi-sole-trader',
        company: DEMO_TAPI_SOLE_TRADER.id,
        accesses: ALL_ACCESSES.map((a) => `opensme/inn/[${DEMO_TAPI_SOLE_TRADER.inn}]/kpp/[0]/${a}`),
        allowedIps: ['127.0.0.1', '::1'],
        issuedAt: at(60),
        lastUsedAt: at(3),
      },
    ],
  };
  if (options.largeStatement) {
    scenario.accounts.push({
      accountNumber: DEMO_TAPI_ACCOUNTS.large,
      company: id,
      name: 'Бенчмарк',
      currency: '643',
      accountType: 'Current',
      activationDate: '2020-01-01',
      openingBalance: '100000000',
      // Exactly `largeStatement` operations in the 180 days before today.
      statement: { from: at(180), perDay: options.largeStatement / 180, until: at(0) },
    });
  }
  return scenario;
}
