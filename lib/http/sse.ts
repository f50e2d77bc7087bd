import 'server-only';
// One EventSource, many topics: hub events out as SSE frames, one write per flush, resumable ids, heartbeats,
// coalescing for slow clients under a hard byte cap, and cleanup that releases every hub subscription.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock, type TimerHandle } from '@/lib/hub/clock';
import type { Hub, Subscription } from '@/lib/hub/create-hub';
import type { HubEvent } from '@/lib/hub/dto';
import { parseTopic } from '@/lib/hub/topics';

/** Headers that keep proxies, CDNs and compression from buffering the stream. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
};

export interface SseSessionOptions {
  hub: Pick<Hub, 'subscribe' | 'epoch'>;
  /** Who is watching (metrics: viewers per topic). */
  viewerKey: string;
  /** The token that feeds market topics; portfolio/positions topics name their own. */
  tokenId: string;
  topics: string[];
  /** The caller's grant check, run for every topic before it is subscribed. */
  authorizeTopic(topic: string): boolean | Promise<boolean>;
  /** The browser's Last-Event-ID header (or `lastEventId` query parameter). */
  lastEventId?: string | null;
  /** Comment line when nothing else was written for this long. Default 15 s. */
  heartbeatMs?: number;
  /** EventSource reconnect delay sent to the browser; each session adds up to 50% jitter. Default 3 s. */
  retryMs?: number;
  /** Hard cap on bytes waiting for a slow client; past it the session ends (the browser resumes). Default 1 MiB. */
  maxPendingBytes?: number;
  /** Topics one session may ask for. Default 256. */
  maxTopics?: number;
  /** Sessions end after this long (with jitter) so a missed disconnect cannot leak forever. 0 = never. Default 15 min. */
  maxLifetimeMs?: number;
  /** Schedules a flush; default setImmediate, so everything that arrives in one I/O turn goes out in one write. */
  defer?: (fn: () => void) => void;
  clock?: Clock;
  random?: () => number;
  onClose?: (reason: SseCloseReason) => void;
}

export type SseCloseReason = 'disconnect' | 'slow_client' | 'lifetime' | 'server' | 'error';

/** Where frames go: a node response, a ReadableStream controller, or a test double. */
export interface SseSink {
  /** Writes one chunk; false when the transport is not draining (call drained() when it is). */
  write(chunk: string): boolean;
  end(): void;
}

export interface SseSessionStats {
  writes: number;
  events: number;
  coalesced: number;
  pendingEvents: number;
  pendingBytes: number;
  paused: boolean;
}

export interface SseSession {
  /** Resolves once authorization is done and the accepted topics are subscribed. */
  readonly ready: Promise<void>;
  readonly closed: boolean;
  /** The transport can take more: flush what waits. */
  drained(): void;
  close(reason?: SseCloseReason): void;
  stats(): SseSessionStats;
}

/**
 * Resume token, the SSE `id` (sent on the last frame of each flush):
 *   `<n>.<epoch>.<seq>.<topics>`: n = per-session event counter (base 36, continues across resumes),
 *   epoch = the hub's epoch, seq = highest hub sequence delivered (base 36), topics = FNV-1a of the
 *   sorted topic list (base 36). A different epoch or topic list resumes as a fresh session + `resync`.
 */
export interface ResumeToken {
  n: number;
  epoch: string;
  seq: number;
  topicsHash: string;
}

export function formatResumeToken(token: ResumeToken): string {
  return `${token.n.toString(36)}.${token.epoch}.${token.seq.toString(36)}.${token.topicsHash}`;
}

export function parseResumeToken(value: string | null | undefined): ResumeToken | null {
  if (!value || value.length > 100) return null;
  const parts = value.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^[0-9a-z]{1,20}$/.test(p))) return null;
  const n = parseInt(parts[0]!, 36);
  const seq = parseInt(parts[2]!, 36);
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(seq)) return null;
  return { n, epoch: parts[1]!, seq, topicsHash: parts[3]! };
}

