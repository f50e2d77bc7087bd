// GET /api/openapi.json – the OpenAPI 3.1 document of this API, generated from the route handlers' schemas
import { buildOpenApiDocument } from '@/lib/http/openapi';
import { route } from '@/lib/http/route';
import { ROUTE_TABLE } from './route-table.generated';

let document: unknown;

export const GET = route({ permission: 'public' }, () => (document ??= buildOpenApiDocument(ROUTE_TABLE)));
