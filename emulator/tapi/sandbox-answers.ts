// The sandbox's canned answers: [DOC] a request that matches the contract gets the same answer whatever
// its input. They come from a small fixed world, frozen at one moment, so their shapes match production's.
import { SANDBOX_TOKEN } from './contract';
import { bankAccountBody, cardsBody, companyBody, statementPage } from './responses';
import { parseScenario, type Scenario } from './scenario';
import { World } from './world';

const FROZEN_AT = Date.parse('2025-04-15T12:00:00Z');
const ACCOUNT = '40702810910000000001';

const SANDBOX_SCENARIO: Scenario = {
  name: 'sandbox',
  seed: 1,
  companies: [
    {
      id: 'sandbox',
      name: 'ООО "ТЕСТОВАЯ КОМПАНИЯ"',
      fullName: 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ТЕСТОВАЯ КОМПАНИЯ"',
      city: 'Москва',
      address: '127287, г. Москва, ул. Хуторская 2-я, д. 38А, стр. 26',
      registrationDate: '2010-08-03',
      inn: '7700000008',
      kpp: '770001001',
      ogrn: '1107700000008',
      bank: { bankName: 'АО "ТБанк"', bankBic: '044525974', bankInn: '7710140679', corrAccount: '30101810145250000974' },
    },
  ],
  accounts: [
    {
      accountNumber: ACCOUNT,
      company: 'sandbox',
      name: 'Основной',
      currency: '643',
      accountType: 'Current',
      activationDate: '2010-08-03',
      mainFlag: 'Y',
      openingBalance: '45089',
      statement: { from: '2025-04-01T00:00:00Z', perDay: 2, until: '2025-04-04T00:00:00Z' },
    },
  ],
  cards: [{ ucid: '100000001', company: 'sandbox', accountNumber: ACCOUNT, cardNumber: '220070******0001', holderName: 'IVAN IVANOV', expiryDate: '2027-01' }],
  tokens: [{ value: SANDBOX_TOKEN, label: 'sandbox', company: 'sandbox', accesses: [], allowedIps: ['127.0.0.1'], issuedAt: '2025-01-01T00:00:00Z' }],
};

export interface SandboxAnswers {
  company: unknown;
  bankAccounts: unknown;
  statement: unknown;
  card: unknown;
}

/** The four canned bodies, computed once. */
export function sandboxAnswers(): SandboxAnswers {
  const world = new World(parseScenario(SANDBOX_SCENARIO, 'sandbox scenario'));
  const company = world.companies.get('sandbox')!;
  const page = statementPage(world, { accountNumber: ACCOUNT, from: Date.parse('2025-04-01T00:00:00Z'), to: undefined, cursor: undefined, limit: 1000, withBalances: true, operationStatus: 'All' }, FROZEN_AT);
  return {
    company: companyBody(company),
    bankAccounts: world.accountsOf('sandbox').map((a) => bankAccountBody(world, a, FROZEN_AT)),
    statement: page.ok ? page.value : { operations: [] },
    card: cardsBody(world.cardsOf('sandbox'), 1000),
  };
}
