// The embedded database starts with PGlite's own settings plus the smaller buffers openPglite asks for.
import { afterAll, describe, expect, it } from 'vitest';
import { closePglite, openPglite } from './connect';

afterAll(() => closePglite());

describe('openPglite', () => {
  it('keeps PGlite’s defaults and sets 16 MB of shared buffers', async () => {
    const database = openPglite(null);
    const setting = async (name: string) => (await database.query<{ setting: string }>(`SELECT current_setting('${name}') AS setting`)).rows[0]!.setting;
    expect(await setting('shared_buffers')).toBe('16MB');
    expect(await setting('wal_buffers')).toBe('4MB');
    expect(await setting('search_path')).toBe('public');
    expect(await setting('max_parallel_workers_per_gather')).toBe('0');
    expect(openPglite(null)).toBe(database);
  });
});
