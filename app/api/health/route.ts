// GET /api/health – the process is alive: version and uptime, no database (no session needed)
import { route } from '@/lib/http/route';
import { getLiveness } from '@/lib/ops';

export const dynamic = 'force-dynamic';

export const GET = route({ permission: 'public' }, async () => Response.json(getLiveness(), { headers: { 'cache-control': 'no-store' } }));
