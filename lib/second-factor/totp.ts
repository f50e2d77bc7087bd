import 'server-only';
// Authenticator-app codes (RFC 6238: SHA-1, 6 digits, 30 s) through the otpauth library. A code is
// accepted one step either side of now (clock drift) and only for a step later than the last one
// accepted, so an observed code cannot be replayed.
import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;
const DIGITS = 6;
/** Steps either side of now that still count. */
const WINDOW = 1;

/** A fresh random 20-byte TOTP secret. */
export function newTotpSecret(): Buffer {
  return crypto.randomBytes(20);
}

function totpFor(secret: Buffer, label = 'Strongroom'): TOTP {
  return new TOTP({ issuer: 'Strongroom', label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: new Secret({ buffer: Uint8Array.from(secret).buffer }) });
}

/** The time step (30-second slot) a moment falls in. */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / PERIOD);
}

/**
 * The step a code matches, when it is within the window and later than `lastStep`; otherwise null
 * (wrong, too old, or a replay).
 */
export function matchTotp(secret: Buffer, code: string, lastStep: number | null, now = new Date()): number | null {
  const digits = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  const delta = totpFor(secret).validate({ token: digits, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return null;
  const step = totpStep(now) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** What an authenticator app scans: the otpauth:// URI, the same as an SVG QR code (data URL), and the secret typed by hand. */
export async function totpEnrolment(secret: Buffer, accountLabel: string): Promise<{ uri: string; qrDataUrl: string; manualKey: string }> {
  const totp = totpFor(secret, accountLabel);
  const uri = totp.toString();
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { uri, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, manualKey: totp.secret.base32 };
}
