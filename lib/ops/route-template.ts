import 'server-only';
// The route a request hit, as a template (`/api/tokens/{id}`), for the latency histogram's labels: raw
// URLs would make one time series per token id. Templates come from the route files under app/api.
import fs from 'node:fs';
import path from 'node:path';

interface Template {
  template: string;
  /** Literal segments; null for a parameter. */
  segments: (string | null)[];
  /** `[...name]`: the last parameter takes the rest of the path. */
  catchAll: boolean;
}

/** `app/api/tokens/[id]/route.ts` → `/api/tokens/{id}` (as .ci/route-table.mjs names them). */
function apiTemplates(appDir: string): Template[] {
  const out: Template[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts' || entry.name === 'route.js') {
        const segments = path.relative(appDir, dir).split(path.sep).filter((s) => !/^\(.*\)$/.test(s));
        const template = '/' + segments.map((s) => s.replace(/^\[(?:\.\.\.)?(.+)\]$/, '{$1}')).join('/');
        out.push({ template, segments: template.split('/').slice(1).map((s) => (s.startsWith('{') ? null : s)), catchAll: /^\[\.\.\./.test(segments.at(-1) ?? '') });
      }
    }
  };
  walk(path.join(appDir, 'api'));
  return out;
}

export interface RouteTemplates {
  /** The template for a request path; `/api/other` for an unknown API path, `page` for pages, `/_next` for Next's assets. */
  of(url: string): string;
}

/** Reads the templates once from `appDir` (the repository's app/ folder). */
export function routeTemplates(appDir: string): RouteTemplates {
  const templates = apiTemplates(appDir)
    // Literal segments win over parameters: /api/tokens/new before /api/tokens/{id}.
    .sort((a, b) => a.segments.filter((s) => s === null).length - b.segments.filter((s) => s === null).length);
  return {
    of(url) {
      const pathname = url.split('?', 1)[0]!;
      if (pathname.startsWith('/_next/')) return '/_next';
      if (pathname !== '/api' && !pathname.startsWith('/api/')) return pathname === '/metrics' ? '/metrics' : 'page';
      const parts = pathname.split('/').slice(1);
      for (const { template, segments, catchAll } of templates) {
        if (segments.length > parts.length || (segments.length < parts.length && !catchAll)) continue;
        if (segments.every((segment, i) => segment === null || segment === parts[i])) return template;
      }
      return '/api/other';
    },
  };
}
