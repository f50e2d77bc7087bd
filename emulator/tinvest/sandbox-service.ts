// SandboxService end to end: open/close accounts, rouble pay-ins, orders, and the usual read views.
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { SandboxService } from '@/lib/tinvest/gen/sandbox_pb';
import { requireAccount } from './access';
import type { EmulatorContext } from './context';
import { invalidArgument, tinvestError } from './errors';
import { money, toNanos } from './money';
import { getOperations, getOperationsByCursor, withdrawLimits } from './operations-service';
import { buildPortfolio, buildPositions } from './portfolio';
import { unary, type Handler } from './rpc';
import { cancelOrder, orderState, placeOrder, postOrderResponse } from './trading';
import { listAccounts } from './users-service';

const MAX_SANDBOX_ACCOUNTS = 10;

/** SandboxService handlers (sandbox tokens only; the pipeline refuses the rest with 40003). */
export function sandboxHandlers(ctx: EmulatorContext): Handler[] {
  const m = SandboxService.method;
  return [
    unary(SandboxService, m.openSandboxAccount, (req, caller) => {
      const open = ctx.state.accountsOf(caller.user.id, true).filter((a) => a.status !== 'closed');
      if (open.length >= MAX_SANDBOX_ACCOUNTS) throw tinvestError('35001');
      return { accountId: ctx.state.openSandboxAccount(caller.user.id, req.name ?? '', ctx.now()).id };
    }),
    unary(SandboxService, m.getSandboxAccounts, (req, caller) => ({ accounts: listAccounts(ctx, caller, req.status) })),
    unary(SandboxService, m.closeSandboxAccount, (req, caller) => {
      const account = requireAccount(ctx, caller, req.accountId, 'read');
      ctx.state.accounts.delete(account.id);
      return {};
    }),
    unary(SandboxService, m.sandboxPayIn, (req, caller) => {
      const account = requireAccount(ctx, caller, req.accountId, 'trade');
      if (!req.amount || req.amount.currency.toLowerCase() !== 'rub') throw invalidArgument('30096', 'only rub pay-in is supported');
      const amount = toNanos(req.amount);
      if (amount <= 0n) throw invalidArgument('30096', 'invalid parameter: amount');
      const balance = (account.money.get('RUB') ?? 0n) + amount;
      account.money.set('RUB', balance);
      const now = ctx.now();
      account.operations.push({ id: `${now}-${account.operations.length}`, parentOperationId: '', date: now, type: 'input', state: 'executed', instrumentUid: null, quantity: 0n, priceNanos: null, paymentNanos: amount, currency: 'RUB' });
      ctx.state.changed(account.id);
      return { balance: money(balance, 'rub') };
    }),
    unary(SandboxService, m.postSandboxOrder, (req, caller) => postOrderResponse(ctx, placeOrder(ctx, requireAccount(ctx, caller, req.accountId, 'trade'), req), caller.trackingId)),
    unary(SandboxService, m.cancelSandboxOrder, (req, caller) => {
      cancelOrder(ctx, requireAccount(ctx, caller, req.accountId, 'trade'), req.orderId);
      return { time: timestampFromMs(ctx.now()), responseMetadata: { trackingId: caller.trackingId, serverTime: timestampFromMs(ctx.now()) } };
    }),
    unary(SandboxService, m.getSandboxOrders, (req, caller) => {
      const account = requireAccount(ctx, caller, req.accountId, 'read');
      return { orders: [...account.orders.values()].filter((o) => o.status === 'new').map((o) => orderState(ctx, o)) };
    }),
    unary(SandboxService, m.getSandboxOrderState, (req, caller) => {
      const account = requireAccount(ctx, caller, req.accountId, 'read');
      const order = account.orders.get(req.orderId);
      if (!order) throw tinvestError('50005');
      return orderState(ctx, order);
    }),
    unary(SandboxService, m.getSandboxPortfolio, (req, caller) => buildPortfolio(ctx, requireAccount(ctx, caller, req.accountId, 'read'), req.currency)),
    unary(SandboxService, m.getSandboxPositions, (req, caller) => buildPositions(ctx, requireAccount(ctx, caller, req.accountId, 'read'))),
    unary(SandboxService, m.getSandboxWithdrawLimits, (req, caller) => withdrawLimits(requireAccount(ctx, caller, req.accountId, 'read'))),
    unary(SandboxService, m.getSandboxOperations, (req, caller) => getOperations(ctx, caller, req)),
    unary(SandboxService, m.getSandboxOperationsByCursor, (req, caller) => getOperationsByCursor(ctx, caller, req)),
  ];
}
