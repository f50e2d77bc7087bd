// POST /api/team/members/:id/reset-factors – remove a member's second factors after a lost device (owners, with step-up)
import { route } from '@/lib/http/route';
import { resetMemberFactors } from '@/lib/second-factor';
import { memberIdParams } from '@/lib/second-factor/schema';

export const POST = route({ permission: 'team.security', stepUp: true, params: memberIdParams }, ({ params }) => resetMemberFactors(params.id));
