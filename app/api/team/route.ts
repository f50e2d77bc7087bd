// GET /api/team – members, and pending invites for those who may invite
import { route } from '@/lib/http/route';
import { listTeam } from '@/lib/team/list-team';

export const dynamic = 'force-dynamic';

export const GET = route({ permission: 'team.read' }, () => listTeam());
