import 'server-only';
// The one wrapper every route handler goes through: authenticate, authorize, validate, map errors.
import crypto from 'node:crypto';
import { z } from 'zod';
import { getViewer, requirePermission, type Viewer } from '../auth/session';
import type { Permission } from '../auth/permissions';
import { AppError } from '../errors';
import { localeFromRequest, type Locale } from '../i18n/locales';
import { toErrorResponse } from './errors';

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteOptions<B extends Schema, Q extends Schema, P extends Schema> {
  /** A permission from the table, or 'public' for endpoints that need no session. */
  permission: Permission | 'public';
  body?: B;
  query?: Q;
  params?: P;
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

const MAX_BODY_BYTES = 64 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

class InvalidBody extends Error {
  constructor(readonly messageKey: 'errors.http.bodyTooLarge' | 'errors.http.bodyNotJson', message: string) {
    super(message);
  }
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new InvalidBody('errors.http.bodyTooLarge', 'Request body is too large.');
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

/**
 * Wraps a handler. Returns a Next route handler; the handler may return a Response or any
 * JSON-serialisable value (sent with 200).
 */
export function route<B extends Schema = undefined, Q extends Schema = undefined, P extends Schema = undefined, O extends RouteOptions<B, Q, P> = RouteOptions<B, Q, P>>(
  options: O & RouteOptions<B, Q, P>,
  handler: (context: RouteContext<B, Q, P, ViewerFor<O>>) => Promise<unknown> | unknown,
) {
  return async (request: Request, segment?: { params?: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const requestId = crypto.randomUUID();
    let viewer: Viewer | null = null;
    try {
      if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
        throw new AppError('forbidden', 'Cross-site request refused.', { messageKey: 'errors.http.crossSite' });
      }
      viewer = options.permission === 'public' ? null : await requirePermission(options.permission);
      const params = parseWith<P>(options.params as P, (await segment?.params) ?? {}, 'params');
      const query = parseWith<Q>(options.query as Q, Object.fromEntries(new URL(request.url).searchParams), 'query');
      let body = undefined as Parsed<B>;
      if (options.body) {
        const raw = await readJson(request).catch((error: unknown) => {
          if (error instanceof InvalidBody) throw new z.ZodError([{ code: 'custom', path: [], message: error.message, params: { messageKey: error.messageKey }, input: undefined }]);
          throw error;
        });
        body = parseWith<B>(options.body as B, raw, 'body');
      }
      const result = await handler({ request, requestId, viewer: viewer as ViewerFor<O>, body, query, params });
      if (result instanceof Response) return result;
      if (result === undefined) return new Response(null, { status: 204 });
      return Response.json(result);
    } catch (error) {
      return toErrorResponse(error, requestId, await errorLocale(request, viewer, options.permission));
    }
  };
}
