// POST /api/account/second-factor/recovery-codes – replace your recovery codes with ten new ones
import { route } from '@/lib/http/route';
import { regenerateRecoveryCodes } from '@/lib/second-factor';

export const POST = route({ permission: 'account.update', stepUp: true }, () => regenerateRecoveryCodes());
