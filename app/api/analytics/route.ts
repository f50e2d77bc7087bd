// GET /api/analytics – value over time, returns, P&L, income and costs for the chosen accounts and range
import { analyticsQuerySchema, getAnalytics } from '@/lib/history';
import { route } from '@/lib/http/route';

export const GET = route({ permission: 'overview.read', query: analyticsQuerySchema }, ({ viewer, query }) => getAnalytics(viewer, query));
