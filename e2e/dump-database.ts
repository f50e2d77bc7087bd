// `node --conditions=react-server --import tsx e2e/dump-database.ts <pglite dir> <out.jsonl>`:
// every row of every table in the public schema, one JSON line each, for the secret scan.
// Opens a copy of the e2e data folder, never the one the server is using.
import fs from 'node:fs';
import { closePglite, openPglite } from '../lib/db/connect';

async function main(directory: string, out: string): Promise<void> {
  const db = openPglite(directory);
  const tables = await db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
  const lines: string[] = [];
  for (const { table_name: table } of tables.rows) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM "${table.replaceAll('"', '""')}"`);
    for (const row of rows.rows) lines.push(JSON.stringify({ table, row }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value)));
  }
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
  console.log(`database dump: ${tables.rows.length} tables, ${lines.length} rows`);
  await closePglite();
}

const [directory, out] = process.argv.slice(2);
if (!directory || !out) {
  console.error('Usage: dump-database.ts <pglite dir> <out.jsonl>');
  process.exit(2);
}
main(directory, out).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
