// GET /api/operations – one cursor page of an account's operations, filtered
import { route } from '@/lib/http/route';
import { listOperations } from '@/lib/portfolio/list-operations';
import { operationsQuerySchema } from '@/lib/portfolio/schema';

export const GET = route({ permission: 'overview.read', query: operationsQuerySchema }, ({ viewer, query }) => listOperations(viewer, query));
