// DELETE /api/team/invites/:id – revoke a pending invite
import { route } from '@/lib/http/route';
import { revokeInvite } from '@/lib/team/revoke-invite';
import { idParamsSchema } from '@/lib/team/schema';

export const DELETE = route({ permission: 'team.invite', params: idParamsSchema }, ({ params }) => revokeInvite(params.id));
