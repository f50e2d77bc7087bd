// OrdersService: market/limit orders for full-access tokens, 40002 for read-only ones, order listing and cancelling.
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { OrdersService } from '@/lib/tinvest/gen/orders_pb';
import { requireAccount } from './access';
import type { EmulatorContext } from './context';
import { tinvestError } from './errors';
import { unary, type Handler } from './rpc';
import { cancelOrder, orderState, placeOrder, postOrderResponse } from './trading';

/** OrdersService handlers. */
export function ordersHandlers(ctx: EmulatorContext): Handler[] {
  const m = OrdersService.method;
  return [
    unary(OrdersService, m.postOrder, (req, caller) => postOrderResponse(ctx, placeOrder(ctx, requireAccount(ctx, caller, req.accountId, 'trade'), req), caller.trackingId)),
    unary(OrdersService, m.cancelOrder, (req, caller) => {
      cancelOrder(ctx, requireAccount(ctx, caller, req.accountId, 'trade'), req.orderId);
      return { time: timestampFromMs(ctx.now()), responseMetadata: { trackingId: caller.trackingId, serverTime: timestampFromMs(ctx.now()) } };
    }),
    unary(OrdersService, m.getOrders, (req, caller) => {
      const account = requireAccount(ctx, caller, req.accountId, 'read');
      return { orders: [...account.orders.values()].filter((o) => o.status === 'new').map((o) => orderState(ctx, o)) };
    }),
    unary(OrdersService, m.getOrderState, (req, caller) => {
      const account = requireAccount(ctx, caller, req.accountId, 'read');
      const order = account.orders.get(req.orderId) ?? [...account.orders.values()].find((o) => o.orderRequestId === req.orderId);
      if (!order) throw tinvestError('50005');
      return orderState(ctx, order);
    }),
  ];
}
