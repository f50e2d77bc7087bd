// GET /api/tokens/expiring – visible tokens that are expiring, expired or invalid (the app shell's warning)
import { listExpiringTokens } from '@/lib/custody/list-expiring-tokens';
import { route } from '@/lib/http/route';

export const GET = route({ permission: 'tokens.read' }, ({ viewer }) => listExpiringTokens(viewer));
