// Next's proxy (the renamed middleware): a fresh nonce and Content-Security-Policy for every page render.
// Next reads the nonce from the request's CSP header and stamps it on its own scripts; the other
// security headers are set for every response by the node:http server (lib/server/edge-guard.ts).
import { NextResponse, type NextRequest } from 'next/server';
import { env } from '@/lib/env';
import { createNonce, isSharePagePath, pageContentSecurityPolicy, SHARE_PAGE_HEADERS } from '@/lib/http/security-headers';

export function proxy(request: NextRequest) {
  const nonce = createNonce();
  // NODE_ENV here is fixed when Next compiles this file: 'development' only under next dev.
  const policy = pageContentSecurityPolicy(nonce, { https: env().publicUrl.startsWith('https:'), dev: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  if (isSharePagePath(request.nextUrl.pathname)) for (const [name, value] of Object.entries(SHARE_PAGE_HEADERS)) response.headers.set(name, value);
  return response;
}

// Pages only: API answers get their own data-only policy, static files need none. Prefetches are
// matched too, so no page HTML ever leaves without a policy.
export const config = { matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'] };
