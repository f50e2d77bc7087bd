import 'server-only';
// GET /api/stream?topics=a,b,c – the one function behind both the node:http fast path
// (lib/server/main.ts) and the Next route handler (app/api/stream/route.ts): same session check,
// same per-topic grant check, same per-user and per-token limits (live-limits.ts), same SSE
// session, and both kept where access changes reach them.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findViewer } from '../auth/find-viewer';
import { claimsFromCookieHeader } from '../auth/next-auth';
import { streamAccessFor } from '../custody/stream-access';
import { AppError } from '../errors';
import { MAX_TOPIC_LENGTH } from '../hub/topics';
import { streamHub } from '../server/stream-hub';
import { toErrorResponse } from './errors';
import { liveAccessMark, liveRefusal, trackLiveSession } from './live-access';
import { liveLimiter } from './live-limits';
import { serveSse, sseResponse, type SseRequestOptions, type SseSession } from './sse';

export const STREAM_PATH = '/api/stream';
const MAX_TOPICS = 256;

/** A stream about to open: the session's options, and `watch` to call with the session once created. */
export interface LiveStream {
  options: SseRequestOptions;
  /** Keeps the session where access changes reach it (lib/http/live-access.ts) until it closes. */
  watch(session: SseSession): void;
}

/** Authenticates the cookie, reads the topic list and builds the session's options; throws AppError. */
export async function liveStreamOptions(cookie: string | null | undefined, url: string): Promise<LiveStream> {
  // Taken before anything is read: a change announced from here on is re-checked once the session is watched.
  const mark = liveAccessMark();
  const claims = await claimsFromCookieHeader(cookie ?? undefined);
  const viewer = claims ? await findViewer(claims) : null;
  if (!claims || !viewer) throw new AppError('unauthenticated', 'Sign in to watch live data.');
  const refusal = liveRefusal(viewer);
  if (refusal) throw refusal;
  const raw = new URL(url, 'http://localhost').searchParams.get('topics') ?? '';
  const topics = raw.split(',').filter(Boolean);
  if (topics.length === 0) throw new AppError('invalid', 'Name at least one topic: ?topics=lastPrice:<uid>,…');
  if (topics.length > MAX_TOPICS || topics.some((t) => t.length > MAX_TOPIC_LENGTH)) throw new AppError('invalid', `At most ${MAX_TOPICS} topics per stream.`);
  const access = await streamAccessFor(viewer);
  // Over a cap the connection is refused (429) before it opens; given back when the session closes.
  const lease = liveLimiter().connect(viewer.id, access.marketTokenId);
  const options: SseRequestOptions = {
    hub: streamHub(),
    viewerKey: viewer.id,
    // Topics the viewer may not watch never reach the hub; '' only ever pairs with refused market topics.
    tokenId: access.marketTokenId ?? '',
    topics,
    maxTopics: MAX_TOPICS,
    authorizeTopic: (topic) => access.authorize(topic),
    admitTopics: (accepted) => lease.admit(accepted),
  };
  const grant = { viewerId: viewer.id, sessionVersion: claims.sv, sessionId: claims.sid, marketTokenId: access.marketTokenId };
  let untrack: (() => void) | undefined;
  const onClose = options.onClose;
  return {
    options: {
      ...options,
      onClose(reason) {
        untrack?.();
        lease.release();
        onClose?.(reason);
      },
    },
    watch(session) {
      untrack = trackLiveSession(session, grant, mark);
    },
  };
}

/** The route-handler flavour (next dev, other deployments). */
export async function liveStreamResponse(request: Request): Promise<Response> {
  try {
    const stream = await liveStreamOptions(request.headers.get('cookie'), request.url);
    return sseResponse(request, stream.options, stream.watch);
  } catch (error) {
    return toErrorResponse(error, crypto.randomUUID());
  }
}

/** The node:http flavour: no Next stack between the socket and the session. */
export async function serveLiveStream(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let stream: LiveStream;
  try {
    stream = await liveStreamOptions(req.headers.cookie, req.url ?? '/');
  } catch (error) {
    const response = toErrorResponse(error, crypto.randomUUID());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
    return;
  }
  // Gone while we checked: no session will close, so give its share of the limits back here.
  if (res.destroyed) return stream.options.onClose?.('disconnect');
  stream.watch(serveSse(req, res, stream.options));
}
