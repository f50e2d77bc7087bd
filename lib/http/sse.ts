import 'server-only';
// One EventSource, many topics: hub events out as SSE frames, one write per flush, resumable ids, heartbeats,
// coalescing for slow clients under a hard byte cap, and cleanup that releases every hub subscription.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { systemClock, type Clock, type TimerHandle } from '@/lib/hub/clock';
import type { Hub, Subscription } from '@/lib/hub/create-hub';
import type { HubEvent } from '@/lib/hub/dto';
import { parseTopic } from '@/lib/hub/topics';
// The registry alone, not lib/ops's index: metrics read live sessions, which import this file.
import { countDeliveredEvents } from '@/lib/ops/registry';

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
  /** Topics one session may ask for; the rest get `topic-error` `limit`. Default 256. */
  maxTopics?: number;
  /**
   * Caps beyond this session (per user, per token): given the authorized topics, returns those that
   * fit, in order; the others get `topic-error` `limit`. Called once, before subscribing.
   */
  admitTopics?(topics: string[]): string[];
  /** Sessions end after this long (with jitter) so a missed disconnect cannot leak forever. 0 = never. Default 15 min. */
  maxLifetimeMs?: number;
  /** Schedules a flush (tests). Default: one shared setImmediate for every session, so everything that arrives in one I/O turn goes out in one write per client. */
  defer?: (fn: () => void) => void;
  clock?: Clock;
  random?: () => number;
  onClose?: (reason: SseCloseReason) => void;
}

/** 'draining': the instance shuts down; the browser is told to reconnect (to another instance). */
export type SseCloseReason = 'disconnect' | 'slow_client' | 'lifetime' | 'server' | 'error' | 'revoked' | 'draining';

/** How soon, at most, a drained browser reconnects; each session picks a random delay below it so they do not all arrive at once. */
export const DRAIN_RECONNECT_MS = 2000;

/**
 * Bytes for the wire. Flushes that many sessions send identically (one event, same topic list) share one
 * chunk, so the text is encoded and framed once per event instead of once per client.
 */
export class SseChunk {
  #bytes: Buffer | undefined;
  #chunked: Buffer | undefined;
  constructor(readonly text: string) {}
  get bytes(): Buffer {
    return (this.#bytes ??= Buffer.from(this.text));
  }
  /** The bytes as one HTTP/1.1 chunk (size line, data, CRLF), for writing straight to the socket. */
  get chunked(): Buffer {
    if (!this.#chunked) {
      const bytes = this.bytes;
      const head = `${bytes.length.toString(16)}\r\n`;
      const out = Buffer.allocUnsafe(head.length + bytes.length + 2);
      out.write(head, 0, 'latin1');
      bytes.copy(out, head.length);
      out.write('\r\n', head.length + bytes.length, 'latin1');
      this.#chunked = out;
    }
    return this.#chunked;
  }
}

/** Where frames go: a node socket, a ReadableStream controller, or a test double. */
export interface SseSink {
  /** Writes one chunk; false when the transport is not draining (call drained() when it is). */
  write(chunk: SseChunk): boolean;
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
  /**
   * Checks every subscribed topic again (grants changed): topics now refused are released and get a
   * `topic-error` (forbidden); the rest stream on untouched. Resolves with the topics still held.
   */
  reauthorize(authorizeTopic: SseSessionOptions['authorizeTopic']): Promise<string[]>;
  stats(): SseSessionStats;
}

/**
 * Resume token, the SSE `id` (sent on the last frame of each flush): `<epoch>.<seq>.<topics>`:
 * epoch = the hub's epoch, seq = highest hub sequence delivered (base 36), topics = FNV-1a of the
 * sorted topic list (base 36). Nothing in it is per session, so sessions watching the same topics
 * share their frames. A different epoch or topic list resumes as a fresh session + `resync`.
 */
export interface ResumeToken {
  epoch: string;
  seq: number;
  topicsHash: string;
}

export function formatResumeToken(token: ResumeToken): string {
  return `${token.epoch}.${token.seq.toString(36)}.${token.topicsHash}`;
}

export function parseResumeToken(value: string | null | undefined): ResumeToken | null {
  if (!value || value.length > 100) return null;
  const parts = value.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[0-9a-z]{1,20}$/.test(p))) return null;
  const seq = parseInt(parts[1]!, 36);
  if (!Number.isSafeInteger(seq)) return null;
  return { epoch: parts[0]!, seq, topicsHash: parts[2]! };
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
  /** The frame alone with its resume id, for the seq and topic list that asked last (most sessions share one). */
  alone?: { seq: number; topicsHash: string; chunk: SseChunk };
}

