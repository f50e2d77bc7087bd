import 'server-only';
// The audit export: every record matching the filters, oldest first, as a stream of CSV lines.
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { auditWhere } from './audit-where';
import { csvLine } from '../csv';
import { auditQuerySchema, type AuditQuery } from './schema';

const BATCH = 500;
export const AUDIT_CSV_COLUMNS = ['seq', 'at', 'actor_id', 'actor', 'action', 'token_id', 'target_id', 'ip', 'details', 'prev_hash', 'hash'] as const;

/**
 * Checks audit.read and the filters, and reads the first batch, before answering: a bad filter or a
 * failing database is an error response, never a 200 with an empty file. A failure after that
 * aborts the stream, so the download fails instead of ending early as if complete.
 */
export async function exportAuditCsv(query: AuditQuery): Promise<ReadableStream<Uint8Array>> {
  await requirePermission('audit.read');
  const { before: _before, ...filters } = auditQuerySchema.parse(query);
  const where = auditWhere(filters);
  const encoder = new TextEncoder();
  const batch = (after: bigint) => db().auditEvent.findMany({ where: { AND: [where, { seq: { gt: after } }] }, orderBy: { seq: 'asc' }, take: BATCH });
  let after = 0n;
  let rows: Awaited<ReturnType<typeof batch>> | null = await batch(after);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(AUDIT_CSV_COLUMNS)));
    },
    async pull(controller) {
      rows ??= await batch(after);
      if (rows.length === 0) return controller.close();
      after = rows[rows.length - 1]!.seq;
      const text = rows
        .map((row) => csvLine([row.seq.toString(), row.at.toISOString(), row.actorId, row.actorLabel, row.action, row.tokenId, row.targetId, row.ip, row.details, row.prevHash, row.hash]))
        .join('');
      rows = null;
      controller.enqueue(encoder.encode(text));
    },
  });
}
