import 'server-only';
// The Audit page's data: newest records first, filtered, a page at a time.
import { requirePermission } from '../auth/session';
import { db } from '../db';
import { auditWhere } from './audit-where';
import { auditQuerySchema, type AuditFilters } from './schema';

export interface AuditEventDto {
  seq: string;
  at: string;
  actorLabel: string;
  action: string;
  tokenId: string | null;
  /** Scalar details only, as text; nested values are left out of the list view. */
  details: Record<string, string>;
}

export interface AuditPageDto {
  events: AuditEventDto[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
  /** Filters in the query that are not valid (field names); nothing is listed then. */
  invalidFilters: string[];
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

/** Records matching the filters and older than `before` (a sequence number), newest first; requires audit.read. */
export async function listAuditEvents(query: Record<string, string | undefined> = {}): Promise<AuditPageDto> {
  await requirePermission('audit.read');
  const parsed = auditQuerySchema.safeParse(query);
  // A hand-edited URL with a bad filter lists nothing and says which filter: listing everything would
  // look like an answer to the filter.
  if (!parsed.success) return { events: [], nextBefore: null, invalidFilters: [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'from')))] };
  const filters: AuditFilters = parsed.data;
  const cursor = filters.before ? BigInt(filters.before) : null;
  const where = auditWhere(filters);
  const rows = await db().auditEvent.findMany({
    where: cursor === null ? where : { AND: [where, { seq: { lt: cursor } }] },
    orderBy: { seq: 'desc' },
    take: PAGE_SIZE + 1,
    select: { seq: true, at: true, actorLabel: true, action: true, tokenId: true, details: true },
  });
  const page = rows.slice(0, PAGE_SIZE);
  return {
    events: page.map((row) => ({ seq: row.seq.toString(), at: row.at.toISOString(), actorLabel: row.actorLabel, action: row.action, tokenId: row.tokenId, details: scalarDetails(row.details) })),
    nextBefore: rows.length > PAGE_SIZE ? page[page.length - 1]!.seq.toString() : null,
    invalidFilters: [],
  };
}
