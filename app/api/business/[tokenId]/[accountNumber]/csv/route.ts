// GET /api/business/[tokenId]/[accountNumber]/csv – a business account's filtered statement as a streamed CSV download
import { exportStatementCsv } from '@/lib/business/export-statement-csv';
import { statementCsvQuerySchema, statementParamsSchema } from '@/lib/business/schema';
import { route } from '@/lib/http/route';
import { localeFromRequest } from '@/lib/i18n/locales';

export const GET = route({ permission: 'overview.read', params: statementParamsSchema, query: statementCsvQuerySchema }, async ({ request, viewer, params, query }) => {
  const locale = localeFromRequest(request.headers, viewer.locale);
  const { filename, stream } = await exportStatementCsv(viewer, params.tokenId, params.accountNumber, query, { locale });
  return new Response(stream, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
  });
});