const EVENT_NAME: Record<HubEvent['kind'], string> = {
  data: 'data',
  // Not 'error': EventSource fires 'error' for connection failures too, and the two must not be confused.
  error: 'topic-error',
  status: 'status',
  resync: 'resync',
  health: 'topic-health',
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

/** A frame and the id line that closes a flush, shared with every session that asks for the same id. */
function frameWithId(frame: Frame, id: ResumeToken): SseChunk {
  const alone = frame.alone;
  if (alone && alone.seq === id.seq && alone.topicsHash === id.topicsHash) return alone.chunk;
  const chunk = new SseChunk(`${frame.text}id: ${formatResumeToken(id)}\n\n`);
  frame.alone = { seq: id.seq, topicsHash: id.topicsHash, chunk };
  return chunk;
}

/**
 * What may replace what while the client is not reading: the latest value per topic, per stream status.
 * Position changes never replace each other (each carries only what changed); null keeps every one,
 * and the byte cap still bounds them.
 */
function coalesceKey(event: HubEvent): string | null {
  switch (event.kind) {
    case 'data':
      return event.data.type === 'position' ? null : `d ${event.topic}`;
    case 'error':
      return `e ${event.topic}`;
    case 'resync':
      return `r ${event.topic}`;
    case 'health':
      return `h ${event.topic}`;
    case 'status':
      return `s ${event.tokenId} ${event.stream}`;
  }
}

/**
 * Sessions with something to send, flushed together on the next check phase: everything that arrives
 * in one I/O turn goes out in one write per client, with one setImmediate for all of them.
 */
const dirty: SessionImpl[] = [];
let flushAllScheduled = false;

function flushAll() {
  flushAllScheduled = false;
  // Flushing can make sessions dirty again (a write error closing one); those wait for the next turn.
  const batch = dirty.splice(0);
  for (const session of batch) session.flush();
}

function scheduleShared(session: SessionImpl) {
  dirty.push(session);
  if (!flushAllScheduled) {
    flushAllScheduled = true;
    setImmediate(flushAll);
  }
}

const HEARTBEAT = new SseChunk(': hb\n\n');

/** The state of one EventSource. A class, not closures: thousands live at once and each closure costs memory. */
class SessionImpl implements SseSession {
  readonly ready: Promise<void>;
  closed = false;
  private paused = false;
  private flushScheduled = false;
  private subscription: Subscription | null = null;
  private seq: number;
  private lastWriteAt: number;
  private readonly deadline: number;
  private heartbeatTimer: TimerHandle | undefined;
  private readonly counters = { writes: 0, events: 0, coalesced: 0 };
  // Pending frames in order; while paused, `slots` maps a coalesce key to its index so a newer value replaces an older one.
  private queue: (Frame | null)[] = [];
  private pendingBytes = 0;
  private pendingEvents = 0;
  private slots: Map<string, number> | null = null;
  private readonly clock: Clock;
  private readonly heartbeatMs: number;
  private readonly maxPendingBytes: number;
  private readonly hash: string;
  private readonly receive: (event: HubEvent) => void;
  private readonly onHeartbeat: () => void;

  constructor(
    private readonly options: SseSessionOptions,
    private readonly sink: SseSink,
  ) {
    this.clock = options.clock ?? systemClock;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxPendingBytes = options.maxPendingBytes ?? 1024 * 1024;
    const requested = [...new Set(options.topics)];
    this.hash = topicsHash(requested);
    const resume = parseResumeToken(options.lastEventId);
    this.seq = resume && resume.epoch === options.hub.epoch ? resume.seq : 0;
    this.lastWriteAt = this.clock.now();
    const random = options.random ?? Math.random;
    const lifetime = options.maxLifetimeMs ?? 15 * 60_000;
    this.deadline = lifetime === 0 ? Infinity : this.lastWriteAt + lifetime * (1 + random() / 4);
    // Bound once: the hub and the timer call these for the session's whole life.
    this.receive = this.onEvent.bind(this);
    this.onHeartbeat = this.heartbeat.bind(this);
    this.ready = this.start(requested, resume, random).catch(() => this.close('error'));
  }

  private write(chunk: SseChunk): boolean {
    this.lastWriteAt = this.clock.now();
    this.counters.writes++;
    try {
      return this.sink.write(chunk);
    } catch {
      this.close('error');
      return false;
    }
  }

  private pause() {
    this.paused = true;
    this.slots = new Map();
  }

  /** `event` names what the frame may replace while paused; null for frames that must all go out. */
  private enqueue(frame: Frame, event: HubEvent | null) {
    if (this.closed) return;
    const slots = this.slots;
    const key = slots && event ? coalesceKey(event) : null;
    if (slots && key !== null) {
      const at = slots.get(key);
      if (at !== undefined) {
        this.pendingBytes += frame.bytes - this.queue[at]!.bytes;
        this.queue[at] = frame;
        this.counters.coalesced++;
        return;
      }
      slots.set(key, this.queue.length);
    }
    this.queue.push(frame);
    this.pendingEvents++;
    this.pendingBytes += frame.bytes;
    if (this.pendingBytes > this.maxPendingBytes) return this.close('slow_client');
    if (!this.paused && !this.flushScheduled) {
      this.flushScheduled = true;
      if (this.options.defer) this.options.defer(() => this.flush());
      else scheduleShared(this);
    }
  }

  private onEvent(event: HubEvent) {
    if (event.kind === 'data' && event.seq > this.seq) this.seq = event.seq;
    this.enqueue(frameOf(event), event);
  }

  /** Everything pending, as one chunk, with the resume id on the last frame. */
  flush() {
    this.flushScheduled = false;
    if (this.closed || this.paused || this.pendingEvents === 0) return;
    const id: ResumeToken = { epoch: this.options.hub.epoch, seq: this.seq, topicsHash: this.hash };
    let chunk: SseChunk;
    if (this.pendingEvents === 1) chunk = frameWithId(this.queue[0]!, id);
    else {
      let out = '';
      let last: Frame | null = null;
      for (const frame of this.queue) {
        if (!frame) continue;
        if (last) out += `${last.text}\n`;
        last = frame;
      }
      chunk = new SseChunk(`${out}${last!.text}id: ${formatResumeToken(id)}\n\n`);
    }
    this.counters.events += this.pendingEvents;
    countDeliveredEvents(this.pendingEvents);
    this.queue.length = 0;
    this.pendingEvents = 0;
    this.pendingBytes = 0;
    this.slots = null;
    if (!this.write(chunk) && !this.closed) this.pause();
  }

  /** One timer per session: a comment after heartbeatMs of silence, and the end of the session's lifetime. */
  private heartbeat() {
    this.heartbeatTimer = undefined;
    if (this.closed) return;
    const now = this.clock.now();
    if (now >= this.deadline) return this.close('lifetime');
    const quiet = now - this.lastWriteAt;
    let next = this.heartbeatMs - quiet;
    if (quiet >= this.heartbeatMs) {
      // A paused client is already behind; a comment would only add to its backlog.
      if (!this.paused && !this.write(HEARTBEAT) && !this.closed) this.pause();
      next = this.heartbeatMs;
    }
    this.heartbeatTimer = this.clock.setTimeout(this.onHeartbeat, Math.min(next, this.deadline - now));
  }

  close(reason: SseCloseReason = 'server') {
    if (this.closed) return;
    if (reason === 'draining') this.sayReconnect();
    this.closed = true;
    if (this.heartbeatTimer !== undefined) this.clock.clearTimeout(this.heartbeatTimer);
    this.queue = [];
    this.slots = null;
    this.pendingBytes = 0;
    this.pendingEvents = 0;
    this.subscription?.close();
    this.subscription = null;
    try {
      this.sink.end();
    } catch {
      // The transport is already gone.
    }
    this.options.onClose?.(reason);
  }

  /**
   * Last words before a drain: what waits, then a `retry:` hint and a `reconnect` event (the live client
   * reconnects at once with its last id; a plain EventSource reconnects after the hint when the body ends).
   */
  private sayReconnect() {
    if (!this.paused) this.flush();
    const retry = Math.round(250 + (this.options.random ?? Math.random)() * (DRAIN_RECONNECT_MS - 250));
    this.write(new SseChunk(`retry: ${retry}\nevent: reconnect\ndata: ${JSON.stringify({ reason: 'draining', retryMs: retry })}\n\n`));
  }

  drained() {
    if (this.closed || !this.paused) return;
    this.paused = false;
    this.slots = null;
    this.flush();
  }

  async reauthorize(authorizeTopic: SseSessionOptions['authorizeTopic']): Promise<string[]> {
    await this.ready;
    const held = this.subscription?.topics ?? [];
    const verdicts = await allowed(held, authorizeTopic);
    const subscription = this.subscription;
    if (this.closed || !subscription) return [];
    // Topics the subscription gained or lost meanwhile are not this check's business.
    const refused = new Set(held.filter((_, i) => !verdicts[i]));
    if (refused.size === 0) return [...subscription.topics];
    subscription.update(subscription.topics.filter((topic) => !refused.has(topic)));
    for (const topic of refused) this.enqueue(frameOf({ kind: 'error', topic, code: 'forbidden', message: 'Your access to this topic was withdrawn.', retrying: false }), null);
    return [...subscription.topics];
  }

  stats(): SseSessionStats {
    return { ...this.counters, pendingEvents: this.pendingEvents, pendingBytes: this.pendingBytes, paused: this.paused };
  }

  private async start(requested: string[], resume: ResumeToken | null, random: () => number) {
    const { options } = this;
    const retry = Math.round((options.retryMs ?? 3000) * (1 + random() / 2));
    this.write(new SseChunk(`retry: ${retry}\n: ok\n\n`));
    this.heartbeatTimer = this.clock.setTimeout(this.onHeartbeat, Math.min(this.heartbeatMs, this.deadline - this.lastWriteAt));

    const maxTopics = options.maxTopics ?? 256;
    const refused: { topic: string; code: 'invalid_topic' | 'forbidden' | 'limit' }[] = [];
    const candidates = requested.filter((topic, i) => {
      if (!parseTopic(topic)) refused.push({ topic, code: 'invalid_topic' });
      else if (i >= maxTopics) refused.push({ topic, code: 'limit' });
      else return true;
      return false;
    });
    const verdicts = await allowed(candidates, options.authorizeTopic);
    // The client may have left while grants were checked: subscribing now would leak.
    if (this.closed) return;
    const authorized = candidates.filter((topic, i) => {
      if (verdicts[i]) return true;
      refused.push({ topic, code: 'forbidden' });
      return false;
    });
    const admitted = new Set(options.admitTopics ? options.admitTopics(authorized) : authorized);
    const accepted = authorized.filter((topic) => {
      if (admitted.has(topic)) return true;
      refused.push({ topic, code: 'limit' });
      return false;
    });
    const resumable = resume !== null && resume.topicsHash === this.hash;
    this.enqueue(plainFrame('ready', { topics: accepted, resumed: resumable && resume.epoch === options.hub.epoch }), null);
    for (const { topic, code } of refused) {
      const message = REFUSALS[code];
      this.enqueue(frameOf({ kind: 'error', topic, code, message, retrying: false }), null);
    }
    if (resume && !resumable) {
      // The id is from another topic list: treat the client's state as unknown.
      for (const topic of accepted) this.enqueue(frameOf({ kind: 'resync', topic, reason: 'unknown' }), null);
    }
    this.subscription = options.hub.subscribe(options.viewerKey, options.tokenId, accepted, this.receive, resumable ? { resumeFrom: { epoch: resume.epoch, seq: resume.seq } } : {});
  }
}

const REFUSALS = {
  invalid_topic: 'Not a topic this server knows.',
  forbidden: 'You may not watch this topic.',
  limit: 'Too many live topics: you, or the token feeding this topic, watch the most allowed. Close some pages with live data.',
} as const;

/** The grant check for each topic; a check that throws refuses. */
function allowed(topics: readonly string[], authorizeTopic: SseSessionOptions['authorizeTopic']): Promise<boolean[]> {
  return Promise.all(
    topics.map(async (topic) => {
      try {
        return (await authorizeTopic(topic)) === true;
      } catch {
        return false;
      }
    }),
  );
}

/** The framework-agnostic session; the adapters below connect it to a transport. */
export function createSseSession(options: SseSessionOptions, sink: SseSink): SseSession {
  return new SessionImpl(options, sink);
}

/** Options for the adapters: the session's, with Last-Event-ID read from the request. */
export type SseRequestOptions = Omit<SseSessionOptions, 'lastEventId'>;

function lastEventIdOf(header: string | null | undefined, url: string | undefined): string | null {
  if (header) return header;
  if (!url) return null;
  // Mercure-style query parameter, for the gap between page render and the first connection.
  return new URL(url, 'http://localhost').searchParams.get('lastEventId');
}

/**
 * A Response for a Next route handler (app/api/stream/route.ts): a ReadableStream that honours backpressure.
 * `onSession` receives the session as soon as it exists (to keep it where access changes reach it).
 */
export function sseResponse(request: Request, options: SseRequestOptions, onSession?: (session: SseSession) => void): Response {
  let session: SseSession | null = null;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        session = createSseSession({ ...options, lastEventId: lastEventIdOf(request.headers.get('last-event-id'), request.url) }, {
          write(chunk) {
            if (cancelled) throw new Error('stream cancelled');
            controller.enqueue(chunk.bytes);
            return (controller.desiredSize ?? 0) > 0;
          },
          end() {
            if (!cancelled) controller.close();
          },
        });
        onSession?.(session);
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

const sessionOfSocket = Symbol('sse session');
type SessionSocket = Socket & { [sessionOfSocket]?: SseSession };

// Shared listeners (this = the emitter), so a connection costs no closures of its own.
function onSocketDrain(this: SessionSocket) {
  this[sessionOfSocket]?.drained();
}
function onResponseClose(this: ServerResponse) {
  (this.socket as SessionSocket | null)?.[sessionOfSocket]?.close('disconnect');
}
function onResponseError(this: ServerResponse) {
  (this.socket as SessionSocket | null)?.[sessionOfSocket]?.close('error');
}

/** Writes straight to the socket, already framed for chunked transfer: one write, no copy, per flush. */
class SocketSink implements SseSink {
  constructor(
    private readonly res: ServerResponse,
    private readonly socket: SessionSocket,
    private readonly chunked: boolean,
  ) {}
  write(chunk: SseChunk): boolean {
    return this.socket.write(this.chunked ? chunk.chunked : chunk.bytes);
  }
  end() {
    // A keep-alive socket may serve another request: it must not point at this session any more.
    this.socket[sessionOfSocket] = undefined;
    this.socket.off('drain', onSocketDrain);
    // The raw writes were whole chunks, so Node's terminating chunk still ends the body correctly.
    this.res.end();
  }
}

/**
 * The node:http fast path: the same session straight onto the response's socket. Node writes the
 * headers (and, on HTTP/1.1, switches to chunked transfer); the body then bypasses ServerResponse,
 * whose per-write chunk framing and corking cost more than the events themselves at fan-out scale.
 */
export function serveSse(req: IncomingMessage, res: ServerResponse, options: SseRequestOptions): SseSession {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  const socket = req.socket as SessionSocket;
  socket.setTimeout(0);
  socket.setNoDelay(true);
  const header = req.headers['last-event-id'];
  const chunked = (res as { chunkedEncoding?: boolean }).chunkedEncoding === true;
  const session = createSseSession({ ...options, lastEventId: lastEventIdOf(Array.isArray(header) ? header[0] : header, req.url) }, new SocketSink(res, socket, chunked));
  socket[sessionOfSocket] = session;
  socket.on('drain', onSocketDrain);
  res.on('close', onResponseClose);
  res.on('error', onResponseError);
  return session;
}
