import 'server-only';
// The T-API H2H client: one object per token (cheap; Agents, budgets and in-flight calls are shared
// process-wide). Every call carries Bearer and a fresh X-Request-Id, waits for a slot in its method's
// budget, retries 429 and transient failures within bounds, and returns DTOs or throws a TapiError.
import { createHash, randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { logger } from '@/lib/log';
import { revealToken, type TokenHandle } from '@/lib/vault/token-handle';
import { agentFor, tlsAlertSince, type TapiClientCertificate } from './agent-pool';
import type * as dto from './dto';
import { resolveTapiEndpoint, TAPI_SANDBOX_TOKEN, type TapiEndpoint } from './endpoint';
import { JsonSyntaxError, readJson, type JsonValue } from './read-json';
import { createRateLimiter, systemClock, type Clock, type RateLimiter } from './rate-limiter';
import { backoffDelay, parseRetryAfter } from './retry-delay';
import { isSuspectedCertificateFailure, malformedResponse, responseError, TapiError, transportError, type ErrorBody } from './tapi-error';
import { TAPI_METHODS, type TapiMethodName } from './tapi-methods';
import { ShapeError, toAccountDtos, toCompanyDto, toStatementPageDto } from './to-dto';

export interface TapiRetryOptions {
  /** Retries after a 429 (default 3). */
  rateLimited?: number;
  /** Retries of an idempotent call after a 5xx or a network failure (default 2). */
  transient?: number;
  /** A Retry-After longer than this is not waited out: the caller gets the 429 (default 10 s). */
  maxRetryAfterMs?: number;
  /** First backoff step when no Retry-After is given (default 250 ms; doubles, capped at maxMs). */
  baseMs?: number;
  maxMs?: number;
}

export interface TapiClientOptions {
  endpoint: TapiEndpoint;
  /** The H2H token; may be omitted only for the sandbox, which takes its fixed token. */
  token?: TokenHandle;
  /** For secure (mTLS) methods. Without it, secure calls go out with no certificate and T-Bank refuses them. */
  clientCertificate?: TapiClientCertificate;
  /** Extra CA certificates (PEM) trusted on top of Node's roots, e.g. the emulator's or a TLS-inspecting proxy's. */
  caPem?: string;
  /** Where operators supply caPem, named when a server certificate is not trusted. */
  caSetting?: string;
  /** Per-attempt limit for the answer's headers and between body chunks (default 20 s). */
  timeoutMs?: number;
  retry?: TapiRetryOptions;
  /** Injected time (tests). */
  clock?: Clock;
  /** In [0, 1), for backoff jitter (tests). */
  random?: () => number;
  /** Per-token, per-method budgets; defaults to the process-wide limiter. */
  limiter?: RateLimiter;
}

export type TimeInput = Date | string;

export interface StatementQuery {
  /** 20 (or 22) digits. */
  accountNumber: string;
  /** Inclusive. */
  from: TimeInput;
  /** Exclusive [?]; T-API's default when omitted. */
  to?: TimeInput;
  operationStatus?: dto.TapiOperationStatusFilter;
  /** Balances come on the first page only. */
  withBalances?: boolean;
  cursor?: string;
  /** Page size, 1–5000 [?: two clients cap it at 5000]. */
  limit?: number;
}

export interface CallOptions {
  /** Stops this caller waiting; a call shared with other callers still completes for them. */
  signal?: AbortSignal;
}

export interface TapiClient {
  /** GET /api/v1/company. */
  getCompany(call?: CallOptions): Promise<dto.TapiCompanyDto>;
  /** GET /api/v4/bank-accounts, balances exact. */
  listAccounts(query?: { withInvest?: boolean }, call?: CallOptions): Promise<dto.TapiAccountDto[]>;
  /** One page of GET /api/v1/statement. */
  getStatementPage(query: StatementQuery, call?: CallOptions): Promise<dto.TapiStatementPageDto>;
  /** Every page of a statement, following nextCursor until it is absent. */
  iterateStatement(query: Omit<StatementQuery, 'cursor'>, call?: CallOptions): AsyncGenerator<dto.TapiStatementPageDto, void, undefined>;
  /** One secure read over mTLS (GET /api/v3/company/card?limit=1 on the secured host): does the certificate work? */
  probeSecure(call?: CallOptions): Promise<dto.TapiSecureProbeDto>;
}

/** Answers above this are refused rather than buffered (a statement page of 5000 operations is a few MB). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const sharedLimiter = createRateLimiter();
/** Identical GETs in flight, per token, endpoint and certificate: 50 viewers asking at once make one call. */
const inflight = new Map<string, Promise<unknown>>();

/** The caller stops waiting when its signal aborts; the promise itself (maybe shared) runs on. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `2025-01-01T00:00:00Z`: ISO 8601 in UTC, whole seconds without `.000`. */
function isoUtc(value: TimeInput): string | undefined {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) return undefined;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const timeInput = z.union([z.date(), z.string()]).transform((value, context) => {
  const iso = isoUtc(value);
  if (iso === undefined) {
    context.addIssue({ code: 'custom', message: 'Not a date-time.' });
    return z.NEVER;
  }
  return iso;
});

const statementQuerySchema = z
  .object({
    accountNumber: z.string().regex(/^(\d{20}|\d{22})$/, 'An account number is 20 or 22 digits.'),
    from: timeInput,
    to: timeInput.optional(),
    operationStatus: z.enum(['all', 'authorization', 'transaction']).optional(),
    withBalances: z.boolean().optional(),
    cursor: z.string().min(1).max(4096).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .refine((query) => query.to === undefined || query.from < query.to, { message: '`from` must be before `to`.', path: ['to'] });

const STATUS_PARAM: Record<dto.TapiOperationStatusFilter, string> = { all: 'All', authorization: 'Authorization', transaction: 'Transaction' };

interface Answer<T> {
  value: T;
  requestId: string;
  upstreamRequestId: string | null;
}

function headerOf(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new RangeError(`Answer larger than ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorBodyOf(text: string): ErrorBody {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null) return {};
    const pick = (key: string) => {
      const value = (body as Record<string, unknown>)[key];
      return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
    };
    return { errorId: pick('errorId'), errorCode: pick('errorCode'), errorMessage: pick('errorMessage') };
  } catch {
    // A proxy's HTML page, an empty body: the status alone decides the kind.
    return {};
  }
}

/** A T-API client for one token; see TapiClient for the methods. */
export function createTapiClient(options: TapiClientOptions): TapiClient {
  const endpoint = resolveTapiEndpoint(options.endpoint);
  if (!options.token && endpoint.label !== 'sandbox') throw new RangeError('A T-API token is required outside the sandbox.');
  const token = options.token;
  const tokenKey = token ? `token:${token.id}` : 'sandbox';
  const certificate = options.clientCertificate;
  const certificateKey = certificate ? `${createHash('sha256').update(certificate.certificatePem).digest('base64url')}:${certificate.privateKey.id}` : '';
  const clock = options.clock ?? systemClock;
  const limiter = options.limiter ?? sharedLimiter;
  const random = options.random ?? Math.random;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const retry = { rateLimited: 3, transient: 2, maxRetryAfterMs: 10_000, baseMs: 250, maxMs: 5_000, ...options.retry };
  const log = logger();

  const bearer = () => (token ? revealToken(token) : TAPI_SANDBOX_TOKEN);

  /** One attempt: the HTTP exchange, translated; a TapiError for anything but a 2xx with readable JSON. */
  async function attempt(name: TapiMethodName, url: URL): Promise<Answer<JsonValue>> {
    const method = TAPI_METHODS[name];
    const requestId = randomUUID();
    const secrets = [bearer()];
    const agent = agentFor(url.origin, options.caPem, method.host === 'secured' ? certificate : undefined);
    const started = clock.now();
    const startedAt = Date.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { authorization: `Bearer ${bearer()}`, accept: 'application/json', 'x-request-id': requestId },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
    } catch (error) {
      throw transportError(error, { method: name, requestId, secrets, caSetting: options.caSetting, alert: tlsAlertSince(agent, startedAt), secured: method.host === 'secured' && certificate !== undefined });
    }
    const upstreamRequestId = headerOf(response.headers, 'x-request-id');
    let text: string;
    try {
      text = await readBody(response.body);
    } catch (error) {
      throw transportError(error, { method: name, requestId, secrets, caSetting: options.caSetting });
    }
    const context = { method: name, requestId, upstreamRequestId, status: response.statusCode };
    log.debug({ tapi: { method: name, endpoint: endpoint.label, status: response.statusCode, requestId, upstreamRequestId, ms: clock.now() - started } }, 'T-API answered');
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const retryAfterMs = parseRetryAfter(headerOf(response.headers, 'retry-after'), clock.now());
      throw responseError(response.statusCode, errorBodyOf(text), {
        ...context,
        retryAfterSeconds: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
        secrets,
      });
    }
    try {
      return { value: readJson(text), requestId, upstreamRequestId: upstreamRequestId ?? null };
    } catch (error) {
      throw malformedResponse(error instanceof JsonSyntaxError ? `Not JSON: ${error.message}` : 'Not JSON', context);
    }
  }

  /** Waits for a budget slot, then attempts; 429s and (for GETs) transient failures are retried within bounds. */
  async function call(name: TapiMethodName, url: URL): Promise<Answer<JsonValue>> {
    const method = TAPI_METHODS[name];
    const budgetKey = `${tokenKey}|${name}`;
    let rateLimitedRetries = 0;
    let transientRetries = 0;
    for (let tries = 0; ; tries++) {
      const release = await limiter.acquire(budgetKey, method.perSecond);
      try {
        return await attempt(name, url);
      } catch (error) {
        const failure = error instanceof TapiError ? error : transportError(error, { method: name, requestId: '', secrets: [bearer()] });
        let delay: number | undefined;
        if (failure.kind === 'rate-limited' && rateLimitedRetries < retry.rateLimited) {
          const retryAfterMs = failure.retryAfterSeconds === undefined ? undefined : failure.retryAfterSeconds * 1000;
          if (retryAfterMs === undefined || retryAfterMs <= retry.maxRetryAfterMs) {
            delay = retryAfterMs ?? backoffDelay(rateLimitedRetries, { baseMs: retry.baseMs, maxMs: retry.maxMs, random });
            rateLimitedRetries += 1;
            // Every call on this budget waits, not only this one: the window is evidently fuller than we counted.
            limiter.pauseUntil(budgetKey, clock.now() + delay);
          }
        } else if ((failure.kind === 'upstream' || (failure.kind === 'network' && !failure.tls) || isSuspectedCertificateFailure(failure)) && transientRetries < retry.transient) {
          delay = backoffDelay(transientRetries, { baseMs: retry.baseMs, maxMs: retry.maxMs, random });
          transientRetries += 1;
        }
        log[delay === undefined ? 'warn' : 'info'](
          {
            tapi: { method: name, endpoint: endpoint.label, kind: failure.kind, status: failure.httpStatus, errorCode: failure.errorCode, errorId: failure.errorId, requestId: failure.requestId, upstreamRequestId: failure.upstreamRequestId, attempt: tries + 1, retryInMs: delay },
          },
          delay === undefined ? 'T-API call failed' : 'T-API call failed; retrying',
        );
        if (delay === undefined) throw failure;
        release();
        await clock.sleep(delay);
      } finally {
        release();
      }
    }
  }

  /** A GET shared with identical ones in flight; the DTO is mapped once and handed to every waiter. */
  function get<T>(name: TapiMethodName, params: [string, string | undefined][], toDto: (value: JsonValue) => T, signal?: AbortSignal): Promise<Answer<T>> {
    signal?.throwIfAborted();
    return abortable(shared(name, params, toDto), signal);
  }

  function shared<T>(name: TapiMethodName, params: [string, string | undefined][], toDto: (value: JsonValue) => T): Promise<Answer<T>> {
    const method = TAPI_METHODS[name];
    const base = method.host === 'secured' ? endpoint.securedBaseUrl : endpoint.baseUrl;
    const url = new URL(`${base}${method.path}`);
    for (const [key, value] of params) if (value !== undefined) url.searchParams.set(key, value);
    const key = `${tokenKey}|${method.host === 'secured' ? certificateKey : ''}|${options.caPem ? createHash('sha256').update(options.caPem).digest('base64url') : ''}|GET ${url.href}`;
    const pending = inflight.get(key);
    if (pending) return pending as Promise<Answer<T>>;
    const promise = call(name, url)
      .then((answer) => {
        try {
          return { ...answer, value: toDto(answer.value) };
        } catch (error) {
          if (error instanceof ShapeError) throw malformedResponse(error.message, { method: name, requestId: answer.requestId, upstreamRequestId: answer.upstreamRequestId ?? undefined });
          throw error;
        }
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  }

  async function getStatementPage(query: StatementQuery, call?: CallOptions): Promise<dto.TapiStatementPageDto> {
    const checked = statementQuerySchema.parse(query);
    const answer = await get(
      'getStatement',
      [
        ['accountNumber', checked.accountNumber],
        ['from', checked.from],
        ['to', checked.to],
        ['operationStatus', checked.operationStatus && STATUS_PARAM[checked.operationStatus]],
        ['withBalances', checked.withBalances === undefined ? undefined : String(checked.withBalances)],
        ['cursor', checked.cursor],
        ['limit', checked.limit === undefined ? undefined : String(checked.limit)],
      ],
      toStatementPageDto,
      call?.signal,
    );
    return answer.value;
  }

  return {
    async getCompany(call) {
      return (await get('getCompany', [], toCompanyDto, call?.signal)).value;
    },

    async listAccounts(query = {}, call) {
      const withInvest = z.boolean().optional().parse(query.withInvest);
      return (await get('listAccounts', [['withInvest', withInvest === undefined ? undefined : String(withInvest)]], toAccountDtos, call?.signal)).value;
    },

    getStatementPage,

    async *iterateStatement(query, call) {
      const cursors = new Set<string>();
      let cursor: string | undefined;
      for (;;) {
        const page = await getStatementPage({ ...query, cursor }, call);
        yield page;
        if (!page.nextCursor) return;
        // A cursor seen before would loop for ever.
        if (cursors.has(page.nextCursor)) throw malformedResponse('nextCursor repeats an earlier page', { method: 'getStatement', requestId: '' });
        cursors.add(page.nextCursor);
        cursor = page.nextCursor;
      }
    },

    async probeSecure(call) {
      const answer = await get('getCompanyCards', [['limit', '1']], (value) => value !== null && typeof value === 'object', call?.signal);
      if (!answer.value) throw malformedResponse('Expected a JSON object or array', { method: 'getCompanyCards', requestId: answer.requestId, upstreamRequestId: answer.upstreamRequestId ?? undefined });
      return { ok: true, requestId: answer.requestId, upstreamRequestId: answer.upstreamRequestId };
    },
  };
}
