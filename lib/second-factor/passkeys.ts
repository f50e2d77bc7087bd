import 'server-only';
// Passkeys (WebAuthn) through @simplewebauthn/server. Every ceremony's challenge is stored for its
// user and used once; the relying party is STRONGROOM_PASSKEY_ORIGIN, or the public URL.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { db, type Prisma } from '../db';
import { env } from '../env';

const CHALLENGE_TTL_MS = 5 * 60_000;
export type CeremonyPurpose = 'register' | 'authenticate';

/** The origin passkeys are bound to and its host, the RP ID. */
export function relyingParty(): { origin: string; rpID: string } {
  const origin = (env().STRONGROOM_PASSKEY_ORIGIN ?? env().publicUrl).replace(/\/$/, '');
  return { origin, rpID: new URL(origin).hostname };
}

async function storeChallenge(userId: string, purpose: CeremonyPurpose, challenge: string, now = new Date()): Promise<void> {
  await db().factorChallenge.deleteMany({ where: { userId, OR: [{ expiresAt: { lte: now } }, { purpose }] } });
  await db().factorChallenge.create({ data: { userId, purpose, challenge, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) } });
}

/** The challenge a browser's response answers, taken from its clientDataJSON; null when unreadable. */
function answeredChallenge(response: { response?: { clientDataJSON?: unknown } }): string | null {
  try {
    const data = JSON.parse(Buffer.from(String(response.response?.clientDataJSON), 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' ? data.challenge : null;
  } catch {
    return null;
  }
}

/** Uses up the user's stored challenge that the response answers; false when there is none (expired, used, forged). */
async function consumeChallenge(userId: string, purpose: CeremonyPurpose, challenge: string | null): Promise<boolean> {
  if (!challenge) return false;
  const { count } = await db().factorChallenge.deleteMany({ where: { userId, purpose, challenge, expiresAt: { gt: new Date() } } });
  return count === 1;
}

/** Options for adding a passkey; the user's existing ones are excluded. */
export async function passkeyRegistrationOptions(user: { id: string; email: string; name: string }): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await db().secondFactor.findMany({ where: { userId: user.id, kind: 'passkey' }, select: { credentialId: true, transports: true } });
  const options = await generateRegistrationOptions({
    rpName: 'Strongroom',
    rpID: relyingParty().rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({ id: row.credentialId!, transports: row.transports as AuthenticatorTransportFuture[] })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await storeChallenge(user.id, 'register', options.challenge);
  return options;
}

export interface VerifiedPasskey {
  credentialId: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
}

/** Checks a new passkey's registration against its stored challenge; null when it does not hold. */
export async function verifyPasskeyRegistration(userId: string, response: RegistrationResponseJSON): Promise<VerifiedPasskey | null> {
  if (!(await consumeChallenge(userId, 'register', answeredChallenge(response)))) return null;
  const { origin, rpID } = relyingParty();
  try {
    const result = await verifyRegistrationResponse({ response, expectedChallenge: () => true, expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: false });
    if (!result.verified) return null;
    const { credential } = result.registrationInfo;
    return { credentialId: credential.id, publicKey: Buffer.from(credential.publicKey), counter: credential.counter, transports: credential.transports ?? [] };
  } catch {
    return null;
  }
}

/** Options for proving a passkey (sign-in or step-up), limited to the user's own. */
export async function passkeyAuthenticationOptions(userId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const passkeys = await db().secondFactor.findMany({ where: { userId, kind: 'passkey' }, select: { credentialId: true, transports: true } });
  const options = await generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    allowCredentials: passkeys.map((row) => ({ id: row.credentialId!, transports: row.transports as AuthenticatorTransportFuture[] })),
    userVerification: 'preferred',
  });
  await storeChallenge(userId, 'authenticate', options.challenge);
  return options;
}

/** Checks a passkey assertion against the stored challenge and the user's credential; returns the factor's id or null. */
export async function verifyPasskeyAssertion(tx: Prisma.TransactionClient, userId: string, response: AuthenticationResponseJSON): Promise<string | null> {
  if (!(await consumeChallenge(userId, 'authenticate', answeredChallenge(response)))) return null;
  const factor = await tx.secondFactor.findFirst({ where: { userId, kind: 'passkey', credentialId: String(response.id) } });
  if (!factor?.credentialId || !factor.publicKey) return null;
  const { origin, rpID } = relyingParty();
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: () => true,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: factor.credentialId, publicKey: new Uint8Array(factor.publicKey), counter: factor.counter ?? 0, transports: factor.transports as AuthenticatorTransportFuture[] },
      requireUserVerification: false,
    });
    if (!result.verified) return null;
    await tx.secondFactor.update({ where: { id: factor.id }, data: { counter: result.authenticationInfo.newCounter } });
    return factor.id;
  } catch {
    return null;
  }
}
