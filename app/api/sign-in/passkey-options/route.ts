// POST /api/sign-in/passkey-options – passkey options for the second step of a password sign-in
import { route } from '@/lib/http/route';
import { signInPasskeyOptions } from '@/lib/second-factor';
import { signInTicketSchema } from '@/lib/second-factor/schema';

export const POST = route({ permission: 'public', body: signInTicketSchema }, ({ body }) => signInPasskeyOptions(body));
