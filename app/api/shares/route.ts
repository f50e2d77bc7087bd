// GET /api/shares – the viewer's shares (with view logs) and the member shares offered to them
// POST /api/shares – share the overview, an account or a watchlist with members or as a link
import { route } from '@/lib/http/route';
import { createShare } from '@/lib/sharing/create-share';
import { listReceivedShares, listShares } from '@/lib/sharing/list-shares';
import { createShareSchema } from '@/lib/sharing/schema';

export const GET = route({ permission: 'overview.read' }, async () => ({ shares: await listShares(), received: await listReceivedShares() }));

export const POST = route({ permission: 'overview.read', body: createShareSchema }, async ({ body }) => Response.json(await createShare(body), { status: 201 }));
