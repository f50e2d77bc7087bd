// POST /api/tokens/:id/pause – stop every use of the token
import { pauseToken } from '@/lib/custody/pause-token';
import { tokenParamsSchema } from '@/lib/custody/schema';
import { route } from '@/lib/http/route';

export const POST = route({ permission: 'tokens.manage', params: tokenParamsSchema }, ({ viewer, params }) => pauseToken(viewer, params.id));
