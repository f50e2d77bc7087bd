// The OpenAPI 3.1 document of the HTTP API, built by zod-openapi from the schemas route() validates
// with (lib/http/route-spec.ts), so the document cannot describe a contract the code does not keep.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { routeSpecOf } from './route-spec';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface RouteTableEntry {
  /** URL template, `{name}` for dynamic segments. */
  path: string;
  file: string;
  /** The route module's exports. */
  handlers: Record<string, unknown>;
}

/** Handlers not made by route(), and why; their operations carry only what is said here. */
const NOT_WRAPPED: Record<string, string> = {
  '/api/auth/{nextauth}': 'next-auth sign-in, callback and session endpoints (form posts and redirects).',
  '/api/stream': 'Server-Sent Events; `topics` is a comma-separated list of topic ids (see docs/live-data.md).',
};

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    /** `step_up_required` or `second_factor_enrolment_required`: what the client should do next. */
    reason: z.string().optional(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
  }),
});

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorBody } } });

function operation(method: HttpMethod, entry: RouteTableEntry): ZodOpenApiOperationObject {
  const spec = routeSpecOf(entry.handlers[method]);
  const responses: ZodOpenApiOperationObject['responses'] = {
    '200': { description: 'Success (JSON unless the route says otherwise; 201/204 where documented in docs/api.md).' },
    '4XX': errorResponse('Refused: see docs/api.md for the codes.'),
    '500': errorResponse('A fault on the server; the body names only a request id.'),
  };
  if (!spec) return { operationId: operationId(method, entry.path), description: NOT_WRAPPED[entry.path], responses };
  return {
    operationId: operationId(method, entry.path),
    'x-permission': spec.permission,
    // Asks a caller with a second factor for a fresh one (403 `step_up_required`; docs/api.md, Second factors).
    ...(spec.stepUp ? { 'x-step-up': true } : {}),
    security: spec.permission === 'public' ? [] : [{ session: [] }],
    ...(spec.params || spec.query ? { requestParams: { ...(spec.params ? { path: spec.params } : {}), ...(spec.query ? { query: spec.query } : {}) } } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
    responses,
  } as ZodOpenApiOperationObject;
}

function operationId(method: HttpMethod, path: string): string {
  return `${method.toLowerCase()}${path
    .replace(/^\/api/, '')
    .split(/[/.{}-]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('')}`;
}

/** The methods a route module answers. */
export function methodsOf(entry: RouteTableEntry): HttpMethod[] {
  return HTTP_METHODS.filter((method) => typeof entry.handlers[method] === 'function');
}

/** Builds the document for the given routes. */
export function buildOpenApiDocument(table: readonly RouteTableEntry[]) {
  const paths: ZodOpenApiPathsObject = {};
  for (const entry of table) {
    const item: Record<string, ZodOpenApiOperationObject> = {};
    for (const method of methodsOf(entry)) item[method.toLowerCase()] = operation(method, entry);
    paths[entry.path] = item;
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: { title: 'Strongroom HTTP API', version: '1', description: 'Generated from the route handlers\' zod schemas. Prose and examples: docs/api.md.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: 'The next-auth session cookie set by /api/auth.' } } },
      paths,
    },
    { reused: 'inline' },
  );
}
