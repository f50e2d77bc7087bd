// POST /api/tokens/:id/verify – check the token at T-Bank now
import { verifyToken } from '@/lib/custody/verify-token';
import { tokenParamsSchema } from '@/lib/custody/schema';
import { route } from '@/lib/http/route';

export const POST = route({ permission: 'tokens.manage', params: tokenParamsSchema }, ({ viewer, params }) => verifyToken(viewer, params.id));
