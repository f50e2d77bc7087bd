import 'server-only';
// Use counters and "last used" stamps, coalesced in memory for a moment and then written, so a
// burst of calls costs a few writes. flushTokenUsage() writes at once (tests, shutdown).
import { db } from '../db';
import { logger } from '../log';
import type { CallClass } from './policy';

export type UsageActor = { kind: 'person'; userId: string } | { kind: 'job'; name: string };

interface Counter {
  tokenId: string;
  actorKey: string;
  methodClass: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

interface LastUse {
  at: Date;
  person?: { userId: string; at: Date };
  job?: { name: string; at: Date };
}

const FLUSH_AFTER_MS = 1000;
const counters = new Map<string, Counter>();
const lastUses = new Map<string, LastUse>();
let timer: NodeJS.Timeout | null = null;
let flushing: Promise<void> = Promise.resolve();

/** Notes one successful call; written within a second. */
export function recordUsage(tokenId: string, actor: UsageActor, methodClass: CallClass, at = new Date()): void {
  const actorKey = actor.kind === 'person' ? `user:${actor.userId}` : `job:${actor.name}`;
  const key = `${tokenId}|${actorKey}|${methodClass}`;
  const counter = counters.get(key);
  if (counter) {
    counter.count += 1;
    counter.lastAt = at;
  } else {
    counters.set(key, { tokenId, actorKey, methodClass, count: 1, firstAt: at, lastAt: at });
  }
  const last = lastUses.get(tokenId) ?? { at };
  last.at = at;
  if (actor.kind === 'person') last.person = { userId: actor.userId, at };
  else last.job = { name: actor.name, at };
  lastUses.set(tokenId, last);
  timer ??= setTimeout(() => void flushTokenUsage(), FLUSH_AFTER_MS).unref();
}

/** Writes everything noted so far. */
export function flushTokenUsage(): Promise<void> {
  flushing = flushing.then(writePending);
  return flushing;
}

async function writePending(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const pendingCounters = [...counters.values()];
  const pendingUses = [...lastUses];
  counters.clear();
  lastUses.clear();
  // Each write stands alone: one failure (a token deleted meanwhile) must not drop the others.
  const attempt = async (write: () => Promise<unknown>, tokenId: string) => {
    try {
      await write();
    } catch (error) {
      logger().warn({ err: error, tokenId }, 'could not record token usage');
    }
  };
  for (const c of pendingCounters) {
    await attempt(
      () =>
        db().tokenUsage.upsert({
          where: { tokenId_actorKey_methodClass: { tokenId: c.tokenId, actorKey: c.actorKey, methodClass: c.methodClass } },
          create: c,
          update: { count: { increment: c.count }, lastAt: c.lastAt },
        }),
      c.tokenId,
    );
  }
  for (const [tokenId, use] of pendingUses) {
    await attempt(
      () =>
        db().token.updateMany({
          where: { id: tokenId },
          data: {
            lastUsedAt: use.at,
            ...(use.person ? { lastUsedByPersonAt: use.person.at, lastUsedByUserId: use.person.userId } : {}),
            ...(use.job ? { lastKeptAliveAt: use.job.at, lastUsedByJob: use.job.name } : {}),
          },
        }),
      tokenId,
    );
  }
}
