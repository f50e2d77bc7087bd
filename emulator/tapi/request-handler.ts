// One request, start to end: route, TLS client certificate, token, IP allowlist, limit, access, faults,
// validation, answer. The order of the checks is ours [?]: the docs do not say which refusal wins.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { accessString, ERRORS, METHODS, RETRY_AFTER_SECONDS, ROOTS, SANDBOX_TOKEN, TOKEN_IDLE_LIFETIME_MS, type ErrorKind, type TapiMethod } from './contract';
import type { Faults } from './faults';
import type { RateLimiter } from './rate-limiter';
import { bankAccountBody, cardsBody, companyBody, parseBankAccountsQuery, parseCardQuery, parseStatementQuery, statementPage, type Problems } from './responses';
import type { SandboxAnswers } from './sandbox-answers';
import { accessKpp } from './scenario';
import { addressAllowed, type TokenState, type World } from './world';

export interface Metrics {
  /** Calls per method that reached a known path. */
  calls: Record<string, number>;
  /** Calls per token label and method (never the token value); unknown tokens count as "(unknown)". */
  callsByToken: Record<string, Record<string, number>>;
  /** Responses per HTTP status. */
  responses: Record<string, number>;
  /** 429s per method. */
  rateLimited: Record<string, number>;
}

export interface HandlerContext {
  world: World;
  faults: Faults;
  limiter: RateLimiter;
  metrics: Metrics;
  now: () => number;
  retryAfter: () => boolean;
  sandbox: SandboxAnswers;
}

type Listener = 'main' | 'secure';
type Contour = 'production' | 'sandbox';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function route(listener: Listener, pathname: string): { method: TapiMethod; contour: Contour } | null {
  const roots: [string, Contour, boolean][] =
    listener === 'secure'
      ? [[ROOTS.secured, 'production', true]]
      : [
          [ROOTS.production, 'production', false],
          [ROOTS.sandboxSecured, 'sandbox', true],
          [ROOTS.sandbox, 'sandbox', false],
        ];
  for (const [root, contour, secure] of roots) {
    if (!pathname.startsWith(`${root}/`)) continue;
    const rest = pathname.slice(root.length).replace(/\/$/, '');
    const method = (Object.keys(METHODS) as TapiMethod[]).find((m) => METHODS[m].path === rest && METHODS[m].secure === secure);
    return method ? { method, contour } : null;
  }
  return null;
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/** The node:http handler for the ordinary HTTPS listener or the mTLS one. */
export function createRequestHandler(ctx: HandlerContext, listener: Listener) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(ctx, listener, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  };
}

async function handle(ctx: HandlerContext, listener: Listener, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    bump(ctx.metrics.responses, String(status));
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (kind: ErrorKind, details?: Problems, headers?: Record<string, string>) => {
    const e = ERRORS[kind];
    const first = details ? Object.keys(details)[0] : undefined;
    const errorMessage = kind === 'invalidData' && first ? `${e.errorMessage}: Invalid value for: query parameter ${first}` : e.errorMessage;
    send(e.status, { errorId: randomBytes(5).toString('hex'), errorMessage, errorCode: e.errorCode, ...(details ? { errorDetails: details } : {}) }, headers);
  };

  // [SPEC21] the secured host refuses a missing, foreign or expired client certificate before anything else.
  if (listener === 'secure' && !(req.socket as TLSSocket).authorized) return fail('forbiddenTls');

  const url = new URL(req.url ?? '/', 'https://emulator.invalid');
  const found = route(listener, url.pathname);
  if (!found) return fail('notFound');
  if (req.method !== 'GET') return fail('methodNotAllowed');
  const { method, contour } = found;
  bump(ctx.metrics.calls, method);

  const delay = ctx.faults.takeDelay(method);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer (\S+)$/i.exec(header)?.[1];
  const now = ctx.now();

  if (contour === 'sandbox') {
    bump((ctx.metrics.callsByToken.sandbox ??= {}), method);
    if (bearer !== SANDBOX_TOKEN) return fail('unauthorized');
    const injected = ctx.faults.takeFail(method);
    if (injected) return send(injected.status, { errorId: randomBytes(5).toString('hex'), errorMessage: injected.errorMessage, errorCode: injected.errorCode });
    const problems = validate(method, url.searchParams);
    if (problems) return fail('invalidData', problems);
    return send(200, ctx.sandbox[method]);
  }

  const state = bearer ? ctx.world.tokens.get(bearer) : undefined;
  bump((ctx.metrics.callsByToken[state?.token.label ?? '(unknown)'] ??= {}), method);
  // [DOC] a token dies 90 days after its last use.
  if (!state || state.revoked || now - state.lastUsedAt > TOKEN_IDLE_LIFETIME_MS) return fail('unauthorized');
  if (!addressAllowed(state, req.socket.remoteAddress)) return fail('forbiddenIp');

  const contract = METHODS[method];
  const perSecond = ctx.world.scenario.rateLimits.perSecond[method] ?? contract.perSecond;
  if (!ctx.limiter.take(`${method}\u0000${state.token.value}`, perSecond, now)) {
    bump(ctx.metrics.rateLimited, method);
    return fail('tooManyRequests', undefined, ctx.retryAfter() ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : undefined);
  }
  if (!state.accesses.has(accessString(state.company.inn, accessKpp(state.company), contract.access))) return fail('forbiddenScope');

  const injected = ctx.faults.takeFail(method);
  if (injected) return send(injected.status, { errorId: randomBytes(5).toString('hex'), errorMessage: injected.errorMessage, errorCode: injected.errorCode });

  const answer = answerFor(ctx, state, method, url.searchParams, now);
  if ('problems' in answer) return fail('invalidData', answer.problems);
  if ('accountNotFound' in answer) return fail('accountNotFound');
  // [DOC] a successful call is a use: the 90 days start again.
  state.lastUsedAt = Math.max(state.lastUsedAt, now);
  return send(200, answer.body);
}

/** The contract check the sandbox does too: the same rules as production, with no data behind them. */
function validate(method: TapiMethod, params: URLSearchParams): Problems | null {
  const parsed = method === 'statement' ? parseStatementQuery(params) : method === 'bankAccounts' ? parseBankAccountsQuery(params) : method === 'card' ? parseCardQuery(params) : null;
  return parsed && !parsed.ok ? parsed.problems : null;
}

function answerFor(ctx: HandlerContext, state: TokenState, method: TapiMethod, params: URLSearchParams, now: number): { body: unknown } | { problems: Problems } | { accountNotFound: true } {
  const { world } = ctx;
  const company = state.company;
  switch (method) {
    case 'company':
      return { body: companyBody(company) };
    case 'bankAccounts': {
      const q = parseBankAccountsQuery(params);
      if (!q.ok) return { problems: q.problems };
      const accounts = world.accountsOf(company.id).filter((a) => q.value.withInvest || a.accountType !== 'Invest');
      return { body: accounts.map((a) => bankAccountBody(world, a, now)) };
    }
    case 'card': {
      const q = parseCardQuery(params);
      if (!q.ok) return { problems: q.problems };
      return { body: cardsBody(world.cardsOf(company.id), q.value.limit) };
    }
    case 'statement': {
      const q = parseStatementQuery(params);
      if (!q.ok) return { problems: q.problems };
      const account = world.ledgers.get(q.value.accountNumber)?.account;
      if (!account || account.company !== company.id) return { accountNotFound: true };
      const page = statementPage(world, q.value, now);
      return page.ok ? { body: page.value } : { problems: page.problems };
    }
  }
}
