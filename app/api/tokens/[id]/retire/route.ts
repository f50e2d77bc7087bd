// POST /api/tokens/:id/retire – destroy the token's value for good (crypto-shred)
import { retireToken } from '@/lib/custody/retire-token';
import { tokenParamsSchema } from '@/lib/custody/schema';
import { route } from '@/lib/http/route';

export const POST = route({ permission: 'tokens.manage', stepUp: true, params: tokenParamsSchema }, ({ viewer, params }) => retireToken(viewer, params.id));
