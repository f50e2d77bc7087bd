// T-Invest's error vocabulary: numeric code in the status details, lowercase text in the `message` trailer.
import { status } from '@grpc/grpc-js';

/** Codes from tinvest.md §4.2 (status, wire text). */
const CODES = {
  '30005': [status.INVALID_ARGUMENT, 'id_type is invalid'],
  '30006': [status.INVALID_ARGUMENT, 'missing parameter: id_type'],
  '30007': [status.INVALID_ARGUMENT, 'missing parameter: id'],
  '30008': [status.INVALID_ARGUMENT, 'missing parameter: figi'],
  '30010': [status.INVALID_ARGUMENT, 'to is invalid'],
  '30011': [status.INVALID_ARGUMENT, 'interval is invalid'],
  '30012': [status.INVALID_ARGUMENT, "to can't be less than from"],
  '30013': [status.INVALID_ARGUMENT, 'class_code required for id_type = ticker'],
  '30014': [status.INVALID_ARGUMENT, 'the maximum request period for the given candle interval has been exceeded'],
  '30021': [status.INVALID_ARGUMENT, 'missing parameter: account_id'],
  '30022': [status.INVALID_ARGUMENT, 'invalid parameter: account_id'],
  '30031': [status.INVALID_ARGUMENT, 'missing parameter: depth'],
  '30032': [status.INVALID_ARGUMENT, 'invalid parameter: depth'],
  '30042': [status.INVALID_ARGUMENT, 'not enough assets for a margin trade'],
  '30052': [status.INVALID_ARGUMENT, 'instrument forbidden for trading by API'],
  '30069': [status.INVALID_ARGUMENT, 'invalid parameter: limit'],
  '30084': [status.INVALID_ARGUMENT, 'maximum request period has been exceeded'],
  '30087': [status.INVALID_ARGUMENT, 'missing parameter: query'],
  '30093': [status.INVALID_ARGUMENT, 'missing parameter: figi or instrument_id'],
  '30228': [status.INVALID_ARGUMENT, 'from or limit have to be specified'],
  '35001': [status.INVALID_ARGUMENT, 'sandbox accounts limit reached'],
  '40002': [status.PERMISSION_DENIED, 'insufficient privileges'],
  '40003': [status.UNAUTHENTICATED, 'authentication token is missing or invalid'],
  '40004': [status.PERMISSION_DENIED, 'working with orders is not available with this account'],
  '50002': [status.NOT_FOUND, 'instrument not found'],
  '50004': [status.NOT_FOUND, 'account not found'],
  '50005': [status.NOT_FOUND, 'order not found'],
  '70001': [status.INTERNAL, 'internal error'],
  '80001': [status.RESOURCE_EXHAUSTED, 'limit of open streams exceeded'],
  '80002': [status.RESOURCE_EXHAUSTED, 'request limit exceeded'],
} as const satisfies Record<string, readonly [status, string]>;

export type TinvestCode = keyof typeof CODES;

/** A T-Invest error as the wire carries it; `code` goes to the status details. */
export class TinvestError extends Error {
  override name = 'TinvestError';
  constructor(
    readonly grpcStatus: status,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The documented error for a code, optionally with a more specific text. */
export function tinvestError(code: TinvestCode, message?: string): TinvestError {
  const [grpcStatus, text] = CODES[code];
  return new TinvestError(grpcStatus, code, message ?? text);
}

/** A validation error without a documented code: INVALID_ARGUMENT with an explicit text (simplified). */
export function invalidArgument(code: string, message: string): TinvestError {
  return new TinvestError(status.INVALID_ARGUMENT, code, message);
}
