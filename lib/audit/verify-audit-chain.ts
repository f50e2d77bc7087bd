import 'server-only';
// Walks the chain in order and recomputes every hash; names the first record that does not fit.
import { db } from '../db';
import { chainHash, GENESIS_HASH } from './chain';

export type ChainVerdict =
  | { ok: true; records: number; headHash: string }
  | { ok: false; records: number; firstBroken: { seq: string; reason: string } };

const BATCH = 1000;

export async function verifyAuditChain(): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let checked = 0;
  for (;;) {
    const rows = await db().auditEvent.findMany({ where: { seq: { gte: expectedSeq } }, orderBy: { seq: 'asc' }, take: BATCH });
    for (const row of rows) {
      const broken = (reason: string): ChainVerdict => ({ ok: false, records: checked, firstBroken: { seq: row.seq.toString(), reason } });
      if (row.seq !== expectedSeq) return { ok: false, records: checked, firstBroken: { seq: expectedSeq.toString(), reason: `record ${expectedSeq} is missing` } };
      if (row.prevHash !== prevHash) return broken('its previous-hash link does not match the record before it');
      if (chainHash(prevHash, row) !== row.hash) return broken('its content does not match its hash (altered after writing)');
      prevHash = row.hash;
      expectedSeq += 1n;
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  const head = await db().auditHead.findUnique({ where: { id: 1 } });
  if (head && (BigInt(head.seq) !== expectedSeq - 1n || head.hash !== prevHash)) {
    return { ok: false, records: checked, firstBroken: { seq: (expectedSeq).toString(), reason: 'records after this point were removed (the head points further)' } };
  }
  return { ok: true, records: checked, headHash: prevHash };
}
