// DELETE /api/shares/[id] – revoke one of the viewer's shares at once
import { route } from '@/lib/http/route';
import { revokeShare } from '@/lib/sharing/revoke-share';
import { shareIdParamsSchema } from '@/lib/sharing/schema';

export const DELETE = route({ permission: 'overview.read', params: shareIdParamsSchema }, async ({ params }) => {
  await revokeShare(params.id);
});
