import 'server-only';
// The session-signing secret: from STRONGROOM_AUTH_SECRET, or generated once into the data folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { env } from '../env';
import { registerSecret } from '../redact-secrets';

let cached: string | undefined;

/** Returns the secret, creating `<data>/auth-secret` (0600) on first use. */
export function authSecret(): string {
  if (cached) return cached;
  const { STRONGROOM_AUTH_SECRET, dataDir } = env();
  if (STRONGROOM_AUTH_SECRET) return (cached = STRONGROOM_AUTH_SECRET);
  const file = path.join(dataDir, 'auth-secret');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  cached = fs.readFileSync(file, 'utf8').trim();
  registerSecret(cached);
  return cached;
}

/** A keyed hash for lookups that must not reveal the input (emails in the throttle table). */
export function keyedHash(purpose: string, value: string): string {
  return crypto.createHmac('sha256', authSecret()).update(`${purpose}\0${value}`).digest('base64url');
}
