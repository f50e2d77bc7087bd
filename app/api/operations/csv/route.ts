// GET /api/operations/csv – an account's filtered operations as a streamed CSV download
import { route } from '@/lib/http/route';
import { exportOperationsCsv } from '@/lib/portfolio/export-operations-csv';
import { operationsQuerySchema } from '@/lib/portfolio/schema';

export const GET = route({ permission: 'overview.read', query: operationsQuerySchema }, async ({ viewer, query }) => {
  const { filename, stream } = await exportOperationsCsv(viewer, query);
  return new Response(stream, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
});
