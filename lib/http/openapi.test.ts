// The OpenAPI document against the file system and docs/api.md: a route file nobody listed, a
// handler that skips route(), or a documented route that no longer exists fails here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROUTE_TABLE } from '@/app/api/openapi.json/route-table.generated';
// @ts-expect-error plain ESM script without types
import { render } from '../../.ci/route-table.mjs';
import { buildOpenApiDocument, methodsOf } from './openapi';
import { routeSpecOf } from './route-spec';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Route handlers that are not made by route(), on purpose. */
const UNWRAPPED = new Set(['GET /api/auth/{nextauth}', 'POST /api/auth/{nextauth}', 'GET /api/stream']);

const operations = ROUTE_TABLE.flatMap((entry) => methodsOf(entry).map((method) => ({ method, entry, key: `${method} ${entry.path}` })));

describe('OpenAPI document', () => {
  test('the route table lists every route file under app/api (npm run openapi:routes)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'app/api/openapi.json/route-table.generated.ts'), 'utf8')).toBe(render());
  });

  test('every handler goes through route(), except the listed few', () => {
    const unwrapped = operations.filter(({ method, entry }) => !routeSpecOf(entry.handlers[method])).map(({ key }) => key);
    expect(unwrapped.sort()).toEqual([...UNWRAPPED].sort());
  });

  test('documents every operation with its permission, and path parameters match the URL', () => {
    const document = buildOpenApiDocument(ROUTE_TABLE);
    expect(document.openapi).toBe('3.1.0');
    const ids = new Set<string>();
    for (const { method, entry, key } of operations) {
      const op = (document.paths?.[entry.path] as Record<string, { operationId: string; parameters?: { in: string; name: string }[]; 'x-permission'?: string }>)[method.toLowerCase()];
      expect(op, key).toBeDefined();
      expect(ids.has(op!.operationId), `duplicate operationId ${op!.operationId}`).toBe(false);
      ids.add(op!.operationId);
      if (UNWRAPPED.has(key)) continue;
      expect(op!['x-permission'], key).toBe(routeSpecOf(entry.handlers[method])!.permission);
      const templated = [...entry.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const documented = (op!.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      expect(documented, `${key}: path parameters`).toEqual(templated);
    }
  });

  test('docs/api.md describes exactly the operations that exist', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs/api.md'), 'utf8');
    const documented = new Set<string>();
    for (const heading of text.matchAll(/^###\s+(.+)$/gm)) {
      for (const code of heading[1]!.matchAll(/`([A-Z|]+) (\/api\/[^`\s]*)`/g)) {
        const urlPath = code[2]!.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, '/{nextauth}');
        for (const method of code[1]!.split('|')) documented.add(`${method} ${urlPath}`);
      }
    }
    const actual = new Set(operations.map(({ key }) => key));
    expect([...actual].filter((key) => !documented.has(key)).sort(), 'in code, missing from docs/api.md').toEqual([]);
    expect([...documented].filter((key) => !actual.has(key)).sort(), 'in docs/api.md, not in code').toEqual([]);
  });
});
