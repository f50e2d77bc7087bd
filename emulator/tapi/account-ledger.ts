// One account's generated statement. Operation i is a pure function of (seed, account, i), and times grow
// with i, so a period maps to an index range in O(1) and 100 000 operations cost nothing until a page asks.
import { CATEGORIES, changesIdAtTransaction, CYRILLIC_CREDIT, CYRILLIC_CREDIT_SHARE, SETTLE_DAYS } from './contract';
import { TAX_TREASURY, TBANK, type CounterpartyPool, type Party } from './counterparties';
import type { ScenarioAccount, ScenarioCompany } from './scenario';
import { stringKey } from '../tinvest/rng';

const DAY = 86_400_000;

/** A 32-bit hash of (account key, operation index, salt): three fixed arguments, so no array per call. */
function hash32(key: number, i: number, salt: number): number {
  let h = Math.imul(key ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(salt + 0x27d4eb2f, 0x165667b1);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function unit(key: number, i: number, salt: number): number {
  return hash32(key, i, salt) / 4294967296;
}

type Kind =
  | 'incomeLegal'
  | 'incomePeople'
  | 'acquiring'
  | 'supplier'
  | 'card'
  | 'fee'
  | 'salary'
  | 'tax'
  | 'taxTopUp'
  | 'transferIn'
  | 'transferOut'
  | 'interest'
  | 'currencyIncome'
  | 'currencySale';

/** Share of each kind and its amount range in major units (log-uniform), by account profile. */
type Mix = [kind: Kind, share: number, min: number, max: number][];

const CURRENT: Mix = [
  ['incomeLegal', 0.3, 5_000, 800_000],
  ['acquiring', 0.1, 10_000, 400_000],
  ['incomePeople', 0.1, 500, 50_000],
  ['supplier', 0.18, 3_000, 1_500_000],
  ['card', 0.2, 150, 60_000],
  ['fee', 0.06, 50, 3_000],
  ['salary', 0.03, 50_000, 600_000],
  ['tax', 0.03, 1_000, 400_000],
];
const TAX: Mix = [
  ['taxTopUp', 0.5, 1_000, 400_000],
  ['tax', 0.5, 1_000, 380_000],
];
const SAVINGS: Mix = [
  ['transferIn', 0.3, 10_000, 5_000_000],
  ['transferOut', 0.2, 10_000, 3_000_000],
  ['interest', 0.5, 10, 20_000],
];
const CURRENCY: Mix = [
  ['currencyIncome', 0.5, 100, 50_000],
  ['currencySale', 0.35, 100, 30_000],
  ['fee', 0.15, 1, 50],
];
const CREDITS = new Set<Kind>(['incomeLegal', 'incomePeople', 'acquiring', 'taxTopUp', 'transferIn', 'interest', 'currencyIncome']);

interface Core {
  kind: Kind;
  /** Minor units (kopecks, cents), signed: credit > 0. */
  minor: number;
  /** When an authorization settles; null = a Transaction from the start. */
  settlesAt: number | null;
}

export interface StatementBalances {
  balanceBegin: number;
  balanceEnd: number;
  credit: number;
  debit: number;
}

/** An amount in minor units as the JSON number T-API sends (roubles with kopecks). */
export function toMajor(minor: number): number {
  return Math.round(minor) / 100;
}

/** A decimal string ("1234.56") in minor units, exactly. */
export function toMinor(decimal: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(decimal);
  if (!match) throw new Error(`not an amount: ${decimal}`);
  const minor = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -minor : minor;
}

function uuid(key: number, i: number, salt: number): string {
  const hex = [0, 1, 2, 3].map((k) => hash32(key, i, salt * 4 + k).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function iso(ms: number): string {
  // Whole seconds, as T-API writes them ("2025-04-01T05:16:52Z").
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

interface PartyWire {
  acct: string;
  inn: string;
  kpp: string;
  name: string;
  bicRu: string;
  bankName: string;
  corAcct: string;
}

function partyWire(p: Party): PartyWire {
  return { acct: p.account, inn: p.inn, kpp: p.kpp, name: p.name, bicRu: p.bankBic, bankName: p.bankName, corAcct: p.corrAccount };
}

function counterPartyWire(p: Party) {
  return {
    account: p.account,
    inn: p.inn,
    kpp: p.kpp,
    name: p.name,
    bankName: p.bankName,
    bankBic: p.bankBic,
    corrAccount: p.corrAccount,
    ...(p.bankSwiftCode ? { bankSwiftCode: p.bankSwiftCode } : {}),
  };
}

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** The generated operations of one account, their statuses at a moment, and the balances they make. */
export class AccountLedger {
  private readonly key: number;
  private readonly start: number;
  private readonly interval: number;
  private readonly cap: number;
  private readonly mix: Mix;
  private readonly own: Party;
  private readonly rubRateE4: number;

  constructor(
    readonly account: ScenarioAccount,
    private readonly company: ScenarioCompany,
    private readonly seed: number,
    private readonly pool: CounterpartyPool,
    /** Another account of the company in the same currency, for transfers between own accounts. */
    private readonly sibling: ScenarioAccount | undefined,
  ) {
    this.key = stringKey(account.accountNumber) ^ seed;
    const statement = account.statement;
    this.start = statement ? Date.parse(statement.from) : 0;
    this.interval = statement ? DAY / statement.perDay : Infinity;
    this.cap = statement?.until ? this.rawFirstAtOrAfter(Date.parse(statement.until)) : statement ? Number.MAX_SAFE_INTEGER : 0;
    this.mix = account.currency !== '643' ? CURRENCY : account.accountType === 'Tax' ? TAX : account.accountType === 'Current' ? CURRENT : SAVINGS;
    this.own = {
      name: company.name,
      inn: company.inn,
      kpp: company.kpp ?? '',
      account: account.accountNumber,
      bankName: company.bank.bankName,
      bankBic: account.bankBik,
      corrAccount: company.bank.corrAccount,
    };
    this.rubRateE4 = account.rubRate ? Math.round(Number(account.rubRate) * 10_000) : 10_000;
  }

  /** When operation i happened (whole seconds, non-decreasing in i). */
  time(i: number): number {
    const offset = Math.floor((i + unit(this.key, i, 1) * 0.999) * this.interval);
    return this.start + Math.floor(offset / 1000) * 1000;
  }

  private rawFirstAtOrAfter(t: number): number {
    if (!Number.isFinite(this.interval)) return 0;
    let k = Math.max(0, Math.floor((t - this.start) / this.interval) - 1);
    while (k > 0 && this.time(k - 1) >= t) k--;
    while (this.time(k) < t) k++;
    return k;
  }

  /** The first operation index at or after t (capped at the statement's end). */
  firstAtOrAfter(t: number): number {
    return Math.min(this.rawFirstAtOrAfter(t), this.cap);
  }

  /** How many operations exist at `now`: operation i exists once its time has come. */
  countAt(now: number): number {
    return this.firstAtOrAfter(now + 1);
  }

  private core(i: number): Core {
    const pickUnit = unit(this.key, i, 2);
    let acc = 0;
    let chosen = this.mix[this.mix.length - 1]!;
    for (const entry of this.mix) {
      acc += entry[1];
      if (pickUnit < acc) {
        chosen = entry;
        break;
      }
    }
    const [kind, , min, max] = chosen;
    const major = Math.exp(Math.log(min) + unit(this.key, i, 3) * (Math.log(max) - Math.log(min)));
    // About a third of amounts are whole (invoices often are), the rest carry kopecks.
    const minor = unit(this.key, i, 4) < 0.35 ? Math.round(major) * 100 : Math.round(major * 100);
    const settlesAt = kind === 'card' ? this.time(i) + Math.floor((SETTLE_DAYS.min + unit(this.key, i, 5) * (SETTLE_DAYS.max - SETTLE_DAYS.min)) * DAY) : null;
    return { kind, minor: CREDITS.has(kind) ? minor : -minor, settlesAt };
  }

  /** The status of operation i at `now`. */
  status(i: number, now: number): 'Authorization' | 'Transaction' {
    const { settlesAt } = this.core(i);
    return settlesAt !== null && now < settlesAt ? 'Authorization' : 'Transaction';
  }

  /** Statement sums over [from, to) and the book balance and holds, in minor units, as of `now` (O(operations)). */
  sums(now: number, from = -Infinity, to = Infinity): { begin: number; credit: number; debit: number; end: number; balance: number; authorized: number } {
    const opening = toMinor(this.account.openingBalance);
    const count = this.countAt(now);
    let before = 0;
    let credit = 0;
    let debit = 0;
    let after = 0;
    let authorized = 0;
    for (let i = 0; i < count; i++) {
      const { minor, settlesAt } = this.core(i);
      // An authorization holds money but is not on the books yet.
      if (settlesAt !== null && now < settlesAt) {
        if (minor < 0) authorized -= minor;
        continue;
      }
      const t = this.time(i);
      if (t < from) before += minor;
      else if (t >= to) after += minor;
      else if (minor > 0) credit += minor;
      else debit -= minor;
    }
    const begin = opening + before;
    const end = begin + credit - debit;
    return { begin, credit, debit, end, balance: end + after, authorized };
  }

  /** The statement's `balances` block [?]: balanceBegin at `from`, balanceEnd at `to`, and the turnover between. */
  statementBalances(now: number, from: number, to: number): StatementBalances {
    const s = this.sums(now, from, to);
    return { balanceBegin: toMajor(s.begin), balanceEnd: toMajor(s.end), credit: toMajor(s.credit), debit: toMajor(s.debit) };
  }

  /**
   * Operation i as /api/v1/statement returns it, at `now` (fields per tapi.md §2.3). Our choices [?]: only card
   * purchases pass through Authorization; settling keeps operationDate (so it lands in an already-polled
   * past) and sets trxnPostDate, drawDate and chargeDate to the settlement time.
   */
  operation(i: number, now: number): Record<string, unknown> {
    const { kind, minor, settlesAt } = this.core(i);
    const at = this.time(i);
    const status = settlesAt !== null && now < settlesAt ? 'Authorization' : 'Transaction';
    const credit = minor > 0;
    const abs = Math.abs(minor);
    // [DOC] an operation made 22:00–03:00 Moscow time may get a new id when it becomes a Transaction.
    const renumbered = settlesAt !== null && status === 'Transaction' && changesIdAtTransaction(new Date(at));
    const operationId = uuid(this.key, i, renumbered ? 77 : 7);
    const cyrillic = credit && unit(this.key, i, 6) < CYRILLIC_CREDIT_SHARE;
    const currency = this.account.currency;
    const rubleMinor = currency === '643' ? abs : Math.round((abs * this.rubRateE4) / 10_000);
    const party = this.counterparty(kind, i);
    const payer = credit ? party : this.own;
    const receiver = credit ? this.own : party;
    const documentNumber = String(1 + (hash32(this.key, i, 8) % 99_999));
    const posted = status === 'Transaction' ? (settlesAt ?? at) : null;
    const { payVo, vo } = kind === 'fee' || kind === 'acquiring' || kind === 'interest' || kind === 'card' ? { payVo: 'bank-order', vo: '17' } : { payVo: 'payment-order', vo: '01' };
    const op: Record<string, unknown> = {
      operationId,
      operationDate: iso(at),
      operationStatus: status,
      accountNumber: this.account.accountNumber,
      bic: this.account.bankBik,
      typeOfOperation: credit ? (cyrillic ? CYRILLIC_CREDIT : 'Credit') : 'Debit',
      category: CATEGORY_OF[kind],
      ...(posted !== null ? { trxnPostDate: iso(posted), drawDate: iso(posted), chargeDate: iso(posted) } : {}),
      ...(settlesAt !== null ? { authorizationDate: iso(at) } : {}),
      docDate: iso(at - (at % DAY)),
      documentNumber,
      payVo,
      vo,
      priority: 5,
      operationAmount: toMajor(abs),
      operationCurrencyDigitalCode: currency,
      accountAmount: toMajor(abs),
      accountCurrencyDigitalCode: currency,
      rubleAmount: toMajor(rubleMinor),
      description: this.description(kind, party),
      payPurpose: this.purpose(kind, i, at, abs),
      payer: partyWire(payer),
      receiver: partyWire(receiver),
      counterParty: counterPartyWire(party),
    };
    if (kind === 'card') {
      const merchant = this.pool.merchants[hash32(this.key, i, 9) % this.pool.merchants.length]!;
      Object.assign(op, {
        authCode: String(100_000 + (hash32(this.key, i, 10) % 900_000)),
        rrn: String(hash32(this.key, i, 11)).padStart(12, '4'),
        cardNumber: `220070******${String(hash32(this.key, i, 12) % 10_000).padStart(4, '0')}`,
        mcc: merchant.mcc,
        merch: { name: merchant.name, city: merchant.city, country: merchant.country },
      });
    }
    if (kind === 'tax') {
      const month = new Date(at).getUTCMonth();
      Object.assign(op, {
        tax: {
          kbk: '18201061201010000510',
          oktmo: '45000000',
          payerStatus: '01',
          evidence: '0',
          period: '0',
          nalType: '',
          docNumber: '0',
          docDate: '0',
          uin: '0',
          thirdPartyInn: '',
          thirdPartyKpp: '',
        },
        payPurpose: `Единый налоговый платеж за ${MONTHS[month]} ${new Date(at).getUTCFullYear()} г. НДС не облагается`,
      });
    }
    return op;
  }

  private counterparty(kind: Kind, i: number): Party {
    const h = hash32(this.key, i, 13);
    switch (kind) {
      case 'incomeLegal':
      case 'supplier':
        return this.pool.organisations[h % this.pool.organisations.length]!;
      case 'incomePeople':
      case 'salary':
        return this.pool.people[h % this.pool.people.length]!;
      case 'currencyIncome':
        return this.pool.foreign[h % this.pool.foreign.length]!;
      case 'tax':
        return TAX_TREASURY;
      case 'taxTopUp':
      case 'transferIn':
      case 'transferOut':
        return { ...this.own, account: this.sibling?.accountNumber ?? this.account.accountNumber };
      default:
        return TBANK;
    }
  }

  private description(kind: Kind, party: Party): string {
    const text: Record<Kind, string> = {
      incomeLegal: `Поступление от ${party.name}`,
      incomePeople: 'Поступление по СБП от физического лица',
      acquiring: 'Возмещение по операциям эквайринга',
      supplier: `Оплата ${party.name}`,
      card: 'Операция по карте',
      fee: 'Комиссия банка',
      salary: 'Перечисление заработной платы',
      tax: 'Уплата налога',
      taxTopUp: 'Перевод между своими счетами',
      transferIn: 'Перевод между своими счетами',
      transferOut: 'Перевод между своими счетами',
      interest: 'Проценты на остаток',
      currencyIncome: `Поступление от ${party.name}`,
      currencySale: 'Продажа валюты',
    };
    return text[kind];
  }

  private purpose(kind: Kind, i: number, at: number, minor: number): string {
    const invoice = 1 + (hash32(this.key, i, 14) % 9_999);
    const date = new Date(at).toISOString().slice(0, 10).split('-').reverse().join('.');
    const vat = Math.round((minor * 20) / 120) / 100;
    switch (kind) {
      case 'incomeLegal':
      case 'supplier':
        return `Оплата по счету № ${invoice} от ${date}. В том числе НДС 20% - ${vat.toFixed(2)} рублей`;
      case 'incomePeople':
        return `Оплата заказа № ${invoice}`;
      case 'acquiring':
        return `Перевод средств по договору № ${7_000_000 + (invoice % 1000)} по Реестру Операций от ${date}. Без НДС`;
      case 'card':
        return 'Оплата товаров и услуг по карте';
      case 'fee':
        return 'Комиссия за обслуживание счета. Без НДС';
      case 'salary':
        return `Заработная плата за ${MONTHS[new Date(at).getUTCMonth()]}. НДФЛ удержан. Без НДС`;
      case 'interest':
        return 'Выплата процентов на остаток по счету. Без НДС';
      case 'currencyIncome':
        return `Payment under contract No. ${invoice} for goods`;
      case 'currencySale':
        return 'Продажа иностранной валюты. Без НДС';
      default:
        return 'Перевод собственных средств. Без НДС';
    }
  }
}

const CATEGORY_OF: Record<Kind, string> = {
  incomeLegal: CATEGORIES.incomeLegal,
  incomePeople: CATEGORIES.incomePeople,
  acquiring: CATEGORIES.acquiring,
  supplier: CATEGORIES.supplier,
  card: CATEGORIES.card,
  fee: CATEGORIES.fee,
  salary: CATEGORIES.salary,
  tax: CATEGORIES.tax,
  taxTopUp: CATEGORIES.selfTransfer,
  transferIn: CATEGORIES.selfTransfer,
  transferOut: CATEGORIES.selfTransfer,
  interest: CATEGORIES.interest,
  currencyIncome: CATEGORIES.incomeLegal,
  currencySale: CATEGORIES.currencySale,
};
