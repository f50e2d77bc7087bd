// POST /api/audit/verify – recompute the audit chain: intact (records, head hash) or the first broken record
import { checkAuditChain } from '@/lib/audit/check-audit-chain';
import { route } from '@/lib/http/route';

export const POST = route({ permission: 'audit.read' }, () => checkAuditChain());
