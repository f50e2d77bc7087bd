// POST /api/tokens/:id/replace – swap in a new value for the same T-Invest user or T-API company (verified live)
import { replaceTokenValue } from '@/lib/custody/replace-token-value';
import { tokenParamsSchema } from '@/lib/custody/schema';
import { tapiReplaceSchema } from '@/lib/custody/tapi-schema';
import { route } from '@/lib/http/route';

// `{ value }` for every token; an H2H token's replacement may also bring ipAllowlist, accesses and certificate.
export const POST = route({ permission: 'tokens.manage', stepUp: true, params: tokenParamsSchema, body: tapiReplaceSchema }, ({ viewer, params, body }) => replaceTokenValue(viewer, params.id, body));
