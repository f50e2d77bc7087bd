// POST /api/sandbox/orders – a market order for whole lots in a sandbox account
import { route } from '@/lib/http/route';
import { placeSandboxOrder } from '@/lib/portfolio/sandbox';
import { sandboxOrderSchema } from '@/lib/portfolio/schema';

export const POST = route({ permission: 'sandbox.trade', body: sandboxOrderSchema }, ({ viewer, body }) => placeSandboxOrder(viewer, body));
