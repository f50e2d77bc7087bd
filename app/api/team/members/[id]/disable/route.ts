// POST /api/team/members/:id/disable – disable a member; their sessions end on the next request
import { route } from '@/lib/http/route';
import { disableMember } from '@/lib/team/disable-member';
import { idParamsSchema } from '@/lib/team/schema';

export const POST = route({ permission: 'team.manage', params: idParamsSchema }, ({ params }) => disableMember(params.id));
