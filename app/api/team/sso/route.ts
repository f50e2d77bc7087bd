// GET, PUT /api/team/sso – the team's single sign-on requirement (owners only)
import { route } from '@/lib/http/route';
import { getSsoPolicy } from '@/lib/team/get-sso-policy';
import { ssoPolicySchema } from '@/lib/team/schema';
import { setSsoPolicy } from '@/lib/team/set-sso-policy';

export const GET = route({ permission: 'team.security' }, () => getSsoPolicy());

export const PUT = route({ permission: 'team.security', body: ssoPolicySchema }, ({ body }) => setSsoPolicy(body));
