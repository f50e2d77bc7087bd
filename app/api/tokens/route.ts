// GET /api/tokens – the tokens the caller may see, filtered and sorted
// POST /api/tokens – deposit a T-Invest token (verified live at T-Bank first)
import { depositTinvestToken } from '@/lib/custody/deposit-tinvest-token';
import { listTokens } from '@/lib/custody/list-tokens';
import { depositSchema, listTokensQuerySchema } from '@/lib/custody/schema';
import { route } from '@/lib/http/route';

export const GET = route({ permission: 'tokens.read', query: listTokensQuerySchema }, ({ viewer, query }) => listTokens(viewer, query));

export const POST = route({ permission: 'tokens.create', body: depositSchema, stepUp: true }, async ({ viewer, body }) => {
  const result = await depositTinvestToken(viewer, body);
  return Response.json(result, { status: result.duplicate ? 200 : 201 });
});
