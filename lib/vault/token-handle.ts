import 'server-only';
// An opaque reference to a usable token. The plaintext lives in a module-private WeakMap, never
// on the object, so logging, JSON-encoding or inspecting a handle cannot reveal it. Only the
// API clients (lib/tinvest, lib/tapi) may call revealToken; ESLint enforces that boundary.
import { inspect } from 'node:util';
import { registerSecret } from '../redact-secrets';

const secrets = new WeakMap<TokenHandle, string>();

export class TokenHandle {
  /** A stable, non-secret identifier for per-token bookkeeping (rate limits, metrics). */
  readonly id: string;
  /** What people may see, e.g. `t.Ab…9xYz`. */
  readonly masked: string;

  private constructor(id: string, masked: string) {
    this.id = id;
    this.masked = masked;
  }

  /** @internal Use the vault's openToken (or createTokenHandle in tests). */
  static create(id: string, value: string): TokenHandle {
    // Every value that may be sent upstream is known to the scrubber, in case the upstream echoes it.
    registerSecret(value);
    const handle = new TokenHandle(id, maskToken(value));
    secrets.set(handle, value);
    Object.freeze(handle);
    return handle;
  }

  toString(): string {
    return `TokenHandle(${this.masked})`;
  }

  toJSON(): { id: string; masked: string } {
    return { id: this.id, masked: this.masked };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** `t.Ab…9xYz`: enough to recognise a token, far too little to use it. */
export function maskToken(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length <= 10) return '…';
  return `${trimmed.slice(0, 4)}…${trimmed.slice(-4)}`;
}

/** Wraps a plaintext token. Callers: the vault's openToken, token verification at deposit, tests. */
export function createTokenHandle(id: string, value: string): TokenHandle {
  return TokenHandle.create(id, value);
}

/** The plaintext, for building an Authorization header. Only lib/tinvest and lib/tapi call this. */
export function revealToken(handle: TokenHandle): string {
  const value = secrets.get(handle);
  if (value === undefined) throw new Error('Not a token handle issued by the vault.');
  return value;
}
