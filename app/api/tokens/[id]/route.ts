// GET /api/tokens/:id – one token
// PATCH /api/tokens/:id – change its name, purpose, keep-alive or allowed call classes
import { getToken } from '@/lib/custody/get-token';
import { tokenParamsSchema, updateTokenSchema } from '@/lib/custody/schema';
import { updateToken } from '@/lib/custody/update-token';
import { route } from '@/lib/http/route';

export const GET = route({ permission: 'tokens.read', params: tokenParamsSchema }, ({ viewer, params }) => getToken(viewer, params.id));

export const PATCH = route({ permission: 'tokens.read', params: tokenParamsSchema, body: updateTokenSchema }, ({ viewer, params, body }) => updateToken(viewer, params.id, body));
