// POST /api/account/second-factor/step-up – prove your second factor again (valid five minutes)
import { clientAddress } from '@/lib/auth/client-address';
import { route } from '@/lib/http/route';
import { stepUp } from '@/lib/second-factor';
import { factorProofSchema } from '@/lib/second-factor/schema';

export const POST = route({ permission: 'account.update', body: factorProofSchema }, ({ request, body }) => stepUp(body, { ip: clientAddress(request.headers) }));
