// POST /api/setup – first run: create the owner account (409 once any account exists)
import { setupSchema } from '@/lib/auth/schema';
import { route } from '@/lib/http/route';
import { createOwner } from '@/lib/setup/create-owner';

export const POST = route({ permission: 'public', body: setupSchema }, async ({ body }) => Response.json(await createOwner(body), { status: 201 }));
