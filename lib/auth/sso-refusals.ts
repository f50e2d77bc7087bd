// Why a single sign-on was refused: each reason has its own message and audit label. Pure.
import { AppError } from '../errors';
import type { ErrorKey } from '../i18n/messages';

export const SSO_REFUSAL_KEYS = {
  unknown_provider: { key: 'errors.sso.unknownProvider', text: 'This sign-in provider is not configured here.' },
  wrong_issuer: { key: 'errors.sso.wrongIssuer', text: 'The sign-in provider answered for a different issuer. Ask an owner to check the single sign-on settings.' },
  no_email: { key: 'errors.sso.noEmail', text: 'The sign-in provider did not share an email address, so Strongroom cannot tell who you are.' },
  email_unverified: { key: 'errors.sso.emailUnverified', text: 'The sign-in provider has not verified your email address. Verify it there, then try again.' },
  domain_not_allowed: { key: 'errors.sso.domainNotAllowed', text: 'Email addresses in this domain may not sign in through this provider.' },
  no_account: { key: 'errors.sso.noAccount', text: 'There is no Strongroom account or invite for this email. Ask an owner or admin of your team to invite you.' },
  disabled: { key: 'errors.sso.disabled', text: 'Your Strongroom account is disabled. Ask an owner or admin of your team.' },
} as const satisfies Record<string, { key: ErrorKey; text: string }>;

export type SsoRefusal = keyof typeof SSO_REFUSAL_KEYS;

/** Whether a string names a refusal (the sign-in page reads it from its query). */
export function isSsoRefusal(value: unknown): value is SsoRefusal {
  return typeof value === 'string' && Object.hasOwn(SSO_REFUSAL_KEYS, value);
}

/** The refusal as an AppError whose message names what went wrong; `values.reason` carries the reason. */
export function ssoRefusal(reason: SsoRefusal): AppError {
  const { key, text } = SSO_REFUSAL_KEYS[reason];
  return new AppError('forbidden', text, { messageKey: key, values: { reason } });
}
