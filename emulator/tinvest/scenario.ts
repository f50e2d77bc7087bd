// The scenario file format (zod): who exists, what they hold, and how prices move.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const decimal = z.string().regex(/^-?\d+(\.\d{1,9})?$/, 'a decimal string like "123.45"');
const isoDate = z.iso.datetime({ offset: true });

const unaryLimitSchema = z.object({
  methods: z.array(z.string().min(1)).min(1),
  limitPerMinute: z.number().int().positive(),
});

const streamLimitSchema = z.object({
  streams: z.array(z.string().min(1)).min(1),
  limit: z.number().int().positive(),
});

export const userSchema = z.object({
  id: z.string().min(1),
  tariff: z.string().default('investor'),
  premStatus: z.boolean().default(false),
  qualStatus: z.boolean().default(false),
  qualifiedForWorkWith: z.array(z.string()).default([]),
  riskLevelCode: z.string().default('medium'),
  limitGrade: z.number().int().min(1).max(5).default(1),
  /** Overrides the §5.1 table; method names are full paths or service names. */
  unaryLimits: z.array(unaryLimitSchema).optional(),
  /** Overrides the §5.2 table; stream names are full paths. */
  streamLimits: z.array(streamLimitSchema).optional(),
});

const accountScopeSchema = z.object({ id: z.string().min(1), level: z.enum(['full', 'readonly']) });

export const tokenSchema = z
  .object({
    value: z.string().min(1),
    label: z.string().min(1),
    kind: z.enum(['readonly', 'full-access', 'account-scoped', 'sandbox']),
    userId: z.string().min(1),
    accounts: z.array(accountScopeSchema).optional(),
    issuedAt: isoDate,
    lastUsedAt: isoDate.optional(),
    revoked: z.boolean().default(false),
  })
  .refine((t) => t.kind !== 'account-scoped' || (t.accounts?.length ?? 0) > 0, {
    message: 'an account-scoped token needs a non-empty "accounts" list',
    path: ['accounts'],
  });

export const instrumentSchema = z.object({
  /** 'index' is an indicative (IMOEX): priced and charted, never traded or held. */
  kind: z.enum(['share', 'bond', 'etf', 'currency', 'futures', 'index']),
  figi: z.string().min(1),
  ticker: z.string().min(1),
  classCode: z.string().min(1),
  uid: z.uuid(),
  positionUid: z.uuid(),
  assetUid: z.uuid().optional(),
  isin: z.string().default(''),
  name: z.string().min(1),
  lot: z.number().int().positive(),
  currency: z.string().min(3),
  minPriceIncrement: decimal,
  sector: z.string().default(''),
  countryOfRisk: z.string().default('RU'),
  apiTradeAvailable: z.boolean().default(true),
  /** false = listed only for instrument_status ALL. */
  base: z.boolean().default(true),
  forQualInvestor: z.boolean().default(false),
  price: z.object({ start: decimal, volatility: z.number().positive().max(5) }),
  bond: z
    .object({
      nominal: decimal,
      aci: decimal,
      maturityDate: isoDate,
      couponsPerYear: z.number().int().min(0),
      floatingCoupon: z.boolean().default(false),
    })
    .optional(),
  /** Futures are quoted in points; one minPriceIncrement is worth incrementAmount in money. */
  future: z.object({ incrementAmount: decimal, expirationDate: isoDate, basicAsset: z.string().min(1) }).optional(),
});

export const operationSchema = z.object({
  id: z.string().min(1),
  parentOperationId: z.string().default(''),
  date: isoDate,
  type: z.enum(['input', 'output', 'buy', 'sell', 'coupon', 'dividend', 'broker_fee', 'tax', 'dividend_tax', 'bond_tax', 'service_fee', 'bond_repayment', 'bond_repayment_full']),
  state: z.enum(['executed', 'canceled', 'progress']).default('executed'),
  instrument: z.string().optional(),
  quantity: z.number().int().nonnegative().default(0),
  price: decimal.optional(),
  payment: decimal,
  currency: z.string().min(3),
});

export const positionSchema = z.object({
  instrument: z.string().min(1),
  quantity: z.number().int(),
  averagePrice: decimal,
  blocked: z.number().int().nonnegative().default(0),
});

