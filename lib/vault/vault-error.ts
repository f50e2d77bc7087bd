import 'server-only';
// The vault's one error type. Messages name versions, ids, files and check values, never key
// material or plaintext; they are meant for operator logs and start-up output.
import { AppError } from '../errors';

export type VaultErrorReason =
  /** A sealed record or key source is not in the expected format. */
  | 'malformed'
  /** Authentication failed: the record was altered or moved to another row or kind. */
  | 'tampered'
  /** A key version needed to open or rewrap a record is not in the key ring. */
  | 'missing_key'
  /** The configured key does not match the key check value stored with the data. */
  | 'key_mismatch'
  /** The key file or STRONGROOM_MASTER_KEY cannot be used as it is. */
  | 'key_source'
  /** A rotation could not make progress. */
  | 'rotation';

export class VaultError extends AppError {
  constructor(
    readonly reason: VaultErrorReason,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('internal', message, options);
    this.name = 'VaultError';
  }
}

export function isVaultError(error: unknown, reason?: VaultErrorReason): error is VaultError {
  return error instanceof VaultError && (reason === undefined || error.reason === reason);
}
