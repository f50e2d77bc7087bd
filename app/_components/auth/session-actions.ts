'use client';
// The browser's only door to next-auth: sign in with a password, sign out.
import { signIn, signOut } from 'next-auth/react';

export type SignInResult = { ok: true } | { ok: false; message: string | null };

/** Starts a session; on failure returns next-auth's message (wrong password, lockout) or null if none came. */
export async function signInWithPassword(email: string, password: string): Promise<SignInResult> {
  try {
    const result = await signIn('credentials', { email, password, redirect: false });
    if (result?.ok && !result.error) return { ok: true };
    return { ok: false, message: result?.error && result.error !== 'CredentialsSignin' ? result.error : null };
  } catch {
    return { ok: false, message: null };
  }
}

/** Ends the session (clears the cookie); the caller navigates away. */
export async function endSession(): Promise<void> {
  await signOut({ redirect: false }).catch(() => {});
}

/** Leaves for an OpenID Connect provider's sign-in page; the browser comes back signed in, or to /login with the reason. */
export async function signInWithProvider(providerId: string): Promise<void> {
  await signIn(providerId, { callbackUrl: '/overview' });
}
