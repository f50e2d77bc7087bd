// The security headers Strongroom sends. Pure: the node:http server's edge (lib/server/edge-guard.ts)
// builds them here for every response, the SSE fast path and each page's CSP with its nonce included.

/** Headers on every response: pages, API JSON, static files and the SSE fast path. HSTS only over https. */
export function baselineHeaders(https: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    ...(https ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}

/** API answers are data, never documents: nothing in them may load or run, and nothing may cache them. */
export const API_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'Cache-Control': 'no-store',
};

/** A fresh nonce for one page render (128 random bits). */
export function createNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/**
 * The page CSP: scripts only with this render's nonce (Next stamps it on its own scripts, and
 * 'strict-dynamic' lets those load the bundles). Style attributes stay allowed: components and the
 * chart library set them, and they cannot run code.
 */
export function pageContentSecurityPolicy(nonce: string, options: { https: boolean; dev: boolean }): string {
  const directives = [
    "default-src 'self'",
    // Dev only: React rebuilds server error stacks with eval.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    // Dev injects style tags without a nonce for hot reloading.
    options.dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    // The shared live worker (one stream for every tab); 'strict-dynamic' would otherwise refuse it.
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/**
 * Shared views (/s/<secret> links, /shared/<id>): the address is the key, so it must not leave in a
 * Referer, be indexed or be kept by any cache.
 */
export const SHARE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Referrer-Policy': 'no-referrer',
  'X-Robots-Tag': 'noindex, nofollow',
  'Cache-Control': 'no-store',
};

/** Whether a path is a shared view's page. */
export function isSharePagePath(path: string): boolean {
  return path.startsWith('/s/') || path.startsWith('/shared/');
}
