// The audit chain's hashing: pure, so the writer and the verifier cannot disagree.
import crypto from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: bigint;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  tokenId: string | null;
  targetId: string | null;
  ip: string | null;
  details: unknown;
}

/** JSON with object keys sorted at every depth: one byte string per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256(prevHash, canonical record): changing any field or the order breaks every later hash. */
export function chainHash(prevHash: string, record: ChainedFields): string {
  const body = canonicalJson([
    record.seq.toString(),
    record.at.toISOString(),
    record.actorId,
    record.actorLabel,
    record.action,
    record.tokenId,
    record.targetId,
    record.ip,
    record.details ?? {},
  ]);
  return crypto.createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}
