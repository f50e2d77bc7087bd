import 'server-only';
// The Audit page's "Verify chain" button: recompute every hash, as an owner or admin.
import { requirePermission } from '../auth/session';
import { verifyAuditChain, type ChainVerdict } from './verify-audit-chain';

/** Walks the whole chain; requires audit.read. */
export async function checkAuditChain(): Promise<ChainVerdict> {
  await requirePermission('audit.read');
  return verifyAuditChain();
}
