// Fictional counterparties for generated operations: organisations with valid INN and account check digits,
// people, merchants and the fixed parties (T-Bank itself, the tax treasury).
import { createRng } from '../tinvest/rng';

export interface Party {
  name: string;
  inn: string;
  kpp: string;
  account: string;
  bankName: string;
  bankBic: string;
  corrAccount: string;
  bankSwiftCode?: string;
}

export interface Merchant {
  name: string;
  city: string;
  country: string;
  mcc: string;
}

interface Bank {
  bankName: string;
  bankBic: string;
  corrAccount: string;
}

// Public requisites of large Russian banks, so the generated statements look like real ones.
const BANKS: Bank[] = [
  { bankName: 'ПАО Сбербанк', bankBic: '044525225', corrAccount: '30101810400000000225' },
  { bankName: 'Банк ВТБ (ПАО)', bankBic: '044525187', corrAccount: '30101810700000000187' },
  { bankName: 'АО "АЛЬФА-БАНК"', bankBic: '044525593', corrAccount: '30101810200000000593' },
  { bankName: 'АО "ТБанк"', bankBic: '044525974', corrAccount: '30101810145250000974' },
];

/** T-Bank as a party: acquiring settlements and fees come from or go to it (tapi.md §2.3 example). */
export const TBANK: Party = {
  name: 'АО "ТБанк"',
  inn: '7710140679',
  kpp: '771301001',
  account: '30233810400007059951',
  bankName: 'АО "ТБанк"',
  bankBic: '044525974',
  corrAccount: '30101810145250000974',
};

/** The treasury account that receives the single tax payment (ЕНП). */
export const TAX_TREASURY: Party = {
  name: 'Казначейство России (ФНС России)',
  inn: '7727406020',
  kpp: '770801001',
  account: '03100643000000018500',
  bankName: 'ОКЦ № 2 ГУ Банка России по ЦФО//УФК по г. Москве г. Москва',
  bankBic: '004525987',
  corrAccount: '40102810545370000003',
};

const FORMS = ['ООО', 'АО', 'ООО', 'ООО', 'ИП'];
const FIRST = ['Северный', 'Городской', 'Первый', 'Новый', 'Объединённый', 'Центральный', 'Уральский', 'Волжский', 'Балтийский', 'Сибирский'];
const SECOND = ['Логистик', 'Текстиль', 'Проект', 'Снаб', 'Сервис', 'Торг', 'Поставка', 'Строй', 'Маркет', 'Софт'];
const SURNAMES = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Новиков', 'Морозов', 'Волков'];
const NAMES = ['Алексей', 'Мария', 'Дмитрий', 'Анна', 'Сергей', 'Елена', 'Игорь', 'Ольга', 'Павел', 'Наталья'];
const PATRONYMICS = ['Андреевич', 'Сергеевна', 'Петрович', 'Игоревна', 'Олегович', 'Викторовна', 'Николаевич', 'Павловна', 'Юрьевич', 'Алексеевна'];
const FOREIGN = ['Shenzhen Bright Trading Co., Ltd.', 'Guangzhou Everest Import Ltd.', 'Yiwu Silk Road Commerce Co.', 'Almaty Steppe Logistics LLP', 'Minsk Amber Export LLC'];
const MERCHANTS: Merchant[] = [
  { name: 'YANDEX.TAXI', city: 'MOSCOW', country: 'RUS', mcc: '4121' },
  { name: 'OZON.RU', city: 'MOSCOW', country: 'RUS', mcc: '5399' },
  { name: 'AZS LUKOIL', city: 'MOSCOW', country: 'RUS', mcc: '5541' },
  { name: 'VKUSVILL', city: 'MOSCOW', country: 'RUS', mcc: '5411' },
  { name: 'AEROFLOT', city: 'MOSCOW', country: 'RUS', mcc: '3011' },
  { name: 'BELKA CAR', city: 'MOSCOW', country: 'RUS', mcc: '7512' },
  { name: 'OFFICEMAG', city: 'MOSCOW', country: 'RUS', mcc: '5111' },
];

/** A 10-digit organisation INN with a correct check digit. */
export function organisationInn(next: () => number): string {
  const body = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(next() * 9) : Math.floor(next() * 10)));
  const weights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (body.reduce((sum, d, i) => sum + d * (weights[i] ?? 0), 0) % 11) % 10;
  return [...body, check].join('');
}

/** A 20-digit account number whose control key (9th digit) is valid for the given BIC. */
export function accountNumber(prefix: string, bic: string, next: () => number): string {
  const digits = (prefix + Array.from({ length: 20 - prefix.length }, () => Math.floor(next() * 10)).join('')).split('').map(Number);
  digits[8] = 0;
  const all = [...bic.slice(-3).split('').map(Number), ...digits];
  const weights = [7, 1, 3];
  const sum = all.reduce((s, d, i) => s + ((d * (weights[i % 3] ?? 0)) % 10), 0);
  digits[8] = ((sum % 10) * 3) % 10;
  return digits.join('');
}

export interface CounterpartyPool {
  organisations: Party[];
  people: Party[];
  foreign: Party[];
  merchants: Merchant[];
}

/** A deterministic pool of counterparties for one seed. */
export function counterpartyPool(seed: number): CounterpartyPool {
  const next = createRng(seed ^ 0x0c0ffee);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const organisations = Array.from({ length: 40 }, (): Party => {
    const bank = pick(BANKS);
    const form = pick(FORMS);
    const name = form === 'ИП' ? `ИП ${pick(SURNAMES)} ${pick(NAMES)[0]}. ${pick(PATRONYMICS)[0]}.` : `${form} "${pick(FIRST)} ${pick(SECOND)}"`;
    const inn = organisationInn(next);
    return { name, inn, kpp: form === 'ИП' ? '' : `${inn.slice(0, 4)}01001`, account: accountNumber(form === 'ИП' ? '40802810' : '40702810', bank.bankBic, next), ...bank };
  });
  const people = Array.from({ length: 30 }, (): Party => {
    const bank = pick(BANKS);
    return { name: `${pick(SURNAMES)} ${pick(NAMES)} ${pick(PATRONYMICS)}`, inn: '', kpp: '', account: accountNumber('40817810', bank.bankBic, next), ...bank };
  });
  const foreign = FOREIGN.map((name, i): Party => ({
    name,
    inn: '',
    kpp: '',
    account: `CN${String(7_000_000_000 + i * 13_579).padStart(18, '0')}`,
    bankName: 'BANK OF CHINA LIMITED',
    bankBic: '',
    corrAccount: '',
    bankSwiftCode: 'BKCHCNBJ',
  }));
  return { organisations, people, foreign, merchants: MERCHANTS };
}
