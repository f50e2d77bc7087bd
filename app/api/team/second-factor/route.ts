// GET, PUT /api/team/second-factor – who must have a second factor (owners only)
import { route } from '@/lib/http/route';
import { getSecondFactorPolicy, setSecondFactorPolicy } from '@/lib/second-factor';
import { secondFactorPolicySchema } from '@/lib/second-factor/schema';

export const GET = route({ permission: 'team.security' }, () => getSecondFactorPolicy());

export const PUT = route({ permission: 'team.security', body: secondFactorPolicySchema }, ({ body }) => setSecondFactorPolicy(body));
