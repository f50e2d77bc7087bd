// Where a TOTP factor's sealed secret lives in the vault. Pure.

/** The sealed record's kind: a record moved to another kind fails to open. */
export const TOTP_SECRET_KIND = 'totp-secret';

/** The VaultSecret id of a TOTP factor's secret. */
export function totpSecretId(factorId: string): string {
  return `strongroom.totp.${factorId}`;
}
