// GET /api/instruments/[uid]/candles – candles for one chart interval (1m, 5m, 15m, 1h, 1d)
import { route } from '@/lib/http/route';
import { getCandles } from '@/lib/portfolio/get-candles';
import { candlesQuerySchema, instrumentParamsSchema } from '@/lib/portfolio/schema';

export const GET = route({ permission: 'overview.read', params: instrumentParamsSchema, query: candlesQuerySchema }, ({ viewer, params, query }) => getCandles(viewer, params.uid, query));
