// DELETE /api/account/sessions – sign out everywhere: end every session of yours, this one included
import { signOutEverywhere } from '@/lib/auth/sign-out-everywhere';
import { route } from '@/lib/http/route';

export const DELETE = route({ permission: 'account.update' }, () => signOutEverywhere());
