import { describe, expect, it } from 'vitest';
import { readJson } from './read-json';
import { foldLookalikes, ShapeError, toAccountDtos, toCompanyDto, toStatementPageDto } from './to-dto';

// The docs' example page (research/tapi.md §2.3), amounts changed to ones a double would alter.
const STATEMENT = `{"operations":[{"operationId":"32005e8d-5b2c-00f5-ab39-7ab40b53d7a8","operationDate":"2025-04-01T05:16:52Z",
  "operationStatus":"Transaction","accountNumber":"40802810800000977213","bic":"044525974",
  "typeOfOperation":"\u0421redit","category":"incomePeople","documentNumber":"151819","payVo":"bank-order","vo":"17",
  "priority":5,"operationAmount":1234567890123.456789012,"operationCurrencyDigitalCode":"643","accountAmount":1234567890123.456789012,
  "accountCurrencyDigitalCode":"643","rubleAmount":0.1,"description":"Зачисление","payPurpose":"Оплата по счёту",
  "payer":{"acct":"30233810400007059951","inn":"7710140679","kpp":"771301001","name":"АО \\"ТБанк\\"","bicRu":"044525974","bankName":"АО \\"ТБанк\\"","corAcct":"30101810145250000974"},
  "counterParty":{"account":"30233810400007059951","inn":"7710140679","kpp":"771301001","name":"АО \\"ТБанк\\"","bankName":"АО \\"ТБанк\\"","bankBic":"044525974","corrAccount":"30101810145250000974"}}],
 "nextCursor":null}`;

describe('toStatementPageDto', () => {
  it('maps the docs example, Cyrillic С in "Сredit" and exact amounts included', () => {
    const page = toStatementPageDto(readJson(STATEMENT));
    expect(page.nextCursor).toBeNull();
    expect(page.balances).toBeNull();
    expect(page.operations).toEqual([
      {
        operationId: '32005e8d-5b2c-00f5-ab39-7ab40b53d7a8',
        operationDate: '2025-04-01T05:16:52Z',
        status: 'transaction',
        accountNumber: '40802810800000977213',
        direction: 'credit',
        accountAmount: { amount: '1234567890123.456789012', currency: 'RUB' },
        operationAmount: { amount: '1234567890123.456789012', currency: 'RUB' },
        rubleAmount: '0.1',
        category: 'incomePeople',
        documentNumber: '151819',
        description: 'Зачисление',
        payPurpose: 'Оплата по счёту',
        authorizationDate: null,
        trxnPostDate: null,
        counterparty: { name: 'АО "ТБанк"', inn: '7710140679', kpp: '771301001', account: '30233810400007059951', bankName: 'АО "ТБанк"', bankBic: '044525974', corrAccount: '30101810145250000974' },
        cardNumber: null,
        mcc: null,
      },
    ]);
  });

  it('tolerates missing optional fields, and takes the counterparty from payer/receiver when counterParty is absent', () => {
    const page = toStatementPageDto(
      readJson(`{"operations":[{"operationId":"a","operationDate":"2025-04-01T00:00:00Z","typeOfOperation":"Debit","accountAmount":10,
        "receiver":{"acct":"40702810000000000001","inn":"7700000000","name":"Supplier"}, "merch": {"mcc": "5411"}}], "nextCursor": "c2"}`),
    );
    expect(page.nextCursor).toBe('c2');
    const [operation] = page.operations;
    expect(operation).toMatchObject({ status: 'unknown', direction: 'debit', accountNumber: '', accountAmount: { amount: '10', currency: 'RUB' }, operationAmount: null, rubleAmount: null, mcc: '5411' });
    expect(operation!.counterparty).toEqual({ name: 'Supplier', inn: '7700000000', kpp: null, account: '40702810000000000001', bankName: null, bankBic: null, corrAccount: null });
  });

  it('reads first-page balances and an empty page', () => {
    const page = toStatementPageDto(readJson('{"balances":{"balanceBegin":100.10,"balanceEnd":0.3,"credit":1e2,"debit":200.2},"operations":[]}'));
    expect(page.balances).toEqual({ opening: '100.1', closing: '0.3', credit: '100', debit: '200.2' });
    expect(page.operations).toEqual([]);
    expect(page.nextCursor).toBeNull();
  });

  it.each([
    ['no operationId', '{"operations":[{"operationDate":"2025-04-01T00:00:00Z","accountAmount":1}]}', 'statement.operations[0].operationId'],
    ['no amount', '{"operations":[{"operationId":"a","operationDate":"2025-04-01T00:00:00Z"}]}', 'statement.operations[0].accountAmount'],
    ['an amount as an object', '{"operations":[{"operationId":"a","operationDate":"x","accountAmount":{}}]}', 'statement.operations[0].accountAmount'],
    ['operations not an array', '{"operations":{}}', 'statement.operations'],
    ['too precise an amount', '{"operations":[{"operationId":"a","operationDate":"x","accountAmount":0.0000000001}]}', 'statement.operations[0].accountAmount'],
  ])('refuses %s, naming where', (_label, text, path) => {
    expect(() => toStatementPageDto(readJson(text))).toThrow(ShapeError);
    expect(() => toStatementPageDto(readJson(text))).toThrow(path);
  });
});

