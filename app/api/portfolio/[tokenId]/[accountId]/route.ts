// GET /api/portfolio/[tokenId]/[accountId] – one account's positions and cash (cached a few seconds)
import { z } from 'zod';
import { route } from '@/lib/http/route';
import { getAccountPortfolio } from '@/lib/portfolio/get-account-portfolio';

const params = z.object({ tokenId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), accountId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/) });

export const GET = route({ permission: 'overview.read', params }, ({ viewer, params }) => getAccountPortfolio(viewer, params.tokenId, params.accountId));
