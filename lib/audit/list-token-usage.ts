import 'server-only';
// A token's use counters (per call class, per member or job) for its detail page.
import { db } from '../db';
import { findVisibleToken } from '../custody/find-token';
import type { Actor } from '../custody/mutate-token';
import { isManager } from '../custody/to-token-dto';

export interface TokenUsageDto {
  who: { kind: 'person'; userId: string; name: string } | { kind: 'job'; name: string };
  callClass: string;
  count: number;
  firstAt: string;
  lastAt: string;
}

/** Counters of a token the viewer may see; a member sees only their own. 404 when not visible. */
export async function listTokenUsage(viewer: Actor, tokenId: string): Promise<TokenUsageDto[]> {
  await findVisibleToken(viewer, tokenId);
  const rows = await db().tokenUsage.findMany({
    where: { tokenId, ...(isManager(viewer) ? {} : { actorKey: `user:${viewer.id}` }) },
    orderBy: [{ lastAt: 'desc' }],
  });
  const userIds = [...new Set(rows.filter((row) => row.actorKey.startsWith('user:')).map((row) => row.actorKey.slice(5)))];
  const people = userIds.length ? await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }) : [];
  const names = new Map(people.map((person) => [person.id, person.name]));
  return rows.map((row) => ({
    who: row.actorKey.startsWith('user:')
      ? { kind: 'person', userId: row.actorKey.slice(5), name: names.get(row.actorKey.slice(5)) ?? 'former member' }
      : { kind: 'job', name: row.actorKey.replace(/^job:/, '') },
    callClass: row.methodClass,
    count: row.count,
    firstAt: row.firstAt.toISOString(),
    lastAt: row.lastAt.toISOString(),
  }));
}
