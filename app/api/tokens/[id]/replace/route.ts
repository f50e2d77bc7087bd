// POST /api/tokens/:id/replace – swap in a new value for the same T-Invest user (verified live)
import { replaceTokenValue } from '@/lib/custody/replace-token-value';
import { replaceValueSchema, tokenParamsSchema } from '@/lib/custody/schema';
import { route } from '@/lib/http/route';

export const POST = route({ permission: 'tokens.manage', params: tokenParamsSchema, body: replaceValueSchema }, ({ viewer, params, body }) => replaceTokenValue(viewer, params.id, body));
