// POST /api/team/members/:id/reset-password – give a member a new temporary password (shown once)
import { route } from '@/lib/http/route';
import { resetMemberPassword } from '@/lib/team/reset-member-password';
import { idParamsSchema } from '@/lib/team/schema';

export const POST = route({ permission: 'team.manage', params: idParamsSchema }, ({ params }) => resetMemberPassword(params.id));
