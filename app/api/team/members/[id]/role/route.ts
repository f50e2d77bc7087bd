// PUT /api/team/members/:id/role – change a member's role
import { route } from '@/lib/http/route';
import { changeMemberRole } from '@/lib/team/change-member-role';
import { changeRoleSchema, idParamsSchema } from '@/lib/team/schema';

export const PUT = route({ permission: 'team.manage', params: idParamsSchema, body: changeRoleSchema }, ({ params, body }) => changeMemberRole(params.id, body.role));
