// Next.js configuration. Packages that load native or wasm code stay outside the server bundle.
import { PHASE_PRODUCTION_SERVER } from 'next/constants.js';

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Route modules load on first use: Turbopack gives each API route its own copy of a shared 0.85 MB chunk,
  // and preloading every route at start held 15 of them (docs/PERFORMANCE.md, "Memory at rest and under load").
  experimental: { preloadEntriesOnStart: false },
  // Responses are compressed in front of Next (lib/server/compress-responses.ts) at a cheaper setting than
  // Next's fixed gzip level 6; HTTP_COMPRESSION=off leaves it to a reverse proxy (docs/deploy.md).
  compress: false,
  serverExternalPackages: [
    '@electric-sql/pglite',
    'pglite-prisma-adapter',
    '@prisma/adapter-pg',
    'pg',
    '@node-rs/argon2',
    '@grpc/grpc-js',
    'pino',
    'prom-client',
    'ioredis',
  ],
  // Security headers are not set here: lib/server/edge-guard.ts sets them on every response (the SSE
  // fast path included, which never reaches Next), each page's CSP with its nonce among them.
};

/**
 * next-intl's plugin only shapes the bundler (an alias for its request config), so the production server
 * does without it: importing it loads @swc/core and @parcel/watcher, 13.6 MiB of native code a server never uses.
 */
export default async function config(phase) {
  if (phase === PHASE_PRODUCTION_SERVER) return nextConfig;
  const { default: createNextIntlPlugin } = await import('next-intl/plugin');
  return createNextIntlPlugin('./lib/i18n/request.ts')(nextConfig);
}
