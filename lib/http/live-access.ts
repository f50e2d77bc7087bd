import 'server-only';
// Open live streams, by viewer, so access changes reach them at once instead of at the next
// reconnect: a mutation that may narrow access announces it (lib/auth/access-changed.ts), and every
// minute a safety net re-checks everyone with a stream (changes made by another process included).
// On globalThis: the custom server and Next's bundles load their own copies of this module.
import { onAccessChanged } from '../auth/access-changed';
import { findActiveViewer } from '../auth/find-viewer';
import { can } from '../auth/permissions';
import type { Viewer } from '../auth/session';
import { streamAccessFor } from '../custody/stream-access';
import { AppError } from '../errors';
import { logger } from '../log';
import type { SseSession } from './sse';

/** Why this signed-in viewer may not watch live data, or null when they may: the rule at connect and at every re-check. */
export function liveRefusal(viewer: Viewer): AppError | null {
  if (viewer.mustChangePassword) return new AppError('forbidden', 'Change your temporary password first.', { messageKey: 'errors.passwordChangeRequired' });
  if (viewer.mustEnrolSecondFactor) return new AppError('forbidden', 'Your team requires a second factor: add one on your account first.', { messageKey: 'errors.secondFactor.enrolmentRequired', values: { reason: 'second_factor_enrolment_required' } });
  if (!can(viewer.role, 'overview.read')) return new AppError('forbidden', 'Your role may not watch live data.', { messageKey: 'errors.roleForbids' });
  return null;
}

/** How often every viewer with a live stream is re-checked, whatever was announced. */
export const LIVE_ACCESS_INTERVAL_MS = 60_000;
/** Viewers re-checked at once (each costs two queries). */
const CONCURRENCY = 8;

/** What a session was opened with: the claims' session version and id, and the token feeding its market topics. */
export interface LiveGrant {
  viewerId: string;
  sessionVersion: number;
  /** The signed-in session (cookie) behind the stream: signing it out ends the stream. */
  sessionId: string;
  marketTokenId: string | null;
}

interface Entry extends LiveGrant {
  session: SseSession;
}

interface Registry {
  byViewer: Map<string, Set<Entry>>;
  timer: ReturnType<typeof setInterval> | null;
  sweeping: boolean;
  /** Bumped on every announcement: a session whose grants were read before one gets re-checked once tracked. */
  changes: number;
}

const globalForLive = globalThis as unknown as { strongroomLiveAccess?: Registry };

function registry(): Registry {
  if (!globalForLive.strongroomLiveAccess) {
    globalForLive.strongroomLiveAccess = { byViewer: new Map(), timer: null, sweeping: false, changes: 0 };
    onAccessChanged('live-streams', (userIds) => {
      registry().changes++;
      return recheckLiveAccess(userIds);
    });
  }
  return globalForLive.strongroomLiveAccess;
}

/** A mark to take before reading a viewer's grants for a new session; pass it to trackLiveSession. */
export function liveAccessMark(): number {
  return registry().changes;
}

/**
 * Keeps `session` where access changes reach it until it closes. `mark` is liveAccessMark() from
 * before the grants were read: when a change was announced since, the session is re-checked now.
 * Returns the function to call when the session closes (its onClose).
 */
export function trackLiveSession(session: SseSession, grant: LiveGrant, mark: number): () => void {
  const reg = registry();
  const entry: Entry = { ...grant, session };
  const untrack = () => forget(entry);
  if (session.closed) return untrack;
  let entries = reg.byViewer.get(grant.viewerId);
  if (!entries) reg.byViewer.set(grant.viewerId, (entries = new Set()));
  entries.add(entry);
  reg.timer ??= startSweeps();
  if (reg.changes !== mark) void recheckLiveAccess([grant.viewerId]);
  return untrack;
}

function forget(entry: Entry) {
  const reg = registry();
  const entries = reg.byViewer.get(entry.viewerId);
  if (!entries?.delete(entry)) return;
  if (entries.size === 0) reg.byViewer.delete(entry.viewerId);
  if (reg.byViewer.size === 0 && reg.timer) {
    clearInterval(reg.timer);
    reg.timer = null;
  }
}

function startSweeps(): ReturnType<typeof setInterval> {
  const timer = setInterval(sweep, LIVE_ACCESS_INTERVAL_MS);
  // The safety net must not keep a process alive that has nothing else to do.
  timer.unref?.();
  return timer;
}

async function sweep() {
  const reg = registry();
  // A slow database must not pile sweeps on top of each other.
  if (reg.sweeping) return;
  reg.sweeping = true;
  try {
    await recheckLiveAccess();
  } finally {
    reg.sweeping = false;
  }
}

/** Every open live session on this instance (the drain tells each to reconnect elsewhere). */
export function openLiveSessions(): SseSession[] {
  return [...registry().byViewer.values()].flatMap((entries) => [...entries].map((entry) => entry.session));
}

/** Viewers with live sessions, and how many each holds (tests, metrics). */
export function liveSessionCounts(): Record<string, number> {
  return Object.fromEntries([...registry().byViewer].map(([viewerId, entries]) => [viewerId, entries.size]));
}

/**
 * Re-checks the live sessions of these viewers (undefined = everyone with one) against the database
 * as it is now: one lookup per viewer, shared by all their sessions. A viewer who may no longer
 * watch (disabled, signed out everywhere, password or role changed, temporary password) loses
 * every session ('revoked'), and a stream whose signed-in session was signed out loses it too; a session whose market-data token is no longer the viewer's is
 * revoked too (the browser reconnects onto the right one); the rest drop only the topics now
 * refused. Never throws: a failed check leaves the sessions as they are and is logged.
 */
export async function recheckLiveAccess(userIds?: string[]): Promise<void> {
  const reg = registry();
  const viewerIds = (userIds ? [...new Set(userIds)] : [...reg.byViewer.keys()]).filter((id) => reg.byViewer.has(id));
  let next = 0;
  const worker = async () => {
    while (next < viewerIds.length) await recheckViewer(viewerIds[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, viewerIds.length) }, worker));
}

async function recheckViewer(viewerId: string): Promise<void> {
  try {
    const sessions = [...(registry().byViewer.get(viewerId) ?? [])];
    if (sessions.length === 0) return;
    const found = await findActiveViewer(viewerId, sessions.map((entry) => entry.sessionId));
    const viewer = found && !liveRefusal(found.viewer) ? found.viewer : null;
    for (const entry of sessions) {
      if (!viewer || entry.sessionVersion !== found!.sessionVersion || !found!.openSessionIds.has(entry.sessionId)) entry.session.close('revoked');
    }
    const current = sessions.filter((entry) => !entry.session.closed);
    if (!viewer || current.length === 0) return;
    const access = await streamAccessFor(viewer);
    await Promise.all(
      current.map((entry) => {
        if (entry.session.closed) return;
        if (entry.marketTokenId !== access.marketTokenId) return entry.session.close('revoked');
        return entry.session.reauthorize((topic) => access.authorize(topic));
      }),
    );
  } catch (error) {
    logger().error({ err: error, viewerId }, 'live stream access re-check failed; sessions left as they were');
  }
}
