// `npm run build` step two, after `next build`: compiles lib/server/main.ts (and the lib/ and emulator/
// code it imports) to plain JavaScript in .next/strongroom/, so `npm start` runs `node` without tsx.
// Packages stay external (node_modules resolves them at run time, as under tsx); only our sources are bundled.
import fs from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * Two levels below the root on purpose: main.ts (ROOT) and lib/migrations (prisma/) find their files
 * from import.meta.dirname + '../..', which must mean the same from a chunk here as from lib/<folder>/.
 */
const SERVER_OUT_DIR = path.join(ROOT, '.next/strongroom');

/**
 * `import 'server-only'` in our own modules becomes an empty module at build time: what
 * lib/server/server-only-hooks.mjs does at run time under tsx, without a module-loader thread.
 */
const serverOnlyIsEmpty: Plugin = {
  name: 'server-only-is-empty',
  setup(builder) {
    builder.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'empty' }));
    builder.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
  },
};

/** How Node's ESM resolver must see a bare import: `next/headers` is `next/headers.js` in a package without an exports map. */
function nodeSpelling(specifier: string): string {
  const parts = specifier.split('/');
  const name = parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  const subpath = parts.slice(name.split('/').length).join('/');
  const directory = path.join(ROOT, 'node_modules', name);
  if (!subpath || !fs.existsSync(directory)) return specifier; // the package itself, or a Node built-in
  const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8')) as { exports?: unknown };
  if (manifest.exports !== undefined) return specifier; // Node follows the exports map, as tsx does
  const file = path.join(directory, subpath);
  if (fs.existsSync(file) && fs.statSync(file).isFile()) return specifier;
  if (fs.existsSync(`${file}.js`)) return `${specifier}.js`;
  if (fs.existsSync(path.join(file, 'index.js'))) return `${specifier}/index.js`;
  throw new Error(`Node cannot resolve "${specifier}" from ${ROOT}/node_modules`);
}

/**
 * Packages stay external, but Node's ESM resolver (unlike tsx's) adds no extensions to deep imports of
 * packages without an exports map: those are spelled out here, at build time.
 */
const externalAsNodeResolves: Plugin = {
  name: 'external-as-node-resolves',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, ({ path: specifier, importer }) => {
      if (specifier.startsWith('@/')) return undefined; // ours, through the alias
      try {
        return { path: nodeSpelling(specifier), external: true };
      } catch (error) {
        return { errors: [{ text: `${(error as Error).message} (imported by ${importer})` }] };
      }
    });
  },
};

async function main(): Promise<void> {
  if (path.resolve(SERVER_OUT_DIR, '../..') !== ROOT) throw new Error(`${SERVER_OUT_DIR} must be two levels below ${ROOT}`);
  fs.rmSync(SERVER_OUT_DIR, { recursive: true, force: true });
  const started = performance.now();
  const result = await build({
    absWorkingDir: ROOT,
    // The migration step runs apart from the server (lib/migrations/apply-apart.ts).
    entryPoints: { main: 'lib/server/main.ts', 'migrate-child': 'lib/migrations/migrate-child.ts' },
    outdir: SERVER_OUT_DIR,
    // Every chunk in one folder, so import.meta.dirname is the same two levels down in all of them.
    chunkNames: '[name]-[hash]',
    // .mjs: .next/package.json says "commonjs", and these are ES modules.
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    alias: { '@': ROOT },
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    plugins: [serverOnlyIsEmpty, externalAsNodeResolves],
    // Stack traces map back to the TypeScript with `node --enable-source-maps` (off by default: see docs/PERFORMANCE.md).
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  const bundled = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + (output.bytes ?? 0), 0);
  console.log(`Server: ${bundled.length} modules compiled to ${path.relative(ROOT, SERVER_OUT_DIR)}/ (${Math.round(bytes / 1024)} KiB with source maps) in ${Math.round(performance.now() - started)} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
