// POST /api/tokens/:id/resume – allow use of a paused token again
import { resumeToken } from '@/lib/custody/pause-token';
import { tokenParamsSchema } from '@/lib/custody/schema';
import { route } from '@/lib/http/route';

export const POST = route({ permission: 'tokens.manage', params: tokenParamsSchema }, ({ viewer, params }) => resumeToken(viewer, params.id));
