// POST /api/team/invites – invite a member by one-time link or temporary password
import { route } from '@/lib/http/route';
import { inviteMember } from '@/lib/team/invite-member';
import { inviteSchema } from '@/lib/team/schema';

export const POST = route({ permission: 'team.invite', body: inviteSchema }, async ({ body }) => Response.json(await inviteMember(body), { status: 201 }));
