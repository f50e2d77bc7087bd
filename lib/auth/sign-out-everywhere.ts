import 'server-only';
// "Sign out everywhere" on the Account page: every session of the viewer ends, this one included,
// and so does every live stream they hold open.
import { withAudit } from '../audit/append-audit';
import { accessChanged } from './access-changed';
import { requirePermission } from './session';
import { closeAllSessions } from './sessions';

/** Closes every session of the viewer; returns how many were open. */
export async function signOutEverywhere(): Promise<{ sessionsEnded: number }> {
  const viewer = await requirePermission('account.update');
  const sessionsEnded = await withAudit(
    (count: number) => ({ action: 'auth.sessions_revoked', actor: { id: viewer.id, label: viewer.email }, targetId: viewer.id, details: { sessions: count } }),
    (tx) => closeAllSessions(tx, viewer.id),
  );
  await accessChanged([viewer.id]);
  return { sessionsEnded };
}
