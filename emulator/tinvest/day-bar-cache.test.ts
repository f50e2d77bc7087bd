// The day-bar cache shares computed years between emulator processes: what it hands back must be exactly
// what the price process computes, and a damaged file only costs the time to compute again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { PriceProcess } from './price-process';

const DAY = 86_400_000;
const INSTRUMENTS = [{ uid: 'u1', startNanos: 100_000_000_000n, stepNanos: 10_000_000n, volatility: 0.3 }];
const process_ = (dir: string | null) => new PriceProcess(7, Date.UTC(2024, 0, 1), INSTRUMENTS, () => true, dir ? { dir, schedule: 'always' } : null);

it('a cached year equals the computed one, day by day and composed, and is read back by a new process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'day-bars-'));
  const plain = process_(null);
  const from = Date.UTC(2022, 0, 1);
  const now = Date.UTC(2026, 0, 1);
  process_(dir).bar('u1', from, from + DAY, now);
  const files = fs.readdirSync(dir);
  expect(files).toHaveLength(1);
  const reader = process_(dir);
  for (let day = from; day < Date.UTC(2023, 0, 1); day += 7 * DAY) expect(reader.bar('u1', day, day + DAY, now)).toEqual(plain.bar('u1', day, day + DAY, now));
  expect(reader.bar('u1', from, from + 300 * DAY, now)).toEqual(plain.bar('u1', from, from + 300 * DAY, now));
  // Another series (a different seed) never reads this one's file.
  const other = new PriceProcess(8, Date.UTC(2024, 0, 1), INSTRUMENTS, () => true, { dir, schedule: 'always' });
  expect(other.bar('u1', from, from + DAY, now)).not.toEqual(plain.bar('u1', from, from + DAY, now));
});

it('a damaged cache file is computed again', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'day-bars-'));
  const from = Date.UTC(2021, 5, 1);
  const now = Date.UTC(2026, 0, 1);
  process_(dir).bar('u1', from, from + DAY, now);
  const [file] = fs.readdirSync(dir);
  fs.writeFileSync(path.join(dir, file!), '[["1","2"');
  expect(process_(dir).bar('u1', from, from + DAY, now)).toEqual(process_(null).bar('u1', from, from + DAY, now));
});
