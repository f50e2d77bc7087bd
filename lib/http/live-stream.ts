import 'server-only';
// GET /api/stream?topics=a,b,c – the one function behind both the node:http fast path
// (lib/server/main.ts) and the Next route handler (app/api/stream/route.ts): same session check,
// same per-topic grant check, same SSE session.
import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { viewerFromCookieHeader } from '../auth/next-auth';
import { can } from '../auth/permissions';
import { streamAccessFor } from '../custody/stream-access';
import { AppError } from '../errors';
import { MAX_TOPIC_LENGTH } from '../hub/topics';
import { streamHub } from '../server/stream-hub';
import { toErrorResponse } from './errors';
import { serveSse, sseResponse, type SseRequestOptions } from './sse';

export const STREAM_PATH = '/api/stream';
const MAX_TOPICS = 256;

/** Authenticates the cookie, reads the topic list and builds the session's options; throws AppError. */
export async function liveStreamOptions(cookie: string | null | undefined, url: string): Promise<SseRequestOptions> {
  const viewer = await viewerFromCookieHeader(cookie ?? undefined);
  if (!viewer) throw new AppError('unauthenticated', 'Sign in to watch live data.');
  if (viewer.mustChangePassword) throw new AppError('forbidden', 'Change your temporary password first.');
  if (!can(viewer.role, 'overview.read')) throw new AppError('forbidden', 'Your role may not watch live data.');
  const raw = new URL(url, 'http://localhost').searchParams.get('topics') ?? '';
  const topics = raw.split(',').filter(Boolean);
  if (topics.length === 0) throw new AppError('invalid', 'Name at least one topic: ?topics=lastPrice:<uid>,…');
  if (topics.length > MAX_TOPICS || topics.some((t) => t.length > MAX_TOPIC_LENGTH)) throw new AppError('invalid', `At most ${MAX_TOPICS} topics per stream.`);
  const access = await streamAccessFor(viewer);
  return {
    hub: streamHub(),
    viewerKey: viewer.id,
    // Topics the viewer may not watch never reach the hub; '' only ever pairs with refused market topics.
    tokenId: access.marketTokenId ?? '',
    topics,
    maxTopics: MAX_TOPICS,
    authorizeTopic: (topic) => access.authorize(topic),
  };
}

/** The route-handler flavour (next dev, other deployments). */
export async function liveStreamResponse(request: Request): Promise<Response> {
  try {
    return sseResponse(request, await liveStreamOptions(request.headers.get('cookie'), request.url));
  } catch (error) {
    return toErrorResponse(error, crypto.randomUUID());
  }
}

/** The node:http flavour: no Next stack between the socket and the session. */
export async function serveLiveStream(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let options: SseRequestOptions;
  try {
    options = await liveStreamOptions(req.headers.cookie, req.url ?? '/');
  } catch (error) {
    const response = toErrorResponse(error, crypto.randomUUID());
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
    return;
  }
  if (res.destroyed) return;
  serveSse(req, res, options);
}
