import 'server-only';
// The one wrapper every route handler goes through: authenticate, authorize, validate, map errors.
import crypto from 'node:crypto';
import { z } from 'zod';
import { getViewer, requirePermission, type Viewer } from '../auth/session';
import type { Permission } from '../auth/permissions';
import { AppError } from '../errors';
import { requireFreshFactor } from '../second-factor';
import { localeFromRequest, type Locale } from '../i18n/locales';
import { toErrorResponse } from './errors';
import { isDecodablePath, isSafeText } from './schema-primitives';
import { MAX_BODY_BYTES } from './limits';
import { registerRouteSpec } from './route-spec';
import { runWithRequestMemo } from '../request-memo';

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteOptions<B extends Schema, Q extends Schema, P extends Schema> {
  /** A permission from the table, or 'public' for endpoints that need no session. */
  permission: Permission | 'public';
  body?: B;
  query?: Q;
  params?: P;
  /** A dangerous action: a viewer with a second factor must have proven it in the last five minutes (step-up). */
  stepUp?: boolean;
}

export interface RouteContext<B extends Schema, Q extends Schema, P extends Schema, V> {
  request: Request;
  requestId: string;
  viewer: V;
  body: Parsed<B>;
  query: Parsed<Q>;
  params: Parsed<P>;
}

type ViewerFor<O> = O extends { permission: 'public' } ? null : Viewer;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

class InvalidBody extends Error {
  constructor(readonly messageKey: 'errors.http.bodyTooLarge' | 'errors.http.bodyNotJson', message: string) {
    super(message);
  }
}

/** The body as text, read no further than the cap (the node:http edge refuses sooner; this holds under any server). */
async function readCapped(request: Request): Promise<string> {
  const tooLarge = () => new InvalidBody('errors.http.bodyTooLarge', 'Request body is too large.');
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readJson(request: Request): Promise<unknown> {
  const text = await readCapped(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidBody('errors.http.bodyNotJson', 'Request body must be valid JSON.');
  }
}

/** The language of an error answer: the viewer's saved one (also when the permission check refused them), else the request's. */
async function errorLocale(request: Request, viewer: Viewer | null, permission: Permission | 'public'): Promise<Locale> {
  const known = viewer ?? (permission === 'public' ? null : await getViewer().catch(() => null));
  return localeFromRequest(request.headers, known?.locale);
}

/** Refuses cross-site writes: a browser always sends Origin on them. */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (!origin) return true;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function parseWith<S extends Schema>(schema: S, value: unknown, where: string): Parsed<S> {
  if (!schema) return undefined as Parsed<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw Object.assign(result.error, { where });
  return result.data as Parsed<S>;
}

/** Path parameters name a record: one that cannot exist (bad id, NUL, broken Unicode) is not found. */
function parseParams<P extends Schema>(schema: P, raw: Record<string, string | string[]>): Parsed<P> {
  const notFound = () => new AppError('not_found', 'Nothing was found at this address.', { messageKey: 'errors.input.notFound' });
  for (const value of Object.values(raw)) if (![value].flat().every((part) => isSafeText(part))) throw notFound();
  if (!schema) return undefined as Parsed<P>;
  const result = schema.safeParse(raw);
  if (!result.success) throw notFound();
  return result.data as Parsed<P>;
}

/**
 * Wraps a handler. Returns a Next route handler; the handler may return a Response or any
 * JSON-serialisable value (sent with 200).
 */
export function route<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined, O extends RouteOptions<B, Q, P> = RouteOptions<B, Q, P>>(
  options: O & RouteOptions<B, Q, P>,
  handler: (context: RouteContext<B, Q, P, ViewerFor<O>>) => Promise<unknown> | unknown,
) {
  const handle = (request: Request, segment?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => runWithRequestMemo(() => handleIn(request, segment), { writes: !SAFE_METHODS.has(request.method) });
  const handleIn = async (request: Request, segment?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const requestId = crypto.randomUUID();
    let viewer: Viewer | null = null;
    try {
      if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
        throw new AppError('forbidden', 'Cross-site request refused.', { messageKey: 'errors.http.crossSite' });
      }
      // Next refuses most undecodable paths itself; this holds under any server, before a session is looked up.
      if (!isDecodablePath(new URL(request.url).pathname)) throw new AppError('bad_request', 'The address cannot be decoded.', { messageKey: 'errors.input.pathInvalid' });
      viewer = options.permission === 'public' ? null : await requirePermission(options.permission);
      const params = parseParams<P>(options.params as P, (await segment?.params) ?? {});
      const query = parseWith<Q>(options.query as Q, Object.fromEntries(new URL(request.url).searchParams), 'query');
      let body = undefined as Parsed<B>;
      if (options.body) {
        const raw = await readJson(request).catch((error: unknown) => {
          if (error instanceof InvalidBody) throw new z.ZodError([{ code: 'custom', path: [], message: error.message, params: { messageKey: error.messageKey }, input: undefined }]);
          throw error;
        });
        body = parseWith<B>(options.body as B, raw, 'body');
      }
      // After validation, so a malformed request is answered without asking for the factor first.
      if (options.stepUp && viewer) await requireFreshFactor(viewer);
      const result = await handler({ request, requestId, viewer: viewer as ViewerFor<O>, body, query, params });
      if (result instanceof Response) return result;
      if (result === undefined) return new Response(null, { status: 204 });
      return Response.json(result);
    } catch (error) {
      return toErrorResponse(error, requestId, await errorLocale(request, viewer, options.permission));
    }
  };
  return registerRouteSpec(handle, options);
}