export const accountSchema = z.object({
  id: z.string().min(1),
  userId: z.string().min(1),
  type: z.enum(['broker', 'iis', 'invest-box', 'invest-fund']).default('broker'),
  name: z.string().default(''),
  status: z.enum(['new', 'open', 'closed']).default('open'),
  openedDate: isoDate,
  closedDate: isoDate.optional(),
  sandbox: z.boolean().default(false),
  margin: z.boolean().default(false),
  money: z.record(z.string().min(3), decimal).default({}),
  blockedMoney: z.record(z.string().min(3), decimal).default({}),
  positions: z.array(positionSchema).default([]),
  operations: z.array(operationSchema).default([]),
});

export const scenarioSchema = z.object({
  name: z.string().default('scenario'),
  seed: z.number().int(),
  /** Where the price process is anchored: prices equal price.start at this moment. */
  priceAnchor: isoDate,
  /** 'always' keeps the market open 24/7 (lively demos); 'moex' trades weekdays 07:00–23:50 MSK only. */
  schedule: z.enum(['always', 'moex']).default('always'),
  sandboxCommission: decimal.default('0.0005'),
  users: z.array(userSchema).min(1),
  tokens: z.array(tokenSchema),
  instruments: z.array(instrumentSchema).min(1),
  accounts: z.array(accountSchema),
});

export type Scenario = z.input<typeof scenarioSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;
export type ScenarioToken = z.output<typeof tokenSchema>;
export type ScenarioUser = z.output<typeof userSchema>;
export type ScenarioInstrument = z.output<typeof instrumentSchema>;
export type ScenarioAccount = z.output<typeof accountSchema>;
export type ScenarioOperation = z.output<typeof operationSchema>;

/** A scenario that failed validation; the message names every bad field by its path. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/** Validates a scenario object, including cross-references (users, accounts, instruments). */
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

function crossCheck(s: ParsedScenario): string[] {
  const problems: string[] = [];
  const users = new Set(s.users.map((u) => u.id));
  const accounts = new Map(s.accounts.map((a) => [a.id, a]));
  const instrumentKeys = new Set(s.instruments.flatMap((i) => [i.uid, i.figi, i.ticker, `${i.ticker}_${i.classCode}`]));
  const seenTokens = new Set<string>();
  s.tokens.forEach((t, i) => {
    if (seenTokens.has(t.value)) problems.push(`tokens.${i}.value: duplicate token value`);
    seenTokens.add(t.value);
    if (!users.has(t.userId)) problems.push(`tokens.${i}.userId: unknown user "${t.userId}"`);
    t.accounts?.forEach((a, j) => {
      const account = accounts.get(a.id);
      if (!account || account.userId !== t.userId) problems.push(`tokens.${i}.accounts.${j}.id: "${a.id}" is not an account of user "${t.userId}"`);
    });
  });
  const seenAccounts = new Set<string>();
  s.accounts.forEach((a, i) => {
    if (seenAccounts.has(a.id)) problems.push(`accounts.${i}.id: duplicate account id "${a.id}"`);
    seenAccounts.add(a.id);
    if (!users.has(a.userId)) problems.push(`accounts.${i}.userId: unknown user "${a.userId}"`);
    if (a.status === 'closed' && !a.closedDate) problems.push(`accounts.${i}.closedDate: required when status is "closed"`);
    a.positions.forEach((p, j) => {
      if (!instrumentKeys.has(p.instrument)) problems.push(`accounts.${i}.positions.${j}.instrument: unknown instrument "${p.instrument}"`);
      // A futures position is margin, not a holding worth price × quantity: the emulator does not model it.
      if (s.instruments.some((inst) => inst.kind === 'futures' && [inst.uid, inst.figi, inst.ticker, `${inst.ticker}_${inst.classCode}`].includes(p.instrument)))
        problems.push(`accounts.${i}.positions.${j}.instrument: futures positions are not modelled`);
      if (s.instruments.some((inst) => inst.kind === 'index' && [inst.uid, inst.figi, inst.ticker, `${inst.ticker}_${inst.classCode}`].includes(p.instrument)))
        problems.push(`accounts.${i}.positions.${j}.instrument: an index cannot be held`);
    });
    a.operations.forEach((o, j) => {
      if (o.instrument && !instrumentKeys.has(o.instrument)) problems.push(`accounts.${i}.operations.${j}.instrument: unknown instrument "${o.instrument}"`);
    });
  });
  s.instruments.forEach((inst, i) => {
    if (inst.kind === 'bond' && !inst.bond) problems.push(`instruments.${i}.bond: required for kind "bond"`);
    if (inst.kind === 'futures' && !inst.future) problems.push(`instruments.${i}.future: required for kind "futures"`);
  });
  return problems;
}
