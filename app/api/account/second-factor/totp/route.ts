// POST /api/account/second-factor/totp – start adding an authenticator app (QR code to scan)
import { route } from '@/lib/http/route';
import { startTotpEnrolment } from '@/lib/second-factor';

export const POST = route({ permission: 'account.update', stepUp: true }, () => startTotpEnrolment());
