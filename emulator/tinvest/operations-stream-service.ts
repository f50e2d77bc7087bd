// OperationsStreamService: a subscription result first, then a message only when an account changes; pings between.
// PortfolioStream sends the whole portfolio on a change; PositionsStream only the entries that changed.
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { OperationsStreamService, PortfolioSubscriptionStatus, PositionsAccountSubscriptionStatus } from '@/lib/tinvest/gen/operations_pb';
import { pingDelay, type EmulatorContext } from './context';
import { buildPortfolio, buildPositionData, buildPositions, seenPositions, type PositionsSeen } from './portfolio';
import { serverStream, type Caller, type Handler } from './rpc';
import type { StreamSession } from './stream-session';

/** Accounts of the request the caller's token may read. */
function readable(ctx: EmulatorContext, caller: Caller, ids: string[]): Map<string, boolean> {
  return new Map(
    ids.map((id) => {
      const account = ctx.state.accounts.get(id);
      return [id, !!account && ctx.state.accessLevel(caller.token, account) !== 'none'];
    }),
  );
}

function keepAlive(ctx: EmulatorContext, out: StreamSession<{ payload: { case: 'ping'; value: { time: ReturnType<typeof timestampFromMs>; streamId: string } } }>, requested: number | undefined, onChange: (accountId: string) => void): void {
  const timer = setInterval(() => out.send({ payload: { case: 'ping', value: { time: timestampFromMs(ctx.now()), streamId: out.streamId } } }), pingDelay(ctx, requested));
  const unsubscribe = ctx.state.onAccountChange(onChange);
  out.onClose(() => {
    clearInterval(timer);
    unsubscribe();
  });
}

/** OperationsStreamService handlers. */
export function operationsStreamHandlers(ctx: EmulatorContext): Handler[] {
  const m = OperationsStreamService.method;
  return [
    serverStream(OperationsStreamService, m.portfolioStream, (req, caller, out) => {
      const ok = readable(ctx, caller, req.accounts);
      out.send({
        payload: {
          case: 'subscriptions',
          value: {
            accounts: [...ok].map(([accountId, good]) => ({ accountId, subscriptionStatus: good ? PortfolioSubscriptionStatus.SUCCESS : PortfolioSubscriptionStatus.ACCOUNT_NOT_FOUND })),
            trackingId: out.info.trackingId,
            streamId: out.streamId,
          },
        },
      });
      keepAlive(ctx, out, req.pingSettings?.pingDelayMs, (accountId) => {
        const account = ctx.state.accounts.get(accountId);
        if (account && ok.get(accountId)) out.send({ payload: { case: 'portfolio', value: buildPortfolio(ctx, account) } });
      });
    }),
    serverStream(OperationsStreamService, m.positionsStream, (req, caller, out) => {
      const ok = readable(ctx, caller, req.accounts);
      out.send({
        payload: {
          case: 'subscriptions',
          value: {
            accounts: [...ok].map(([accountId, good]) => ({ accountId, subscriptionStatus: good ? PositionsAccountSubscriptionStatus.POSITIONS_SUBSCRIPTION_STATUS_SUCCESS : PositionsAccountSubscriptionStatus.POSITIONS_SUBSCRIPTION_STATUS_ACCOUNT_NOT_FOUND })),
            trackingId: out.info.trackingId,
            streamId: out.streamId,
          },
        },
      });
      // Changes are relative to what this stream has shown: the positions at subscription.
      const seen = new Map<string, PositionsSeen>();
      for (const [id, good] of ok) {
        const account = ctx.state.accounts.get(id);
        if (!good || !account) continue;
        seen.set(id, seenPositions(ctx, account));
        if (req.withInitialPositions) out.send({ payload: { case: 'initialPositions', value: buildPositions(ctx, account) } });
      }
      keepAlive(ctx, out, req.pingSettings?.pingDelayMs, (accountId) => {
        const account = ctx.state.accounts.get(accountId);
        const shown = seen.get(accountId);
        const change = account && shown ? buildPositionData(ctx, account, shown) : null;
        if (change) out.send({ payload: { case: 'position', value: change } });
      });
    }),
  ];
}
