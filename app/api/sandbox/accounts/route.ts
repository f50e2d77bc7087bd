// POST /api/sandbox/accounts – open a sandbox account with a sandbox token
import { route } from '@/lib/http/route';
import { openSandboxAccount } from '@/lib/portfolio/sandbox';
import { sandboxOpenSchema } from '@/lib/portfolio/schema';

export const POST = route({ permission: 'sandbox.trade', body: sandboxOpenSchema }, async ({ viewer, body }) => Response.json(await openSandboxAccount(viewer, body), { status: 201 }));
