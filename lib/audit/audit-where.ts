import 'server-only';
// Audit filters → a Prisma where-clause, shared by the page and the CSV export.
import type { Prisma } from '../db';
import type { AuditFilters } from './schema';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function auditWhere(filters: AuditFilters): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filters.actor) {
    and.push(UUID.test(filters.actor) ? { actorId: filters.actor } : { actorLabel: { contains: filters.actor, mode: 'insensitive' } });
  }
  if (filters.token) and.push({ tokenId: filters.token });
  if (filters.action) and.push(filters.action.includes('.') ? { action: filters.action } : { action: { startsWith: `${filters.action}.` } });
  if (filters.from) and.push({ at: { gte: new Date(`${filters.from}T00:00:00.000Z`) } });
  if (filters.to) and.push({ at: { lt: new Date(new Date(`${filters.to}T00:00:00.000Z`).getTime() + 86_400_000) } });
  return and.length ? { AND: and } : {};
}
