// GET /api/ready – may this instance take traffic: database, vault key, registered probes, not draining (no session needed)
import { route } from '@/lib/http/route';
import { getReadiness } from '@/lib/ops';

export const dynamic = 'force-dynamic';

export const GET = route({ permission: 'public' }, async () => {
  const readiness = await getReadiness();
  return Response.json(readiness, { status: readiness.status === 'ready' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
});
