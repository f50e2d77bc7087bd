'use client';
// The browser half of passkeys, through @simplewebauthn/browser.
import { browserSupportsWebAuthn, startAuthentication, startRegistration } from '@simplewebauthn/browser';

export { browserSupportsWebAuthn };

/** Asks the browser (and the person) for a passkey assertion; null when cancelled or unsupported. */
export async function assertPasskey(optionsJSON: unknown): Promise<unknown | null> {
  try {
    return await startAuthentication({ optionsJSON: optionsJSON as Parameters<typeof startAuthentication>[0]['optionsJSON'] });
  } catch {
    return null;
  }
}

/** Asks the browser to create a passkey; null when cancelled or unsupported. */
export async function createPasskey(optionsJSON: unknown): Promise<unknown | null> {
  try {
    return await startRegistration({ optionsJSON: optionsJSON as Parameters<typeof startRegistration>[0]['optionsJSON'] });
  } catch {
    return null;
  }
}
