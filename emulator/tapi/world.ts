// The emulator's live state built from a scenario: companies, ledgers per account, and tokens whose
// last use, revocation and IP allowlist change or are checked call by call.
import { BlockList, isIP } from 'node:net';
import { AccountLedger } from './account-ledger';
import { accessString } from './contract';
import { counterpartyPool } from './counterparties';
import { accessKpp, type ParsedScenario, type ScenarioAccount, type ScenarioCard, type ScenarioCompany, type ScenarioToken } from './scenario';

export interface TokenState {
  token: ScenarioToken;
  company: ScenarioCompany;
  /** Access strings in the bracketed form, with the company filled in. */
  accesses: Set<string>;
  allowed: BlockList;
  lastUsedAt: number;
  revoked: boolean;
}

/** `::ffff:127.0.0.1` (an IPv4 caller on a dual-stack socket) → `127.0.0.1`. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address.toLowerCase();
}

function normaliseAccess(access: string, company: ScenarioCompany): string {
  const full = /^opensme\/inn\/\[?(\d+)\]?\/kpp\/\[?(\d+)\]?\/(.+)$/.exec(access);
  return full ? accessString(full[1]!, full[2]!, full[3]!) : accessString(company.inn, accessKpp(company), access);
}

/** Everything the request handler reads. */
export class World {
  readonly companies = new Map<string, ScenarioCompany>();
  readonly ledgers = new Map<string, AccountLedger>();
  readonly tokens = new Map<string, TokenState>();

  constructor(readonly scenario: ParsedScenario) {
    for (const company of scenario.companies) this.companies.set(company.id, company);
    const pool = counterpartyPool(scenario.seed);
    for (const account of scenario.accounts) {
      const company = this.companies.get(account.company)!;
      const sibling = scenario.accounts.find((a) => a !== account && a.company === account.company && a.currency === account.currency && a.mainFlag === 'Y')
        ?? scenario.accounts.find((a) => a !== account && a.company === account.company && a.currency === account.currency);
      this.ledgers.set(account.accountNumber, new AccountLedger(account, company, scenario.seed, pool, sibling));
    }
    for (const token of scenario.tokens) {
      const company = this.companies.get(token.company)!;
      const allowed = new BlockList();
      for (const ip of token.allowedIps) allowed.addAddress(normaliseAddress(ip), isIP(normaliseAddress(ip)) === 6 ? 'ipv6' : 'ipv4');
      this.tokens.set(token.value, {
        token,
        company,
        accesses: new Set(token.accesses.map((a) => normaliseAccess(a, company))),
        allowed,
        lastUsedAt: Date.parse(token.lastUsedAt ?? token.issuedAt),
        revoked: token.revoked,
      });
    }
  }

  accountsOf(companyId: string): ScenarioAccount[] {
    return this.scenario.accounts.filter((a) => a.company === companyId);
  }

  cardsOf(companyId: string): ScenarioCard[] {
    return this.scenario.cards.filter((c) => c.company === companyId);
  }
}

/** Whether the caller's socket address is on the token's allowlist (or the check is off). */
export function addressAllowed(state: TokenState, remoteAddress: string | undefined): boolean {
  if (!state.token.ipCheck) return true;
  if (!remoteAddress) return false;
  const address = normaliseAddress(remoteAddress);
  const family = isIP(address);
  return family !== 0 && state.allowed.check(address, family === 6 ? 'ipv6' : 'ipv4');
}
