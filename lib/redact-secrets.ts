// The one scrubber every log line and error body passes through. Known secrets (token values the
// vault opened, env secrets) are registered as keyed fingerprints of short windows, never kept as
// plaintext, and found again in any common encoding: raw, without the "t." prefix, URL-encoded,
// spaced or line-wrapped, after "Bearer"/"bearer=", and as base64 or base64url at any byte offset.
import crypto from 'node:crypto';
import { env, type Env } from './env';

/** Window length of a fingerprint: any echoed fragment of 2×WINDOW−1 characters or more is found. */
const WINDOW = 8;
/** Shorter values are not registered: they would match ordinary text. */
const MIN_SECRET = 12;
/** Registered secrets kept at most (oldest forgotten first). */
const MAX_SECRETS = 10_000;
export const REDACTED = '[redacted]';

interface Anchor {
  /** Keyed hash of the window. */
  window: string;
  /** Where the window starts in its variant, and the variant's length and keyed hash. */
  offset: number;
  length: number;
  full: string;
  secret: string;
}

const salt = crypto.randomBytes(32);
// The cheap pre-filter is seeded from the salt too, so its 32-bit values say nothing on their own.
const FNV_BASIS = salt.readUInt32LE(0) | 1;
const anchors = new Map<number, Anchor[]>();
const secrets: string[] = [];
const secretAnchors = new Map<string, number[]>();

function keyed(text: string): string {
  return crypto.createHmac('sha256', salt).update(text).digest('base64url');
}

function fnv(text: string, start: number): number {
  let hash = FNV_BASIS;
  for (let i = start; i < start + WINDOW; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** One alphabet for raw text, base64 and base64url: `-` reads as `+`, `_` as `/`. */
function canonical(char: string): string {
  return char === '-' ? '+' : char === '_' ? '/' : char;
}

/** The base64 characters of `bytes` that do not depend on what precedes or follows them, for each of the 3 byte offsets. */
function base64Variants(bytes: Buffer): string[] {
  const variants: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    variants.push(encoded.slice(Math.ceil((pad * 8) / 6), Math.floor(((pad + bytes.length) * 8) / 6)));
  }
  return variants;
}

/** The forms a secret is looked for in, in the canonical alphabet. */
function variantsOf(core: string): string[] {
  const bytes = Buffer.from(core, 'utf8');
  const hex = bytes.toString('hex');
  return [core, ...base64Variants(bytes), hex, hex.toUpperCase()].map((variant) => [...variant].map(canonical).join(''));
}

/** Remembers a secret so that redactSecrets() hides it; a "t." token prefix is not needed to find it. */
export function registerSecret(value: string | undefined | null): void {
  const trimmed = value?.trim();
  if (!trimmed) return;
  const core = trimmed.replace(/^t\./, '');
  if (core.length < MIN_SECRET) return;
  const id = keyed(`secret\0${core}`);
  if (secretAnchors.has(id)) return;
  const keys: number[] = [];
  for (const variant of variantsOf(core)) {
    if (variant.length < WINDOW) continue;
    const full = keyed(variant);
    const offsets = new Set<number>();
    for (let offset = 0; offset + WINDOW <= variant.length; offset += WINDOW) offsets.add(offset);
    offsets.add(variant.length - WINDOW);
    for (const offset of offsets) {
      const key = fnv(variant, offset);
      const list = anchors.get(key) ?? [];
      list.push({ window: keyed(variant.slice(offset, offset + WINDOW)), offset, length: variant.length, full, secret: id });
      anchors.set(key, list);
      keys.push(key);
    }
  }
  secretAnchors.set(id, keys);
  secrets.push(id);
  if (secrets.length > MAX_SECRETS) forget(secrets.shift()!);
}

function forget(id: string): void {
  for (const key of secretAnchors.get(id) ?? []) {
    const list = anchors.get(key)?.filter((anchor) => anchor.secret !== id);
    if (list?.length) anchors.set(key, list);
    else anchors.delete(key);
  }
  secretAnchors.delete(id);
}

/** Forgets every registered secret (tests). */
export function clearSecrets(): void {
  anchors.clear();
  secretAnchors.clear();
  secrets.length = 0;
}

/**
 * The text as secrets are looked for in it: percent-escapes decoded, whitespace (also JSON's \n, \r,
 * \t escapes) dropped, `-`/`_` read as `+`/`/`. `from[i]`/`to[i]` are the original span of view[i].
 */
function viewOf(text: string): { view: string; from: number[]; to: number[] } {
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    if (char === '\\' && /[nrt]/.test(text[i + 1] ?? '')) {
      i += 2;
      continue;
    }
    if (char === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      const code = parseInt(text.slice(i + 1, i + 3), 16);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) {
        i += 3;
        continue;
      }
      // A non-ASCII byte is never part of a registered secret's ASCII forms; NUL breaks any match.
      chars.push(code < 0x80 ? canonical(String.fromCharCode(code)) : '\0');
      from.push(i);
      to.push(i + 3);
      i += 3;
      continue;
    }
    chars.push(canonical(char));
    from.push(i);
    to.push(i + 1);
    i += 1;
  }
  return { view: chars.join(''), from, to };
}

