// The T-API scenario format (zod): companies, their accounts and cards, the statement generator, and tokens.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ACCOUNT_NUMBER, MAX_ALLOWED_IPS, METHOD_NAMES, NO_KPP, type TapiMethod } from './contract';

/** Amounts are decimal strings in the account currency, at most two fraction digits (kopecks, cents). */
const amount = z.string().regex(/^-?\d{1,13}(\.\d{1,2})?$/, 'a decimal string with at most 2 fraction digits, like "1234.56"');
const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
const digits = (n: number, what: string) => z.string().regex(new RegExp(`^\\d{${n}}$`), `${n} digits (${what})`);

const bankSchema = z.object({
  bankName: z.string().min(1),
  bankAddress: z.string().default(''),
  bankBic: digits(9, 'BIC'),
  bankInn: digits(10, 'INN'),
  corrAccount: digits(20, 'correspondent account'),
});

export const companySchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  fullName: z.string().min(1),
  /** Organisation form as the company method reports it, e.g. "ООО" or "ИП". */
  opf: z.string().default('ООО'),
  city: z.string().min(1),
  address: z.string().min(1),
  registrationDate: isoDate,
  inn: z.string().regex(/^(\d{10}|\d{12})$/, '10 digits (organisation) or 12 digits (ИП)'),
  /** Absent for an ИП: its access strings then use kpp "0". */
  kpp: digits(9, 'KPP').optional(),
  ogrn: z.string().regex(/^(\d{13}|\d{15})$/, '13 digits (ОГРН) or 15 (ОГРНИП)'),
  foreignName: z.string().optional(),
  bank: bankSchema,
});

/** Operations are generated, not listed: operation i is a pure function of (seed, account, i). */
export const statementSchema = z.object({
  /** The first generated operation falls in the day after this moment. */
  from: isoDateTime,
  /** Average operations per day; spread evenly with jitter, so time → index is O(1). */
  perDay: z.number().positive().max(100_000),
  /** No operations at or after this moment (default: none ever stop; the clock decides what exists). */
  until: isoDateTime.optional(),
});

export const ACCOUNT_TYPES = ['Current', 'Tax', 'Tender', 'Overnight', 'Trust', 'Broker', 'BankPaymentAgent', 'PaymentAgent', 'Nominal', 'NominalIpo', 'TrustManagementSmp', 'Cashbox', 'Invest'] as const;

export const accountSchema = z.object({
  accountNumber: z.string().regex(/^(\d{20}|\d{22})$/, '20 (or 22) digits'),
  company: z.string().min(1),
  name: z.string().min(1),
  /** Numeric OKV code: "643" rouble, "840" dollar, "156" yuan. */
  currency: digits(3, 'OKV currency code'),
  bankBik: digits(9, 'BIC').default('044525974'),
  accountType: z.enum(ACCOUNT_TYPES),
  activationDate: isoDate,
  status: z.string().default('NORM'),
  tariffName: z.string().optional(),
  tariffCode: z.string().optional(),
  mainFlag: z.enum(['Y', 'N']).default('N'),
  /** The book balance before the first generated operation. */
  openingBalance: amount.default('0'),
  /** Adds to `otb` (available with overdraft), not to `realOtb`. */
  overdraft: amount.default('0'),
  pendingPayments: amount.default('0'),
  pendingRequisitions: amount.default('0'),
  /** Currency accounts only. */
  transitAccount: z.object({ accountNumber: z.string().regex(/^\d{20}$/, '20 digits'), balance: amount }).optional(),
  /** Roubles per unit of the account currency, for rubleAmount; required for a non-rouble account with a statement. */
  rubRate: z.string().regex(/^\d{1,6}(\.\d{1,4})?$/, 'a decimal string with at most 4 fraction digits, like "91.35"').optional(),
  statement: statementSchema.optional(),
});

export const cardSchema = z.object({
  ucid: z.string().regex(/^\d{1,19}$/, 'digits'),
  company: z.string().min(1),
  accountNumber: z.string().regex(/^\d{20}$/, '20 digits'),
  /** Masked as T-Bank shows it: first 6 and last 4 digits. */
  cardNumber: z.string().regex(/^\d{6}\*{6}\d{4}$/, 'a masked number like 220070******1234'),
  holderName: z.string().min(1),
  status: z.enum(['active', 'blocked', 'expired']).default('active'),
  expiryDate: z.string().regex(/^\d{4}-\d{2}$/, 'YYYY-MM'),
  paymentSystem: z.enum(['MIR', 'VISA', 'MASTERCARD']).default('MIR'),
  isVirtual: z.boolean().default(false),
});

export const tokenSchema = z.object({
  value: z.string().min(1),
  label: z.string().min(1),
  company: z.string().min(1),
  /**
   * Full access strings (`opensme/inn/[7707…]/kpp/[7707…]/bank-statements/get`) or their short form
   * (`bank-statements/get`), which is completed with the token's company.
   */
  accesses: z.array(z.string().min(1)),
  /** Static IPv4/IPv6 addresses the calls must come from (the docs allow at most 9). */
  allowedIps: z
    .array(z.string().refine((ip) => isIP(ip) !== 0, 'an IPv4 or IPv6 address (no ranges)'))
    .min(1)
    .max(MAX_ALLOWED_IPS, `at most ${MAX_ALLOWED_IPS} addresses`),
  /** false = the IP check was switched off on request to the bank. */
  ipCheck: z.boolean().default(true),
  issuedAt: isoDateTime,
  /** Defaults to issuedAt; the token dies 90 days after it. */
  lastUsedAt: isoDateTime.optional(),
  revoked: z.boolean().default(false),
});

