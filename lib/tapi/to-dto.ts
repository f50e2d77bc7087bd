// T-API JSON (read losslessly) → DTOs. Field names per research/tapi.md §2; optional fields may be
// missing or null; a required one missing or of the wrong type is a ShapeError. Pure.
import { decimalToNanos, nanosToDecimal } from '@/lib/money';
import type * as dto from './dto';
import { JsonNumber, jsonNumberToDecimal, type JsonObject, type JsonValue } from './read-json';

/** The answer does not have the shape the contract promises; `path` says where. */
export class ShapeError extends Error {
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path}: expected ${expected}`);
    this.name = 'ShapeError';
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}

function objectAt(value: JsonValue | undefined, path: string): JsonObject {
  if (!isObject(value)) throw new ShapeError(path, 'an object');
  return value;
}

function optionalObject(value: JsonValue | undefined, path: string): JsonObject | null {
  return value === undefined || value === null ? null : objectAt(value, path);
}

function arrayAt(value: JsonValue | undefined, path: string): JsonValue[] {
  if (!Array.isArray(value)) throw new ShapeError(path, 'an array');
  return value;
}

/** A string field; numbers are accepted as their text (INNs and codes are sometimes sent unquoted). */
function optionalString(object: JsonObject, key: string, path: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.text;
  throw new ShapeError(`${path}.${key}`, 'a string');
}

function requiredString(object: JsonObject, key: string, path: string): string {
  const value = optionalString(object, key, path);
  if (value === null || value === '') throw new ShapeError(`${path}.${key}`, 'a non-empty string');
  return value;
}

/** An amount: a JSON number read exactly (a numeric string is tolerated), canonical per lib/money. */
function optionalDecimal(object: JsonObject, key: string, path: string): dto.Decimal | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  const text = value instanceof JsonNumber ? value.text : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined) throw new ShapeError(`${path}.${key}`, 'a number');
  try {
    return nanosToDecimal(decimalToNanos(jsonNumberToDecimal(text)));
  } catch {
    throw new ShapeError(`${path}.${key}`, 'a decimal with at most 9 fraction digits');
  }
}

function requiredDecimal(object: JsonObject, key: string, path: string): dto.Decimal {
  const value = optionalDecimal(object, key, path);
  if (value === null) throw new ShapeError(`${path}.${key}`, 'a number');
  return value;
}

function optionalBoolean(object: JsonObject, key: string): boolean | null {
  const value = object[key];
  if (value === true || value === 'Y' || value === 'true') return true;
  if (value === false || value === 'N' || value === 'false') return false;
  return null;
}

const LETTER_CODE: Record<string, string> = {
  '643': 'RUB', '840': 'USD', '978': 'EUR', '156': 'CNY', '826': 'GBP', '756': 'CHF', '392': 'JPY', '344': 'HKD',
  '398': 'KZT', '933': 'BYN', '949': 'TRY', '784': 'AED', '051': 'AMD', '860': 'UZS', '417': 'KGS', '972': 'TJS',
};

/** T-API sends numeric OKV codes (`"643"`); letters are what lib/money formats. */
export function currencyOf(code: string): string {
  const trimmed = code.trim();
  if (/^[A-Za-z]{3}$/.test(trimmed)) return trimmed.toUpperCase();
  return LETTER_CODE[trimmed.padStart(3, '0')] ?? trimmed;
}

/** GET /api/v1/company. */
export function toCompanyDto(value: JsonValue): dto.TapiCompanyDto {
  const root = objectAt(value, 'company');
  const requisites = optionalObject(root.requisites, 'company.requisites') ?? root;
  const bank = optionalObject(root.bank, 'company.bank');
  return {
    name: requiredString(root, 'name', 'company'),
    fullName: optionalString(requisites, 'fullName', 'company.requisites'),
    inn: requiredString(requisites, 'inn', 'company.requisites'),
    kpp: optionalString(requisites, 'kpp', 'company.requisites') || null,
    ogrn: optionalString(requisites, 'ogrn', 'company.requisites'),
    city: optionalString(root, 'city', 'company'),
    address: optionalString(requisites, 'address', 'company.requisites'),
    registrationDate: optionalString(root, 'registrationDate', 'company'),
    opf: optionalString(root, 'opf', 'company'),
    bank: bank
      ? { name: optionalString(bank, 'bankName', 'company.bank'), bic: optionalString(bank, 'bankBic', 'company.bank'), corrAccount: optionalString(bank, 'corrAccount', 'company.bank') }
      : null,
  };
}

function toBalance(object: JsonObject, path: string): dto.TapiAccountBalanceDto {
  return {
    available: requiredDecimal(object, 'otb', path),
    authorized: optionalDecimal(object, 'authorized', path),
    pendingPayments: optionalDecimal(object, 'pendingPayments', path),
    pendingRequisitions: optionalDecimal(object, 'pendingRequisitions', path),
    book: optionalDecimal(object, 'balance', path),
    realAvailable: optionalDecimal(object, 'realOtb', path),
  };
}

/** GET /api/v4/bank-accounts: a JSON array of accounts. */
export function toAccountDtos(value: JsonValue): dto.TapiAccountDto[] {
  return arrayAt(value, 'accounts').map((item, index) => {
    const path = `accounts[${index}]`;
    const account = objectAt(item, path);
    const balance = optionalObject(account.balance, `${path}.balance`);
    const transit = optionalObject(account.transitAccount, `${path}.transitAccount`);
    return {
      accountNumber: requiredString(account, 'accountNumber', path),
      name: optionalString(account, 'name', path) ?? '',
      currency: currencyOf(requiredString(account, 'currency', path)),
      bankBik: optionalString(account, 'bankBik', path),
      accountType: optionalString(account, 'accountType', path),
      activationDate: optionalString(account, 'activationDate', path),
      balance: balance ? toBalance(balance, `${path}.balance`) : null,
      transitAccount: transit ? { accountNumber: requiredString(transit, 'accountNumber', `${path}.transitAccount`), balance: optionalDecimal(transit, 'balance', `${path}.transitAccount`) } : null,
      status: optionalString(account, 'status', path),
      main: optionalBoolean(account, 'mainFlag'),
    };
  });
}

// The docs' own example spells "Сredit" with a Cyrillic С (research §2.3); fold look-alikes before comparing.
const LOOKALIKE: Record<string, string> = { С: 'C', с: 'c', Е: 'E', е: 'e', О: 'O', о: 'o', А: 'A', а: 'a', Р: 'P', р: 'p', Т: 'T', В: 'B', К: 'K', М: 'M', Н: 'H', х: 'x', у: 'y', і: 'i' };

/** Latin letters for Cyrillic look-alikes, lower-cased and trimmed. */
export function foldLookalikes(text: string): string {
  return [...text.trim()].map((char) => LOOKALIKE[char] ?? char).join('').toLowerCase();
}

function directionOf(text: string | null): dto.TapiOperationDto['direction'] {
  const folded = text === null ? '' : foldLookalikes(text);
  return folded === 'credit' ? 'credit' : folded === 'debit' ? 'debit' : 'unknown';
}

function statusOf(text: string | null): dto.TapiOperationStatus {
  const folded = text === null ? '' : foldLookalikes(text);
  return folded === 'authorization' ? 'authorization' : folded === 'transaction' ? 'transaction' : 'unknown';
}

function toParty(object: JsonObject, path: string): dto.TapiPartyDto {
  return {
    name: optionalString(object, 'name', path),
    inn: optionalString(object, 'inn', path),
    kpp: optionalString(object, 'kpp', path),
    account: optionalString(object, 'account', path) ?? optionalString(object, 'acct', path),
    bankName: optionalString(object, 'bankName', path),
    bankBic: optionalString(object, 'bankBic', path) ?? optionalString(object, 'bicRu', path),
    corrAccount: optionalString(object, 'corrAccount', path) ?? optionalString(object, 'corAcct', path),
  };
}

function money(object: JsonObject, amountKey: string, currencyKey: string, path: string, fallbackCurrency: string): dto.TapiMoneyDto | null {
  const amount = optionalDecimal(object, amountKey, path);
  if (amount === null) return null;
  return { amount, currency: currencyOf(optionalString(object, currencyKey, path) ?? fallbackCurrency) };
}

/** One operation of GET /api/v1/statement. */
export function toOperationDto(value: JsonValue, path: string): dto.TapiOperationDto {
  const operation = objectAt(value, path);
  const accountAmount = money(operation, 'accountAmount', 'accountCurrencyDigitalCode', path, '643');
  const operationAmount = money(operation, 'operationAmount', 'operationCurrencyDigitalCode', path, '643');
  const amount = accountAmount ?? operationAmount;
  if (!amount) throw new ShapeError(`${path}.accountAmount`, 'a number');
  // The counterparty is `counterParty`; older answers only name payer and receiver: the other side is the one that is not us.
  const counterParty = optionalObject(operation.counterParty, `${path}.counterParty`);
  const direction = directionOf(optionalString(operation, 'typeOfOperation', path));
  const otherSide = direction === 'credit' ? operation.payer : direction === 'debit' ? operation.receiver : undefined;
  const party = counterParty ?? optionalObject(otherSide, `${path}.${direction === 'credit' ? 'payer' : 'receiver'}`);
  const merch = optionalObject(operation.merch, `${path}.merch`);
  return {
    operationId: requiredString(operation, 'operationId', path),
    operationDate: requiredString(operation, 'operationDate', path),
    status: statusOf(optionalString(operation, 'operationStatus', path)),
    accountNumber: optionalString(operation, 'accountNumber', path) ?? '',
    direction,
    accountAmount: amount,
    operationAmount,
    rubleAmount: optionalDecimal(operation, 'rubleAmount', path),
    category: optionalString(operation, 'category', path),
    documentNumber: optionalString(operation, 'documentNumber', path),
    description: optionalString(operation, 'description', path),
    payPurpose: optionalString(operation, 'payPurpose', path),
    authorizationDate: optionalString(operation, 'authorizationDate', path),
    trxnPostDate: optionalString(operation, 'trxnPostDate', path),
    counterparty: party ? toParty(party, `${path}.counterParty`) : null,
    cardNumber: optionalString(operation, 'cardNumber', path),
    mcc: optionalString(operation, 'mcc', path) ?? (merch ? optionalString(merch, 'mcc', `${path}.merch`) : null),
  };
}

/** GET /api/v1/statement: `{ balances?, operations, nextCursor? }`. */
export function toStatementPageDto(value: JsonValue): dto.TapiStatementPageDto {
  const root = objectAt(value, 'statement');
  const operations = root.operations === undefined || root.operations === null ? [] : arrayAt(root.operations, 'statement.operations');
  const balances = optionalObject(root.balances, 'statement.balances');
  const cursor = optionalString(root, 'nextCursor', 'statement');
  return {
    operations: operations.map((item, index) => toOperationDto(item, `statement.operations[${index}]`)),
    nextCursor: cursor === '' ? null : cursor,
    // Names per the masasibata SDK [?]; one place to change when T-Bank's answer is seen.
    balances: balances
      ? {
          opening: optionalDecimal(balances, 'balanceBegin', 'statement.balances') ?? optionalDecimal(balances, 'incoming', 'statement.balances'),
          closing: optionalDecimal(balances, 'balanceEnd', 'statement.balances') ?? optionalDecimal(balances, 'outgoing', 'statement.balances'),
          credit: optionalDecimal(balances, 'credit', 'statement.balances'),
          debit: optionalDecimal(balances, 'debit', 'statement.balances'),
        }
      : null,
  };
}
