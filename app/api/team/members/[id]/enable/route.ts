// POST /api/team/members/:id/enable – re-enable a disabled member
import { route } from '@/lib/http/route';
import { enableMember } from '@/lib/team/enable-member';
import { idParamsSchema } from '@/lib/team/schema';

export const POST = route({ permission: 'team.manage', params: idParamsSchema }, ({ params }) => enableMember(params.id));
