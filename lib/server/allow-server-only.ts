// Lets the server process import our server-only modules (the vault, custody) natively; they must
// be imported dynamically after this call, since static imports resolve before it runs.
import { register } from 'node:module';

let registered = false;

/** Installs the resolve hook in lib/server/server-only-hooks.mjs, once. */
export function allowServerOnlyImports(): void {
  if (registered) return;
  register('./server-only-hooks.mjs', import.meta.url);
  registered = true;
}
