// PUT /api/tokens/:id/grants/:userId – let a member use the token (for some accounts, or all)
// DELETE /api/tokens/:id/grants/:userId – take that right away
import { removeGrant } from '@/lib/custody/remove-grant';
import { grantParamsSchema, grantSchema } from '@/lib/custody/schema';
import { setGrant } from '@/lib/custody/set-grant';
import { route } from '@/lib/http/route';

export const PUT = route({ permission: 'tokens.manage', stepUp: true, params: grantParamsSchema, body: grantSchema }, ({ viewer, params, body }) => setGrant(viewer, params.id, params.userId, body.accountIds));

export const DELETE = route({ permission: 'tokens.manage', stepUp: true, params: grantParamsSchema }, ({ viewer, params }) => removeGrant(viewer, params.id, params.userId));
