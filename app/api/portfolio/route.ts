// GET /api/portfolio – the overview: totals, allocations and accounts the caller may see
import { route } from '@/lib/http/route';
import { getOverview } from '@/lib/portfolio/get-overview';

export const GET = route({ permission: 'overview.read' }, ({ viewer }) => getOverview(viewer));