const perSecondSchema = z.object(Object.fromEntries(METHOD_NAMES.map((m) => [m, z.number().int().positive().optional()])) as Record<TapiMethod, z.ZodOptional<z.ZodNumber>>);

export const scenarioSchema = z.object({
  name: z.string().default('scenario'),
  seed: z.number().int(),
  companies: z.array(companySchema).min(1),
  accounts: z.array(accountSchema),
  cards: z.array(cardSchema).default([]),
  tokens: z.array(tokenSchema),
  rateLimits: z
    .object({
      /** Overrides the documented per-method limits (requests per second per token). */
      perSecond: perSecondSchema.default({}),
      /** Send Retry-After on 429 (the docs do not say T-Bank does). */
      retryAfter: z.boolean().default(false),
    })
    .default({ perSecond: {}, retryAfter: false }),
});

export type Scenario = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ScenarioCompany = z.output<typeof companySchema>;
export type ScenarioAccount = z.output<typeof accountSchema>;
export type ScenarioCard = z.output<typeof cardSchema>;
export type ScenarioToken = z.output<typeof tokenSchema>;

/** A scenario that failed validation; the message names every bad field by its path. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** The KPP used in access strings: the company's, or "0" for an ИП. */
export function accessKpp(company: ScenarioCompany): string {
  return company.kpp ?? NO_KPP;
}

/** Validates a scenario object, including cross-references (companies, accounts, accesses). */
export function parseScenario(input: unknown, source = 'scenario'): ParsedScenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    throw new ScenarioError(`${source} is invalid:\n${lines.join('\n')}`);
  }
  const scenario = result.data;
  const problems = crossCheck(scenario);
  if (problems.length > 0) throw new ScenarioError(`${source} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return scenario;
}

/** Reads and validates a JSON scenario file. */
export function loadScenarioFile(path: string): ParsedScenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(`cannot read scenario file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`scenario file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenario(json, `scenario file ${path}`);
}

const FULL_ACCESS = /^opensme\/inn\/\[?(\d+)\]?\/kpp\/\[?(\d+)\]?\/(.+)$/;

function crossCheck(s: ParsedScenario): string[] {
  const problems: string[] = [];
  const companies = new Map<string, ScenarioCompany>();
  s.companies.forEach((c, i) => {
    if (companies.has(c.id)) problems.push(`companies.${i}.id: duplicate company id "${c.id}"`);
    companies.set(c.id, c);
    if (c.inn.length === 10 && !c.kpp) problems.push(`companies.${i}.kpp: required for an organisation (10-digit INN)`);
  });
  const accounts = new Map<string, (typeof s.accounts)[number]>();
  s.accounts.forEach((a, i) => {
    if (accounts.has(a.accountNumber)) problems.push(`accounts.${i}.accountNumber: duplicate account "${a.accountNumber}"`);
    accounts.set(a.accountNumber, a);
    if (!companies.has(a.company)) problems.push(`accounts.${i}.company: unknown company "${a.company}"`);
    if (a.statement && !ACCOUNT_NUMBER.test(a.accountNumber)) problems.push(`accounts.${i}.statement: /api/v1/statement serves 20-digit accounts only`);
    if (a.statement && a.currency !== '643' && !a.rubRate) problems.push(`accounts.${i}.rubRate: required for a non-rouble account with a statement`);
    if (a.statement?.until && Date.parse(a.statement.until) <= Date.parse(a.statement.from)) problems.push(`accounts.${i}.statement.until: must be after statement.from`);
  });
  s.cards.forEach((c, i) => {
    if (!companies.has(c.company)) problems.push(`cards.${i}.company: unknown company "${c.company}"`);
    const account = accounts.get(c.accountNumber);
    if (!account || account.company !== c.company) problems.push(`cards.${i}.accountNumber: "${c.accountNumber}" is not an account of company "${c.company}"`);
  });
  const seen = new Set<string>();
  s.tokens.forEach((t, i) => {
    if (seen.has(t.value)) problems.push(`tokens.${i}.value: duplicate token value`);
    seen.add(t.value);
    const company = companies.get(t.company);
    if (!company) {
      problems.push(`tokens.${i}.company: unknown company "${t.company}"`);
      return;
    }
    t.accesses.forEach((access, j) => {
      const full = FULL_ACCESS.exec(access);
      if (full && (full[1] !== company.inn || full[2] !== accessKpp(company)))
        problems.push(`tokens.${i}.accesses.${j}: "${access}" names another company than "${t.company}" (INN ${company.inn}, KPP ${accessKpp(company)})`);
      if (!full && access.startsWith('opensme/')) problems.push(`tokens.${i}.accesses.${j}: "${access}" is not of the form opensme/inn/[{inn}]/kpp/[{kpp}]/<product>/<action>`);
    });
    if (t.lastUsedAt && Date.parse(t.lastUsedAt) < Date.parse(t.issuedAt)) problems.push(`tokens.${i}.lastUsedAt: before issuedAt`);
  });
  return problems;
}
