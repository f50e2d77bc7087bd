// Lets the server process import our server-only modules (the vault, custody) natively; they must
// be imported dynamically after this call, since static imports resolve before it runs.
import { register } from 'node:module';

let registered = false;

/** Installs the resolve hook in lib/server/server-only-hooks.mjs, once, when running the TypeScript sources. */
export function allowServerOnlyImports(): void {
  // The compiled server (lib/server/build-server.ts) has 'server-only' emptied at build time: no hook, no loader thread.
  if (registered || !import.meta.url.endsWith('.ts')) return;
  register('./server-only-hooks.mjs', import.meta.url);
  registered = true;
}
