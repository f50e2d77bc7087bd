import 'server-only';
// The Audit page's data: newest records first, a page at a time.
import { requirePermission } from '../auth/session';
import { db } from '../db';

export interface AuditEventDto {
  seq: string;
  at: string;
  actorLabel: string;
  action: string;
  /** Scalar details only, as text; nested values are left out of the list view. */
  details: Record<string, string>;
}

export interface AuditPageDto {
  events: AuditEventDto[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

const PAGE_SIZE = 50;

function scalarDetails(details: unknown): Record<string, string> {
  if (!details || typeof details !== 'object' || Array.isArray(details)) return {};
  return Object.fromEntries(
    Object.entries(details as Record<string, unknown>)
      .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
      .map(([key, value]) => [key, String(value)]),
  );
}

/** Records older than `before` (a sequence number), newest first; requires audit.read. */
export async function listAuditEvents(before?: string): Promise<AuditPageDto> {
  await requirePermission('audit.read');
  const cursor = before && /^\d{1,19}$/.test(before) ? BigInt(before) : null;
  const rows = await db().auditEvent.findMany({
    where: cursor === null ? {} : { seq: { lt: cursor } },
    orderBy: { seq: 'desc' },
    take: PAGE_SIZE + 1,
    select: { seq: true, at: true, actorLabel: true, action: true, details: true },
  });
  const page = rows.slice(0, PAGE_SIZE);
  return {
    events: page.map((row) => ({ seq: row.seq.toString(), at: row.at.toISOString(), actorLabel: row.actorLabel, action: row.action, details: scalarDetails(row.details) })),
    nextBefore: rows.length > PAGE_SIZE ? page[page.length - 1]!.seq.toString() : null,
  };
}
