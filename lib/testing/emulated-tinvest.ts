// The T-Invest emulator on the real clock and a fresh test database, for one test file (call it before
// anything reads lib/env): the setup every test that builds on T-Invest data through custody needs.
import { startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import { createTestDatabase, type TestDatabase } from './test-db';

export interface EmulatedTinvest {
  emu: TinvestEmulator;
  database: TestDatabase;
  /** Closes the app's channels, the emulator and the database. */
  close(): Promise<void>;
}

export async function emulatedTinvest(options: Parameters<typeof startTinvestEmulator>[0] = {}): Promise<EmulatedTinvest> {
  // Captured before any test replaces Date.now, so the emulator's market keeps real time.
  const realNow = Date.now.bind(Date);
  const emu = await startTinvestEmulator({ now: () => new Date(realNow()), ...options });
  process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
  process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
  process.env.TOKEN_CHECKS = 'off';
  process.env.ANALYTICS_SNAPSHOTS = 'off';
  const database = await createTestDatabase();
  return {
    emu,
    database,
    async close() {
      (await import('../tinvest')).closeChannels();
      await emu.close();
      await database.close();
    },
  };
}
