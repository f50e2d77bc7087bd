// What the account and team pages see of second factors. Pure.
import type { FactorMethod } from './factor-methods';
import type { SecondFactorPolicy } from './policy';

export interface SecondFactorDto {
  id: string;
  kind: 'totp' | 'passkey';
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface MyFactorsDto {
  factors: SecondFactorDto[];
  recoveryCodesLeft: number;
  /** The team policy covers this user: the last factor cannot be removed. */
  required: boolean;
  policy: SecondFactorPolicy;
}

export interface TotpEnrolmentDto {
  factorId: string;
  /** An SVG QR code as a data URL. */
  qrDataUrl: string;
  /** The secret in base32, to type into an app that cannot scan. */
  manualKey: string;
}

/** After adding a first factor (or regenerating): the ten codes, shown this once. */
export interface RecoveryCodesDto {
  recoveryCodes: string[];
}

export interface EnrolledDto {
  factor: SecondFactorDto;
  recoveryCodes: string[] | null;
}

export type { FactorMethod };
