// POST /api/account/second-factor/passkey/options – options for creating a passkey in the browser
import { route } from '@/lib/http/route';
import { startPasskeyEnrolment } from '@/lib/second-factor';

export const POST = route({ permission: 'account.update', stepUp: true }, () => startPasskeyEnrolment());
