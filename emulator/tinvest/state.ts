// The emulator's mutable world: tokens, users, accounts, positions, cash, operations and orders.
import { randomUUID } from 'node:crypto';
import { parseNanos } from './money';
import type { ParsedScenario, ScenarioInstrument, ScenarioToken, ScenarioUser } from './scenario';

export type TokenKind = ScenarioToken['kind'];
export type AccessLevel = 'full' | 'readonly' | 'none';

export interface TokenState {
  value: string;
  label: string;
  kind: TokenKind;
  userId: string;
  scope: Map<string, 'full' | 'readonly'> | null;
  issuedAt: number;
  lastUsedAt: number;
  revoked: boolean;
}

export interface PositionState {
  quantity: bigint;
  averageNanos: bigint;
  blocked: bigint;
}

export type OperationKind = ParsedScenario['accounts'][number]['operations'][number]['type'];

export interface OperationRecord {
  id: string;
  parentOperationId: string;
  date: number;
  type: OperationKind;
  state: 'executed' | 'canceled' | 'progress';
  instrumentUid: string | null;
  quantity: bigint;
  priceNanos: bigint | null;
  paymentNanos: bigint;
  currency: string;
}

export interface OrderRecord {
  orderId: string;
  orderRequestId: string;
  accountId: string;
  instrumentUid: string;
  direction: 'buy' | 'sell';
  orderType: 'market' | 'limit' | 'bestprice';
  lotsRequested: bigint;
  lotsExecuted: bigint;
  status: 'fill' | 'new' | 'cancelled' | 'rejected';
  initialPriceNanos: bigint;
  executedPriceNanos: bigint;
  commissionNanos: bigint;
  blockedNanos: bigint;
  currency: string;
  createdAt: number;
  tradeId: string;
}

export interface AccountState {
  id: string;
  userId: string;
  type: ParsedScenario['accounts'][number]['type'];
  name: string;
  status: 'new' | 'open' | 'closed';
  openedDate: number;
  closedDate: number | null;
  sandbox: boolean;
  margin: boolean;
  money: Map<string, bigint>;
  blockedMoney: Map<string, bigint>;
  positions: Map<string, PositionState>;
  operations: OperationRecord[];
  orders: Map<string, OrderRecord>;
}

/** Accounts, tokens and instruments with their indexes; listeners hear about account changes. */
export class EmulatorState {
  readonly users = new Map<string, ScenarioUser>();
  readonly tokens = new Map<string, TokenState>();
  readonly accounts = new Map<string, AccountState>();
  readonly instruments: ScenarioInstrument[];
  private readonly instrumentIndex = new Map<string, ScenarioInstrument>();
  private readonly listeners = new Set<(accountId: string) => void>();

  constructor(readonly scenario: ParsedScenario) {
    for (const user of scenario.users) this.users.set(user.id, user);
    this.instruments = scenario.instruments;
    for (const inst of scenario.instruments) {
      for (const key of [inst.uid, inst.figi, inst.positionUid, `${inst.ticker}_${inst.classCode}`]) this.instrumentIndex.set(key.toUpperCase(), inst);
    }
    for (const t of scenario.tokens) {
      const issuedAt = Date.parse(t.issuedAt);
      this.tokens.set(t.value, {
        value: t.value,
        label: t.label,
        kind: t.kind,
        userId: t.userId,
        scope: t.kind === 'account-scoped' ? new Map((t.accounts ?? []).map((a) => [a.id, a.level])) : null,
        issuedAt,
        lastUsedAt: t.lastUsedAt ? Date.parse(t.lastUsedAt) : issuedAt,
        revoked: t.revoked,
      });
    }
    for (const a of scenario.accounts) {
      const account: AccountState = {
        id: a.id,
        userId: a.userId,
        type: a.type,
        name: a.name,
        status: a.status,
        openedDate: Date.parse(a.openedDate),
        closedDate: a.closedDate ? Date.parse(a.closedDate) : null,
        sandbox: a.sandbox,
        margin: a.margin,
        money: new Map(Object.entries(a.money).map(([c, v]) => [c.toUpperCase(), parseNanos(v)])),
        blockedMoney: new Map(Object.entries(a.blockedMoney).map(([c, v]) => [c.toUpperCase(), parseNanos(v)])),
        positions: new Map(),
        operations: [],
        orders: new Map(),
      };
      for (const p of a.positions) {
        const inst = this.findInstrument(p.instrument);
        if (inst) account.positions.set(inst.uid, { quantity: BigInt(p.quantity), averageNanos: parseNanos(p.averagePrice), blocked: BigInt(p.blocked) });
      }
      for (const o of a.operations) {
        account.operations.push({
          id: o.id,
          parentOperationId: o.parentOperationId,
          date: Date.parse(o.date),
          type: o.type,
          state: o.state,
          instrumentUid: o.instrument ? (this.findInstrument(o.instrument)?.uid ?? null) : null,
          quantity: BigInt(o.quantity),
          priceNanos: o.price ? parseNanos(o.price) : null,
          paymentNanos: parseNanos(o.payment),
          currency: o.currency.toUpperCase(),
        });
      }
      this.accounts.set(a.id, account);
    }
  }

  /** Finds an instrument by figi, uid, position uid, `TICKER_CLASS` or bare ticker. */
  findInstrument(id: string): ScenarioInstrument | undefined {
    const key = id.trim().toUpperCase();
    return this.instrumentIndex.get(key) ?? this.instruments.find((i) => i.ticker.toUpperCase() === key);
  }

  /** Instrument by uid (internal keys are uids). */
  instrument(uid: string): ScenarioInstrument | undefined {
    return this.instrumentIndex.get(uid.toUpperCase());
  }

  /** The currency instrument pricing a cash currency in roubles (RUB → none). */
  currencyInstrument(currency: string): ScenarioInstrument | undefined {
    const iso = currency.toLowerCase();
    return this.instruments.find((i) => i.kind === 'currency' && i.ticker !== 'RUB000UTSTOM' && i.currency === 'rub' && isoOf(i) === iso);
  }

  /** The user's accounts in one contour (production or sandbox). */
  accountsOf(userId: string, sandbox: boolean): AccountState[] {
    return [...this.accounts.values()].filter((a) => a.userId === userId && a.sandbox === sandbox);
  }

  /** What a token may do with an account. */
  accessLevel(token: TokenState, account: AccountState): AccessLevel {
    if (account.userId !== token.userId || account.sandbox !== (token.kind === 'sandbox')) return 'none';
    if (token.kind === 'readonly') return 'readonly';
    if (token.scope) return token.scope.get(account.id) ?? 'none';
    return 'full';
  }

  /** Opens an empty sandbox account. */
  openSandboxAccount(userId: string, name: string, now: number): AccountState {
    const account: AccountState = {
      id: randomUUID(),
      userId,
      type: 'broker',
      name,
      status: 'open',
      openedDate: now,
      closedDate: null,
      sandbox: true,
      margin: false,
      money: new Map([['RUB', 0n]]),
      blockedMoney: new Map(),
      positions: new Map(),
      operations: [],
      orders: new Map(),
    };
    this.accounts.set(account.id, account);
    return account;
  }

  /** Subscribes to account changes (trades, pay-ins); returns the unsubscribe function. */
  onAccountChange(listener: (accountId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener that an account's portfolio or positions changed. */
  changed(accountId: string): void {
    for (const listener of this.listeners) listener(accountId);
  }
}

/** ISO code a currency instrument trades (USD000UTSTOM → usd). */
export function isoOf(inst: ScenarioInstrument): string {
  return inst.ticker.slice(0, 3).toLowerCase();
}
