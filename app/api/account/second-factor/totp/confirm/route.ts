// POST /api/account/second-factor/totp/confirm – finish adding an authenticator app with its first code
import { route } from '@/lib/http/route';
import { confirmTotp } from '@/lib/second-factor';
import { confirmTotpSchema } from '@/lib/second-factor/schema';

export const POST = route({ permission: 'account.update', body: confirmTotpSchema }, async ({ body }) => Response.json(await confirmTotp(body), { status: 201 }));
