// POST /api/shares/[id]/rotate – a new link for a link share; the old link stops opening at once
import { route } from '@/lib/http/route';
import { rotateShareLink } from '@/lib/sharing/rotate-share-link';
import { shareIdParamsSchema } from '@/lib/sharing/schema';

export const POST = route({ permission: 'overview.read', params: shareIdParamsSchema }, async ({ params }) => rotateShareLink(params.id));
