// PUT /api/account/password – change your own password (ends your other sessions)
import { changePassword } from '@/lib/account/change-password';
import { changePasswordSchema } from '@/lib/account/schema';
import { route } from '@/lib/http/route';

export const PUT = route({ permission: 'account.update', body: changePasswordSchema }, ({ body }) => changePassword(body));
