// GET /api/analytics/csv – the range's daily value series as a CSV download
import { analyticsCsv, analyticsQuerySchema } from '@/lib/history';
import { route } from '@/lib/http/route';

export const GET = route({ permission: 'overview.read', query: analyticsQuerySchema }, async ({ viewer, query }) => {
  const { filename, body } = await analyticsCsv(viewer, query);
  return new Response(body, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
});
