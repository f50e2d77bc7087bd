// Walks every operation of /api/openapi.json with generated valid and invalid input, as each role,
// against the running app. The contract under test: no answer ≥ 500, and every 4xx is a JSON error
// body with a request id (also in the x-request-id header).
import fc from 'fast-check';
import { HOSTILE_TEXT, invalidArbitrary, validArbitrary, type JsonSchema } from './json-schema-arbitrary';

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

export interface FuzzRole {
  name: string;
  /** Cookie header for the role's session; empty for anonymous. */
  cookie: string;
}

export interface FuzzOptions {
  baseURL: string;
  document: OpenApiDocument;
  roles: FuzzRole[];
  /** Known ids per path parameter name, so valid input reaches past the 404s. */
  ids: Record<string, string[]>;
  /** Samples per operation × role × kind (valid, invalid). */
  runs: number;
  seed: number;
  /** Operations left out, with the reason. */
  skip?: Record<string, string>;
  /** Operations (`METHOD /path`) run after all others, in this order: those that end the caller's own session. */
  last?: string[];
}

export interface FuzzFailure {
  role: string;
  method: string;
  url: string;
  status: number;
  problem: string;
  body: string;
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<string, number>;
  failures: FuzzFailure[];
}

/** Raw path segments that must be refused, not crash: bad percent-encoding, NUL, surrogates. */
const HOSTILE_SEGMENTS = ['%C0%AE', '%E0%A4%A', '%', '%00', '%ED%A0%80', '..%2F..%2Fetc', 'x'.repeat(3000), '%F0%9F%92%A9', 'null', '-1'];
/** Raw bodies that are not the JSON asked for. */
const RAW_BODIES = ['{"a":', 'null', '[]', '"\\u0000"', '{"x":"\\ud800"}', 'x'.repeat(70 * 1024), '\u0000'];

function encodeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  try {
    return encodeURIComponent(text);
  } catch {
    // Lone surrogates cannot be URI-encoded: send their UTF-8-looking bytes raw.
    return '%ED%A0%80';
  }
}

function isErrorBody(text: string): boolean {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
    return typeof body.error?.code === 'string' && typeof body.error.message === 'string' && typeof body.error.requestId === 'string' && body.error.requestId.length > 0;
  } catch {
    return false;
  }
}

async function send(baseURL: string, role: FuzzRole, method: string, url: string, body: string | undefined): Promise<{ status: number; text: string; requestId: string | null; type: string }> {
  const response = await fetch(baseURL + url, {
    method,
    redirect: 'manual',
    headers: { ...(role.cookie ? { cookie: role.cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), origin: baseURL },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const type = response.headers.get('content-type') ?? '';
  // An event stream never ends: its status and headers are the answer.
  const text = type.includes('text/event-stream') ? (await response.body?.cancel(), '') : await response.text();
  return { status: response.status, text, requestId: response.headers.get('x-request-id'), type };
}

/** Runs the fuzz and returns what it saw; the caller asserts on `failures`. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { requests: 0, byStatus: {}, failures: [] };
  const pool = (name: string) => (schema: JsonSchema) => (schema.format === 'uuid' || !schema.format ? (options.ids[name] ?? []) : []);
  let seed = options.seed;
  const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number) => fc.sample(arbitrary, { numRuns: count, seed: seed++ });

  const operations = Object.entries(options.document.paths).flatMap(([template, item]) => Object.entries(item).map(([lowerMethod, operation]) => ({ template, method: lowerMethod.toUpperCase(), operation })));
  const rank = (key: string) => (options.last?.includes(key) ? 1 + options.last.indexOf(key) : 0);
  operations.sort((a, b) => rank(`${a.method} ${a.template}`) - rank(`${b.method} ${b.template}`));
  for (const { template, method, operation } of operations) {
    if (options.skip?.[`${method} ${template}`]) continue;
    const parameters = operation.parameters ?? [];
    const pathParams = parameters.filter((p) => p.in === 'path');
    const queryParams = parameters.filter((p) => p.in === 'query');
    const bodySchema = operation.requestBody?.content['application/json'].schema;

    const build = (kind: 'valid' | 'invalid') => {
      const paths = pathParams.map((p) => {
        const valid = validArbitrary(p.schema ?? { type: 'string' }, pool(p.name)).map((v) => encodeValue(v));
        return kind === 'valid' ? valid : fc.oneof(valid, fc.constantFrom(...HOSTILE_SEGMENTS));
      });
      const queries = queryParams.map((p) =>
        fc.option((kind === 'valid' ? validArbitrary(p.schema ?? { type: 'string' }, pool(p.name)) : fc.oneof(invalidArbitrary(p.schema ?? {}), fc.constantFrom(...HOSTILE_TEXT))).map(encodeValue), {
          nil: undefined,
          freq: p.required ? 0 : 3,
        }),
      );
      const bodies = bodySchema
        ? kind === 'valid'
          ? validArbitrary(bodySchema, pool('')).map((v) => JSON.stringify(v))
          : fc.oneof(invalidArbitrary(bodySchema).map((v) => JSON.stringify(v) ?? 'null'), fc.constantFrom(...RAW_BODIES))
        : fc.constant(undefined);
      return fc.tuple(fc.tuple(...paths), fc.tuple(...queries), bodies).map(([pathValues, queryValues, body]) => {
        let url = template;
        pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, pathValues[i] as string)));
        const query = queryParams.flatMap((p, i) => (queryValues[i] === undefined ? [] : [`${encodeURIComponent(p.name)}=${queryValues[i]}`]));
        return { url: query.length ? `${url}?${query.join('&')}` : url, body: body as string | undefined };
      });
    };

    for (const role of options.roles) {
      for (const kind of ['valid', 'invalid'] as const) {
        for (const { url, body } of sample(build(kind), options.runs)) {
          const answer = await send(options.baseURL, role, method, url, body);
          report.requests += 1;
          report.byStatus[answer.status] = (report.byStatus[answer.status] ?? 0) + 1;
          const fail = (problem: string) => report.failures.push({ role: role.name, method, url: url.slice(0, 300), status: answer.status, problem, body: answer.text.slice(0, 300) });
          if (answer.status >= 500) fail('server error');
          else if (answer.status >= 400) {
            if (!answer.type.includes('application/json') || !isErrorBody(answer.text)) fail('4xx without a JSON error body');
            else if (!answer.requestId) fail('4xx without x-request-id');
          }
        }
      }
    }
  }
  return report;
}
