// UsersService: accounts with per-token access levels, user info, tariff limits and margin attributes.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { AccessLevel, AccountSchema, AccountStatus, AccountType, UsersService, type Account } from '@/lib/tinvest/gen/users_pb';
import { requireAccount } from './access';
import type { EmulatorContext } from './context';
import { invalidArgument } from './errors';
import { divNanos, money, quotation } from './money';
import { buildPortfolio } from './portfolio';
import { unary, type Caller, type Handler } from './rpc';
import type { AccountState } from './state';
import { limitsOf } from './tariff-limits';
import { toNanos } from './money';

const TYPES = { broker: AccountType.TINKOFF, iis: AccountType.TINKOFF_IIS, 'invest-box': AccountType.INVEST_BOX, 'invest-fund': AccountType.INVEST_FUND } as const;
const STATUSES = { new: AccountStatus.NEW, open: AccountStatus.OPEN, closed: AccountStatus.CLOSED } as const;
const LEVELS = { full: AccessLevel.ACCOUNT_ACCESS_LEVEL_FULL_ACCESS, readonly: AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY, none: AccessLevel.ACCOUNT_ACCESS_LEVEL_NO_ACCESS } as const;

/** Every account of the caller's user in its contour, NO_ACCESS where the token does not reach (investAPI#333). */
export function listAccounts(ctx: EmulatorContext, caller: Caller, status: AccountStatus | undefined): Account[] {
  return ctx.state
    .accountsOf(caller.user.id, caller.sandbox)
    .filter((a) => status === undefined || status === AccountStatus.UNSPECIFIED || status === AccountStatus.ALL || STATUSES[a.status] === status)
    .map((a) => toAccount(ctx, caller, a));
}

function toAccount(ctx: EmulatorContext, caller: Caller, a: AccountState): Account {
  return create(AccountSchema, {
    id: a.id,
    type: TYPES[a.type],
    name: a.name,
    status: STATUSES[a.status],
    openedDate: timestampFromMs(a.openedDate),
    closedDate: a.closedDate === null ? undefined : timestampFromMs(a.closedDate),
    accessLevel: LEVELS[ctx.state.accessLevel(caller.token, a)],
  });
}

/** UsersService handlers. */
export function usersHandlers(ctx: EmulatorContext): Handler[] {
  const m = UsersService.method;
  return [
    unary(UsersService, m.getAccounts, (req, caller) => ({ accounts: listAccounts(ctx, caller, req.status) })),
    unary(UsersService, m.getInfo, (_req, caller) => ({
      premStatus: caller.user.premStatus,
      qualStatus: caller.user.qualStatus,
      qualifiedForWorkWith: caller.user.qualifiedForWorkWith,
      tariff: caller.sandbox ? 'sandbox' : caller.user.tariff,
      userId: caller.user.id,
      riskLevelCode: caller.user.riskLevelCode,
    })),
    unary(UsersService, m.getUserTariff, (_req, caller) => {
      const limits = limitsOf(caller.user);
      return {
        unaryLimits: limits.unary.map((l) => ({ limitPerMinute: l.limitPerMinute, methods: l.methods })),
        streamLimits: limits.streams.map((l) => ({ limit: l.limit, streams: l.streams, open: ctx.streams.countOpen(caller.user.id, l.streams) })),
      };
    }),
    unary(UsersService, m.getMarginAttributes, (req, caller) => {
      const account = requireAccount(ctx, caller, req.accountId, 'read');
      if (!account.margin && !account.sandbox) throw invalidArgument('30043', 'margin trading is not enabled for this account');
      const liquid = toNanos(buildPortfolio(ctx, account).totalAmountPortfolio);
      if (account.sandbox) {
        return { liquidPortfolio: money(liquid, 'rub'), startingMargin: money(0n, 'rub'), minimalMargin: money(0n, 'rub'), fundsSufficiencyLevel: quotation(2_000_000_000n), amountOfMissingFunds: money(0n, 'rub'), correctedMargin: money(0n, 'rub') };
      }
      const starting = (liquid * 15n) / 100n;
      const minimal = starting / 2n;
      return {
        liquidPortfolio: money(liquid, 'rub'),
        startingMargin: money(starting, 'rub'),
        minimalMargin: money(minimal, 'rub'),
        fundsSufficiencyLevel: quotation(starting === 0n ? 0n : divNanos(liquid, starting)),
        amountOfMissingFunds: money(starting > liquid ? starting - liquid : 0n, 'rub'),
        correctedMargin: money(starting, 'rub'),
      };
    }),
  ];
}
