// POST /api/tokens/tapi – deposit a T-API H2H token (with its IPs, accesses and optional mTLS certificate; verified live first)
import { depositTapiToken } from '@/lib/custody/deposit-tapi-token';
import { tapiDepositSchema } from '@/lib/custody/tapi-schema';
import { route } from '@/lib/http/route';

export const POST = route({ permission: 'tokens.create', body: tapiDepositSchema, stepUp: true }, async ({ viewer, body }) => {
  const result = await depositTapiToken(viewer, body);
  return Response.json(result, { status: result.duplicate ? 200 : 201 });
});
