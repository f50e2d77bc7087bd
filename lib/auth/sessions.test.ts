// Sessions live on the server: signing out closes one (a copy of its cookie stops working at
// once), "sign out everywhere" closes them all, and a session lasts 12 hours from sign-in.
import { describe, expect, it, vi } from 'vitest';
import { db } from '../db';
import { createUser, type TestUser } from '../testing/create-user';
import { actAs } from '../testing/fake-session';
import { withTestDatabase } from '../testing/test-db';
import { pageViewer } from './page-viewer';
import { getViewer } from './session';
import { closeSession } from './sessions';
import { signIn } from './sign-in';

vi.mock('./next-auth', () => import('../testing/fake-session'));

withTestDatabase();

/** Signs in for real and returns what the cookie would carry. */
async function openSessionFor(user: TestUser) {
  const signedIn = await signIn({ email: user.email, password: user.password }, { ip: '192.0.2.1' });
  return { id: signedIn.id, sessionVersion: signedIn.sessionVersion, sessionId: signedIn.sessionId };
}

function apiRequest(path: string, method = 'GET') {
  return new Request(`http://strongroom.test${path}`, { method, headers: { host: 'strongroom.test', 'content-type': 'application/json' } });
}

async function teamStatus(): Promise<number> {
  const { GET } = await import('@/app/api/team/route');
  return (await GET(apiRequest('/api/team'), { params: Promise.resolve({}) })).status;
}

/** Where pageViewer sends the viewer: null when it lets them through. */
async function pageRedirect(): Promise<string | null> {
  try {
    await pageViewer();
    return null;
  } catch (error) {
    const digest = (error as { digest?: string }).digest ?? '';
    if (!digest.startsWith('NEXT_REDIRECT')) throw error;
    return digest.split(';')[2] ?? '';
  }
}

const actions = async () => (await db().auditEvent.findMany({ orderBy: { seq: 'asc' }, select: { action: true, details: true } })).filter((record) => record.action !== 'auth.login');

describe('sessions', () => {
  it('signing out ends that session only: its cookie gets 401 from the API and a redirect from pages', async () => {
    const user = await createUser('member');
    const laptop = await openSessionFor(user);
    const phone = await openSessionFor(user);
    actAs(laptop);
    expect((await getViewer())?.id).toBe(user.id);
    expect(await teamStatus()).toBe(200);
    expect(await pageRedirect()).toBeNull();

    expect(await closeSession({ uid: user.id, sid: laptop.sessionId })).toBe(true);
    // The same claims (a copy of the cookie) no longer count.
    expect(await getViewer()).toBeNull();
    expect(await teamStatus()).toBe(401);
    expect(await pageRedirect()).toBe('/login');
    // A second sign-out of the same session records nothing more.
    expect(await closeSession({ uid: user.id, sid: laptop.sessionId })).toBe(false);
    expect(await actions()).toEqual([{ action: 'auth.logout', details: {} }]);

    actAs(phone);
    expect((await getViewer())?.id).toBe(user.id);
  });

  it('a session id cannot be used for another user, and a forged one counts for nothing', async () => {
    const user = await createUser('member');
    const other = await createUser('member');
    const mine = await openSessionFor(user);
    actAs({ id: other.id, sessionVersion: other.sessionVersion, sessionId: mine.sessionId });
    expect(await getViewer()).toBeNull();
    expect(await closeSession({ uid: other.id, sid: mine.sessionId })).toBe(false);
    actAs({ ...mine, sessionId: '6f1c2d3e-4b5a-4c6d-8e7f-001122334455' });
    expect(await getViewer()).toBeNull();
    actAs({ ...mine, sessionId: 'not-a-uuid' });
    expect(await getViewer()).toBeNull();
    actAs(mine);
    expect((await getViewer())?.id).toBe(user.id);
  });

  it('sign out everywhere (DELETE /api/account/sessions) ends every session of the viewer and nobody else’s', async () => {
    const user = await createUser('member');
    const other = await createUser('viewer');
    const laptop = await openSessionFor(user);
    const phone = await openSessionFor(user);
    const theirs = await openSessionFor(other);
    actAs(laptop);
    const { DELETE } = await import('@/app/api/account/sessions/route');
    const response = await DELETE(apiRequest('/api/account/sessions', 'DELETE'), { params: Promise.resolve({}) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sessionsEnded: 2 });
    for (const session of [laptop, phone]) {
      actAs(session);
      expect(await getViewer()).toBeNull();
    }
    actAs(theirs);
    expect((await getViewer())?.id).toBe(other.id);
    expect(await actions()).toEqual([{ action: 'auth.sessions_revoked', details: { sessions: 2 } }]);
    // Signing out afterwards (the browser clears its cookie) finds nothing left to close.
    expect(await closeSession({ uid: user.id, sid: laptop.sessionId })).toBe(false);
  });

  it('ends 12 hours after sign-in, and sign-in clears away expired records', async () => {
    const user = await createUser('member');
    const session = await openSessionFor(user);
    const record = await db().session.findUniqueOrThrow({ where: { id: session.sessionId } });
    expect(record.expiresAt.getTime() - record.createdAt.getTime()).toBe(12 * 3600_000);
    await db().session.update({ where: { id: session.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    actAs(session);
    expect(await getViewer()).toBeNull();
    await openSessionFor(user);
    expect(await db().session.count({ where: { id: session.sessionId } })).toBe(0);
  });
});