/** Characters a partly echoed secret is not extended over, so a redaction never swallows a quote or bracket. */
const STRUCTURAL = new Set(['"', "'", '`', '<', '>', '\\', '{', '}', '[', ']', '(', ')', ',', ';', '\0']);

function registeredSpans(view: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let j = 0; j + WINDOW <= view.length; j++) {
    const candidates = anchors.get(fnv(view, j));
    if (!candidates) continue;
    const window = keyed(view.slice(j, j + WINDOW));
    for (const anchor of candidates) {
      if (anchor.window !== window) continue;
      let start = j - anchor.offset;
      let end = start + anchor.length;
      const whole = start >= 0 && end <= view.length && keyed(view.slice(start, end)) === anchor.full;
      if (!whole) {
        // A fragment: redact what surrounds the window up to the secret's bounds, within one run of non-structural characters.
        let runStart = j;
        while (runStart > Math.max(0, start) && !STRUCTURAL.has(view[runStart - 1]!)) runStart--;
        let runEnd = j + WINDOW;
        while (runEnd < Math.min(view.length, end) && !STRUCTURAL.has(view[runEnd]!)) runEnd++;
        start = runStart;
        end = runEnd;
      }
      // The "t." of a token is no secret, but leaving it would mark what was cut as a token's rest.
      if (start >= 2 && view[start - 2] === 't' && view[start - 1] === '.') start -= 2;
      spans.push([start, end]);
    }
  }
  return spans;
}

/** Token-shaped text, known or not: `t.` followed by a long token alphabet run, and bearer credentials. */
const GENERIC: [RegExp, string][] = [
  [/\bt\.[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(bearer)(\s+|\s*[=:]\s*|%20|%3[Dd]|\+)(?!\[redacted\])[A-Za-z0-9._~+/=%-]{8,}/gi, `$1$2${REDACTED}`],
];

/** The secrets in the environment: session secret, setup code, master key(s), the database password. */
export function envSecrets(config: Pick<Env, 'STRONGROOM_AUTH_SECRET' | 'STRONGROOM_SETUP_CODE' | 'STRONGROOM_MASTER_KEY' | 'DATABASE_URL'>): string[] {
  const values = [config.STRONGROOM_AUTH_SECRET, config.STRONGROOM_SETUP_CODE];
  // `v2:<base64>,v1:<base64>` or one base64 key: each key on its own, as it may be echoed alone.
  for (const part of config.STRONGROOM_MASTER_KEY?.split(',') ?? []) values.push(part.replace(/^\s*v\d+:/, ''));
  if (config.DATABASE_URL) {
    try {
      values.push(decodeURIComponent(new URL(config.DATABASE_URL).password));
    } catch {
      // An unparsable URL fails env validation elsewhere; nothing to register.
    }
  }
  return values.filter((value): value is string => Boolean(value));
}

let envRegistered = false;

function registerEnvSecrets(): void {
  if (envRegistered) return;
  envRegistered = true;
  try {
    for (const value of envSecrets(env())) registerSecret(value);
  } catch {
    // A bad environment stops start-up with its own message; scrubbing goes on with what is known.
  }
}

/** Hides every registered secret, in any of the forms above, and anything token-shaped. */
export function redactSecrets(text: string): string {
  registerEnvSecrets();
  let out = text;
  if (anchors.size > 0 && out.length >= WINDOW) {
    const { view, from, to } = viewOf(out);
    const spans = registeredSpans(view).sort((a, b) => a[0] - b[0]);
    if (spans.length) {
      const merged: [number, number][] = [];
      for (const [start, end] of spans) {
        const last = merged[merged.length - 1];
        if (last && start <= last[1]) last[1] = Math.max(last[1], end);
        else merged.push([start, end]);
      }
      let result = '';
      let at = 0;
      for (const [start, end] of merged) {
        result += out.slice(at, from[start]) + REDACTED;
        at = to[end - 1]!;
      }
      out = result + out.slice(at);
    }
  }
  for (const [pattern, replacement] of GENERIC) out = out.replace(pattern, replacement);
  return out;
}

/** A deep copy of a JSON-like value with every string passed through redactSecrets. */
export function redactSecretsIn<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactSecretsIn(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactSecretsIn(item)])) as T;
  }
  return value;
}
