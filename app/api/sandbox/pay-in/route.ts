// POST /api/sandbox/pay-in – pay roubles into a sandbox account
import { route } from '@/lib/http/route';
import { payInSandbox } from '@/lib/portfolio/sandbox';
import { sandboxPayInSchema } from '@/lib/portfolio/schema';

export const POST = route({ permission: 'sandbox.trade', body: sandboxPayInSchema }, ({ viewer, body }) => payInSandbox(viewer, body));
