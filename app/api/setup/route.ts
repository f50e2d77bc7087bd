// POST /api/setup – first run: create the owner account with the setup code from the server log (409 once any account exists)
import { route } from '@/lib/http/route';
import { claimSetup } from '@/lib/setup/claim-setup';
import { claimSetupSchema } from '@/lib/setup/schema';

export const POST = route({ permission: 'public', body: claimSetupSchema }, async ({ body }) => Response.json(await claimSetup(body), { status: 201 }));
