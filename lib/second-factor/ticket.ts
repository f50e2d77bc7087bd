import 'server-only';
// The short-lived signed ticket a correct password earns a user who has a second factor: it names
// the user and their session version, and lets the sign-in continue with the factor (and only
// that) for five minutes. No session exists until the factor is proven.
import crypto from 'node:crypto';
import { authSecret } from '../auth/secret';

const TICKET_TTL_MS = 5 * 60_000;
const PREFIX = 'sf1';

interface TicketClaims {
  uid: string;
  sv: number;
  exp: number;
}

function sign(payload: string): string {
  return crypto.createHmac('sha256', authSecret()).update(`second-factor-ticket\0${payload}`).digest('base64url');
}

/** A ticket for `uid` at session version `sv`. */
export function issueTicket(uid: string, sv: number, now = new Date()): string {
  const payload = Buffer.from(JSON.stringify({ uid, sv, exp: now.getTime() + TICKET_TTL_MS, n: crypto.randomBytes(8).toString('base64url') })).toString('base64url');
  return `${PREFIX}.${payload}.${sign(payload)}`;
}

/** The ticket's claims when its signature holds and it has not expired; otherwise null. */
export function readTicket(ticket: string, now = new Date()): { uid: string; sv: number } | null {
  const [prefix, payload, signature] = ticket.split('.');
  if (prefix !== PREFIX || !payload || !signature) return null;
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return null;
  let claims: Partial<TicketClaims>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TicketClaims>;
  } catch {
    return null;
  }
  if (typeof claims.uid !== 'string' || typeof claims.sv !== 'number' || typeof claims.exp !== 'number' || claims.exp <= now.getTime()) return null;
  return { uid: claims.uid, sv: claims.sv };
}
