// Loads Prisma's wasm schema engine without --experimental-wasm-modules and binds it to a
// driver adapter, so migrations run offline on PGlite and PostgreSQL alike.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);
let loaded: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const wasmPath = require.resolve('@prisma/schema-engine-wasm').replace(/schema_engine\.js$/, 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), { './schema_engine_bg.js': bindings });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
    (bindings as unknown as { __wbg_set_wasm: (wasm: unknown) => void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return loaded;
}

/** A schema engine for the given datamodel, talking to the database through the adapter. */
export async function openSchemaEngine(
  schema: { path: string; content: string },
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  onLog: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  await loadWasm();
  const engineClass = (bindings as unknown as { SchemaEngine: typeof SchemaEngine }).SchemaEngine;
  return engineClass.new(
    { datamodels: [[schema.path, schema.content]] },
    (message: string) => onLog(message),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