describe('toAccountDtos', () => {
  it('maps v4 accounts with exact balances', () => {
    const accounts = toAccountDtos(
      readJson(`[{"accountNumber":"40802678901234567890","name":"Основной","currency":"643","bankBik":"044525974","accountType":"Current","activationDate":"2010-08-03",
        "balance":{"otb":45089.99,"authorized":0,"pendingPayments":0,"pendingRequisitions":0,"balance":999999999999999.999999999,"realOtb":45089.99},"status":"NORM","mainFlag":"Y"},
        {"accountNumber":"40702840000000000002","name":"USD","currency":"840","transitAccount":{"accountNumber":"40702840000000000003","balance":1.5}}]`),
    );
    expect(accounts[0]).toEqual({
      accountNumber: '40802678901234567890',
      name: 'Основной',
      currency: 'RUB',
      bankBik: '044525974',
      accountType: 'Current',
      activationDate: '2010-08-03',
      balance: { available: '45089.99', authorized: '0', pendingPayments: '0', pendingRequisitions: '0', book: '999999999999999.999999999', realAvailable: '45089.99' },
      transitAccount: null,
      status: 'NORM',
      main: true,
    });
    expect(accounts[1]).toMatchObject({ currency: 'USD', balance: null, transitAccount: { accountNumber: '40702840000000000003', balance: '1.5' }, main: null });
  });

  it('refuses a non-array answer', () => {
    expect(() => toAccountDtos(readJson('{"accounts":[]}'))).toThrow(ShapeError);
  });
});

describe('toCompanyDto', () => {
  it('maps the company and its requisites', () => {
    const company = toCompanyDto(
      readJson(`{"name":"ООО Ромашка","city":"Москва","registrationDate":"2015-01-01","opf":"ООО",
        "requisites":{"fullName":"ООО «Ромашка»","address":"Москва","inn":7700000001,"kpp":"770001001","ogrn":"1157700000001"},
        "bank":{"bankName":"АО «ТБанк»","bankBic":"044525974","corrAccount":"30101810145250000974"}}`),
    );
    expect(company).toEqual({ name: 'ООО Ромашка', fullName: 'ООО «Ромашка»', inn: '7700000001', kpp: '770001001', ogrn: '1157700000001', city: 'Москва', address: 'Москва', registrationDate: '2015-01-01', opf: 'ООО', bank: { name: 'АО «ТБанк»', bic: '044525974', corrAccount: '30101810145250000974' } });
  });

  it('refuses a company without an INN', () => {
    expect(() => toCompanyDto(readJson('{"name":"x","requisites":{}}'))).toThrow('company.requisites.inn');
  });
});

describe('foldLookalikes', () => {
  it('reads Cyrillic look-alikes as Latin', () => {
    expect(foldLookalikes(' \u0421redit ')).toBe('credit');
    expect(foldLookalikes('Тrаnsасtiоn')).toBe('transaction');
  });
});
