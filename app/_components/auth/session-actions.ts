'use client';
// The browser's only door to next-auth: sign in with a password (and a second factor), sign out.
import { signIn, signOut } from 'next-auth/react';
import { SECOND_FACTOR_PENDING } from '@/lib/second-factor/pending-marker';
import type { FactorMethod, FactorProof } from '../second-factor/factor-prompt';

export type SecondFactorStep = { ticket: string; methods: FactorMethod[] };
export type SignInResult = { ok: true } | { ok: false; message: string | null; secondFactor?: SecondFactorStep };

/** The `{ ticket, methods }` a password step with a second factor answers with, or null. */
function pendingSecondFactor(error: string): SecondFactorStep | null {
  if (!error.startsWith(SECOND_FACTOR_PENDING)) return null;
  try {
    return JSON.parse(error.slice(SECOND_FACTOR_PENDING.length)) as SecondFactorStep;
  } catch {
    return null;
  }
}

async function credentialsSignIn(fields: Record<string, string>): Promise<SignInResult> {
  try {
    const result = await signIn('credentials', { ...fields, redirect: false });
    if (result?.ok && !result.error) return { ok: true };
    const error = result?.error && result.error !== 'CredentialsSignin' ? result.error : null;
    const secondFactor = error ? pendingSecondFactor(error) : null;
    if (secondFactor) return { ok: false, message: null, secondFactor };
    return { ok: false, message: error };
  } catch {
    return { ok: false, message: null };
  }
}

/** Starts a session; on failure returns next-auth's message (wrong password, lockout) or null; or asks for the second factor. */
export function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  return credentialsSignIn({ email, password });
}

/** The second step: the ticket from the password step and the proven factor. */
export function signInWithSecondFactor(ticket: string, proof: FactorProof): Promise<SignInResult> {
  return credentialsSignIn({ ticket, proof: JSON.stringify(proof) });
}

/** Ends the session (clears the cookie); the caller navigates away. */
export async function endSession(): Promise<void> {
  await signOut({ redirect: false }).catch(() => {});
}

/** Leaves for an OpenID Connect provider's sign-in page; the browser comes back signed in, or to /login with the reason. */
export async function signInWithProvider(providerId: string): Promise<void> {
  await signIn(providerId, { callbackUrl: '/overview' });
}
