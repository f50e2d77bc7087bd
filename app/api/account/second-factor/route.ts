// GET /api/account/second-factor – your second factors, recovery codes left and whether the team requires one
import { route } from '@/lib/http/route';
import { listMyFactors } from '@/lib/second-factor';

export const GET = route({ permission: 'account.update' }, () => listMyFactors());
