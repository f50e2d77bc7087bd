// POST /api/invites/accept – create an account from an invite link's secret
import { route } from '@/lib/http/route';
import { acceptInvite } from '@/lib/team/accept-invite';
import { acceptInviteSchema } from '@/lib/team/schema';

export const POST = route({ permission: 'public', body: acceptInviteSchema }, async ({ body }) => Response.json(await acceptInvite(body), { status: 201 }));
