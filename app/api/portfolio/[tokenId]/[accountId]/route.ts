// GET /api/portfolio/[tokenId]/[accountId] – one account's positions and cash (cached a few seconds)
import { route } from '@/lib/http/route';
import { getAccountPortfolio } from '@/lib/portfolio/get-account-portfolio';
import { accountParamsSchema } from '@/lib/portfolio/schema';

export const GET = route({ permission: 'overview.read', params: accountParamsSchema }, ({ viewer, params }) => getAccountPortfolio(viewer, params.tokenId, params.accountId));
