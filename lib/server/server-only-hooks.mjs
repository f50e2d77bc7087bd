// Module resolve hook for the server process (lib/server/main.ts runs without the react-server
// condition, where `import 'server-only'` throws): our own modules get an empty stand-in. Code
// under node_modules and Next's build output resolves it as before.
const EMPTY_MODULE = 'data:text/javascript,export {};';
const FOREIGN = /[\\/](node_modules|\.next)[\\/]/;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'server-only' && !FOREIGN.test(context.parentURL ?? '')) return { url: EMPTY_MODULE, shortCircuit: true };
  return nextResolve(specifier, context);
}
