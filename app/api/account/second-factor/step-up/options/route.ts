// POST /api/account/second-factor/step-up/options – passkey options for a step-up
import { route } from '@/lib/http/route';
import { stepUpPasskeyOptions } from '@/lib/second-factor';

export const POST = route({ permission: 'account.update' }, () => stepUpPasskeyOptions());
