// GET /api/audit/export.csv – the audit records matching the Audit page's filters, as streamed CSV
import { exportAuditCsv } from '@/lib/audit/export-audit-csv';
import { auditQuerySchema } from '@/lib/audit/schema';
import { route } from '@/lib/http/route';

export const GET = route({ permission: 'audit.read', query: auditQuerySchema }, async ({ query }) => {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
  return new Response(await exportAuditCsv(query), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="strongroom-audit-${stamp}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
