// POST /api/account/second-factor/passkey – add the passkey the browser created
import { route } from '@/lib/http/route';
import { addPasskey } from '@/lib/second-factor';
import { addPasskeySchema } from '@/lib/second-factor/schema';

export const POST = route({ permission: 'account.update', body: addPasskeySchema }, async ({ body }) => Response.json(await addPasskey(body), { status: 201 }));
