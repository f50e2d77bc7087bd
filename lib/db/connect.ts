// Opens the database the environment asks for: embedded PGlite in the data folder, or PostgreSQL.
// Shared by lib/db.ts (the app's PrismaClient) and lib/migrations (the schema engine).
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { ColumnTypeEnum, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export type DatabaseTarget =
  | { kind: 'pglite'; directory: string | null }
  | { kind: 'postgres'; url: string };

/** Where the data lives: `DATABASE_URL` wins, otherwise PGlite under the data folder. */
export function databaseTarget(config: { DATABASE_URL?: string; dataDir: string }): DatabaseTarget {
  if (config.DATABASE_URL) return { kind: 'postgres', url: config.DATABASE_URL };
  return { kind: 'pglite', directory: path.join(config.dataDir, 'pglite') };
}

const globalForDb = globalThis as unknown as { strongroomPglite?: Map<string, PGlite> };

/**
 * One PGlite instance per directory per process: PGlite is single-connection, and the custom
 * server, the migrations and Next's bundled route code must all share it.
 */
/**
 * PGlite's own defaults plus smaller buffers: PostgreSQL's 128 MB of shared_buffers are allocated in PGlite's
 * WebAssembly memory, while the database is small and read through the OS page cache anyway (about 120 MiB
 * less RSS; docs/PERFORMANCE.md).
 */
const PGLITE_START_PARAMS = [
  ...['--single', '-F', '-O', '-j', '-c', 'search_path=public', '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false'],
  ...['-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0'],
  ...['-c', 'shared_buffers=16MB', '-c', 'wal_buffers=4MB'],
];

export function openPglite(directory: string | null): PGlite {
  const instances = (globalForDb.strongroomPglite ??= new Map());
  const key = directory ?? ':memory:';
  let instance = instances.get(key);
  if (!instance || instance.closed) {
    if (directory) fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    instance = new PGlite({ ...(directory ? { dataDir: directory } : {}), startParams: PGLITE_START_PARAMS });
    instances.set(key, instance);
  }
  return instance;
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const charColumnsByRows = new WeakMap<unknown[], number[]>();

/**
 * The schema engine's catalogue queries return single-byte `"char"` columns (pg_class.relkind
 * and friends) that @prisma/adapter-pg refuses to map. This client reads them as text and notes
 * which columns they were, so `withCharacterColumns` can report them as Prisma's Character type,
 * exactly as the PGlite adapter does.
 */
function noteCharColumns(value: pg.QueryResult | undefined): void {
  const charColumns: number[] = [];
  (value?.fields ?? []).forEach((field, index) => {
    if (field.dataTypeID === PG_CHAR_OID) {
      field.dataTypeID = PG_TEXT_OID;
      charColumns.push(index);
    }
  });
  if (value && charColumns.length > 0) charColumnsByRows.set(value.rows, charColumns);
}

function readingCatalogueTypes(query: (...args: unknown[]) => unknown) {
  return function (this: unknown, ...args: unknown[]): never {
    const result = query.apply(this, args);
    return (result instanceof Promise ? result.then((value: pg.QueryResult) => (noteCharColumns(value), value)) : result) as never;
  };
}

// Plain queries go through the pool, transactions through a checked-out client: patch both.
class CatalogueReadingClient extends pg.Client {}
CatalogueReadingClient.prototype.query = readingCatalogueTypes(pg.Client.prototype.query as never) as never;
class CatalogueReadingPool extends pg.Pool {}
CatalogueReadingPool.prototype.query = readingCatalogueTypes(pg.Pool.prototype.query as never) as never;

type Queryable = { queryRaw: (...args: never[]) => Promise<{ rows: unknown[][]; columnTypes: number[] }> };

function withCharacterColumns<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'queryRaw') {
        return async (...args: never[]) => {
          const result = await (value as Queryable['queryRaw']).apply(object, args);
          for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
          return result;
        };
      }
      // @prisma/adapter-pg runs a script statement by statement, split at every ';', which cuts a
      // function body (migration read_epoch) in pieces; PostgreSQL runs a whole script as one simple query.
      if (property === 'executeScript' && 'underlyingDriver' in object) {
        const adapter = object as unknown as { underlyingDriver(): pg.Pool | pg.Client; onError(error: unknown): never };
        return async (script: string) => {
          try {
            await adapter.underlyingDriver().query(script);
          } catch (error) {
            adapter.onError(error);
          }
        };
      }
      if (property === 'startTransaction' || property === 'connect' || property === 'connectToShadowDb') {
        return async (...args: unknown[]) => withCharacterColumns(await (value as (...a: unknown[]) => Promise<object>).apply(object, args));
      }
      return value.bind(object);
    },
  });
}

/** A Prisma driver-adapter factory for the app's client. */
export function createAdapterFactory(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.kind === 'pglite') return new PrismaPGlite(openPglite(target.directory));
  return new PrismaPg({ connectionString: target.url, max: 10 });
}

/**
 * The schema engine's adapter (it also reads catalogue types) and how to let go of it. On PostgreSQL the
 * engine holds its advisory lock on a session of this pool: `close()` ends the pool, so the next migrator
 * gets the lock at once instead of when an idle connection times out (10 s, the engine's own lock timeout).
 */
export function createSchemaEngineAdapter(target: DatabaseTarget): { factory: SqlMigrationAwareDriverAdapterFactory; close(): Promise<void> } {
  if (target.kind === 'pglite') return { factory: new PrismaPGlite(openPglite(target.directory)), close: async () => {} };
  const pool = new CatalogueReadingPool({ connectionString: target.url, max: 2, Client: CatalogueReadingClient });
  // Bounded: a connection the engine never handed back must not hold a start up for ever.
  const close = () => Promise.race([pool.end(), new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref())]);
  return { factory: withCharacterColumns(new PrismaPg(pool)), close };
}

/** Closes every PGlite instance this process opened (tests, CLI exit). */
export async function closePglite(): Promise<void> {
  const instances = globalForDb.strongroomPglite;
  if (!instances) return;
  await Promise.all([...instances.values()].map((instance) => (instance.closed ? undefined : instance.close())));
  instances.clear();
}

/** A short description safe to print: never the password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'pglite') return `PGlite at ${target.directory ?? 'memory'}`;
  const url = new URL(target.url);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