/** FNV-1a over the sorted, de-duplicated topic list. */
export function topicsHash(topics: readonly string[]): string {
  let hash = 0x811c9dc5;
  for (const topic of [...new Set(topics)].sort()) {
    for (let i = 0; i < topic.length; i++) hash = Math.imul(hash ^ topic.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0x0a, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

interface Frame {
  /** `event:` and `data:` lines, without the blank line that ends the frame. */
  text: string;
  bytes: number;
}

const EVENT_NAME: Record<HubEvent['kind'], string> = {
  data: 'data',
  // Not 'error': EventSource fires 'error' for connection failures too, and the two must not be confused.
  error: 'topic-error',
  status: 'status',
  resync: 'resync',
};

// One serialisation per hub event, shared by every session that receives it.
const frames = new WeakMap<HubEvent, Frame>();

function frameOf(event: HubEvent): Frame {
  let frame = frames.get(event);
  if (!frame) {
    const text = `event: ${EVENT_NAME[event.kind]}\ndata: ${JSON.stringify(event)}\n`;
    frame = { text, bytes: Buffer.byteLength(text) };
    frames.set(event, frame);
  }
  return frame;
}

function plainFrame(name: string, data: unknown): Frame {
  const text = `event: ${name}\ndata: ${JSON.stringify(data)}\n`;
  return { text, bytes: Buffer.byteLength(text) };
}

/** What may replace what while the client is not reading: the latest value per topic, per stream status. */
function coalesceKey(event: HubEvent): string {
  switch (event.kind) {
    case 'data':
      return `d ${event.topic}`;
    case 'error':
      return `e ${event.topic}`;
    case 'resync':
      return `r ${event.topic}`;
    case 'status':
      return `s ${event.tokenId} ${event.stream}`;
  }
}

/** The framework-agnostic session; the adapters below connect it to a transport. */
export function createSseSession(options: SseSessionOptions, sink: SseSink): SseSession {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const maxPendingBytes = options.maxPendingBytes ?? 1024 * 1024;
  const maxTopics = options.maxTopics ?? 256;
  const defer = options.defer ?? ((fn: () => void) => setImmediate(fn));
  const requested = [...new Set(options.topics)];
  const hash = topicsHash(requested);
  const resume = parseResumeToken(options.lastEventId);

  let closed = false;
  let paused = false;
  let flushScheduled = false;
  let subscription: Subscription | null = null;
  let n = resume ? resume.n : 0;
  let seq = resume && resume.epoch === options.hub.epoch ? resume.seq : 0;
  let lastWriteAt = clock.now();
  let heartbeatTimer: TimerHandle | undefined;
  let lifetimeTimer: TimerHandle | undefined;
  const stats = { writes: 0, events: 0, coalesced: 0 };

  // Pending frames in order; while paused, `slots` maps a coalesce key to its index so a newer value replaces an older one.
  let queue: (Frame | null)[] = [];
  let pendingBytes = 0;
  let pendingEvents = 0;
  let slots: Map<string, number> | null = null;

  const write = (chunk: string): boolean => {
    lastWriteAt = clock.now();
    stats.writes++;
    try {
      return sink.write(chunk);
    } catch {
      close('error');
      return false;
    }
  };

  const enqueue = (frame: Frame, key: string | null) => {
    if (closed) return;
    if (slots && key !== null) {
      const at = slots.get(key);
      if (at !== undefined) {
        pendingBytes -= queue[at]!.bytes;
        queue[at] = frame;
        pendingBytes += frame.bytes;
        stats.coalesced++;
        return;
      }
      slots.set(key, queue.length);
    }
    queue.push(frame);
    pendingEvents++;
    pendingBytes += frame.bytes;
    if (pendingBytes > maxPendingBytes) return close('slow_client');
    if (!paused && !flushScheduled) {
      flushScheduled = true;
      defer(flush);
    }
  };

  const receive = (event: HubEvent) => {
    if (event.kind === 'data' && event.seq > seq) seq = event.seq;
    enqueue(frameOf(event), coalesceKey(event));
  };

  /** Everything pending, as one chunk, with the resume id on the last frame. */
  const flush = () => {
    flushScheduled = false;
    if (closed || paused || pendingEvents === 0) return;
    let out = '';
    let last: Frame | null = null;
    for (const frame of queue) {
      if (!frame) continue;
      if (last) out += `${last.text}\n`;
      last = frame;
    }
    n++;
    out += `${last!.text}id: ${formatResumeToken({ n, epoch: options.hub.epoch, seq, topicsHash: hash })}\n\n`;
    stats.events += pendingEvents;
    queue = [];
    pendingEvents = 0;
    pendingBytes = 0;
    slots = null;
    if (!write(out)) {
      paused = true;
      slots = new Map();
    }
  };

  const armHeartbeat = (ms: number) => {
    heartbeatTimer = clock.setTimeout(() => {
      if (closed) return;
      const quiet = clock.now() - lastWriteAt;
      if (quiet >= heartbeatMs) {
        // A paused client is already behind; a comment would only add to its backlog.
        if (!paused && !write(': hb\n\n')) {
          paused = true;
          slots = new Map();
        }
        armHeartbeat(heartbeatMs);
      } else armHeartbeat(heartbeatMs - quiet);
    }, ms);
  };

  const close = (reason: SseCloseReason = 'server') => {
    if (closed) return;
    closed = true;
    if (heartbeatTimer !== undefined) clock.clearTimeout(heartbeatTimer);
    if (lifetimeTimer !== undefined) clock.clearTimeout(lifetimeTimer);
    queue = [];
    slots = null;
    pendingBytes = 0;
    pendingEvents = 0;
    subscription?.close();
    subscription = null;
    try {
      sink.end();
    } catch {
      // The transport is already gone.
    }
    options.onClose?.(reason);
  };

  const start = async () => {
    const retry = Math.round((options.retryMs ?? 3000) * (1 + random() / 2));
    write(`retry: ${retry}\n: ok\n\n`);
    armHeartbeat(heartbeatMs);
    if (options.maxLifetimeMs !== 0) lifetimeTimer = clock.setTimeout(() => close('lifetime'), (options.maxLifetimeMs ?? 15 * 60_000) * (1 + random() / 4));

    const refused: { topic: string; code: 'invalid_topic' | 'forbidden' }[] = [];
    const candidates = requested.filter((topic, i) => {
      if (i >= maxTopics || !parseTopic(topic)) {
        refused.push({ topic, code: 'invalid_topic' });
        return false;
      }
      return true;
    });
    const verdicts = await Promise.all(
      candidates.map(async (topic) => {
        try {
          return (await options.authorizeTopic(topic)) === true;
        } catch {
          return false;
        }
      }),
    );
    // The client may have left while grants were checked: subscribing now would leak.
    if (closed) return;
    const accepted = candidates.filter((topic, i) => {
      if (verdicts[i]) return true;
      refused.push({ topic, code: 'forbidden' });
      return false;
    });
    const resumable = resume !== null && resume.topicsHash === hash;
    enqueue(plainFrame('ready', { topics: accepted, resumed: resumable && resume.epoch === options.hub.epoch }), null);
    for (const { topic, code } of refused) {
      const message = code === 'forbidden' ? 'You may not watch this topic.' : 'Not a topic this server knows.';
      enqueue(frameOf({ kind: 'error', topic, code, message, retrying: false }), null);
    }
    if (resume && !resumable) {
      // The id is from another topic list: treat the client's state as unknown.
      for (const topic of accepted) enqueue(frameOf({ kind: 'resync', topic, reason: 'unknown' }), null);
    }
    subscription = options.hub.subscribe(options.viewerKey, options.tokenId, accepted, receive, resumable ? { resumeFrom: { epoch: resume.epoch, seq: resume.seq } } : {});
  };

  const ready = start().catch(() => close('error'));

  return {
    ready,
    get closed() {
      return closed;
    },
    drained() {
      if (closed || !paused) return;
      paused = false;
      slots = null;
      flush();
    },
    close,
    stats: () => ({ ...stats, pendingEvents, pendingBytes, paused }),
  };
}

/** Options for the adapters: the session's, with Last-Event-ID read from the request. */
export type SseRequestOptions = Omit<SseSessionOptions, 'lastEventId'>;

function lastEventIdOf(header: string | null | undefined, url: string | undefined): string | null {
  if (header) return header;
  if (!url) return null;
  // Mercure-style query parameter, for the gap between page render and the first connection.
  return new URL(url, 'http://localhost').searchParams.get('lastEventId');
}

/** A Response for a Next route handler (app/api/stream/route.ts): a ReadableStream that honours backpressure. */
export function sseResponse(request: Request, options: SseRequestOptions): Response {
  const encoder = new TextEncoder();
  let session: SseSession | null = null;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        session = createSseSession({ ...options, lastEventId: lastEventIdOf(request.headers.get('last-event-id'), request.url) }, {
          write(chunk) {
            if (cancelled) throw new Error('stream cancelled');
            controller.enqueue(encoder.encode(chunk));
            return (controller.desiredSize ?? 0) > 0;
          },
          end() {
            if (!cancelled) controller.close();
          },
        });
      },
      pull() {
        session?.drained();
      },
      cancel() {
        cancelled = true;
        session?.close('disconnect');
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
  // Some runtimes never cancel the body on disconnect (next.js#50804); the abort signal is the second net.
  request.signal?.addEventListener('abort', () => session?.close('disconnect'), { once: true });
  return new Response(stream, { headers: SSE_HEADERS });
}

/** The node:http fast path: the same session straight onto a ServerResponse. */
export function serveSse(req: IncomingMessage, res: ServerResponse, options: SseRequestOptions): SseSession {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  req.socket.setTimeout(0);
  req.socket.setNoDelay(true);
  const header = req.headers['last-event-id'];
  const session = createSseSession({ ...options, lastEventId: lastEventIdOf(Array.isArray(header) ? header[0] : header, req.url) }, {
    write: (chunk) => res.write(chunk),
    end: () => res.end(),
  });
  res.on('drain', () => session.drained());
  res.on('close', () => session.close('disconnect'));
  res.on('error', () => session.close('error'));
  return session;
}
