// DELETE /api/account/second-factor/:id – remove one of your second factors
import { route } from '@/lib/http/route';
import { removeMyFactor } from '@/lib/second-factor';
import { factorIdParams } from '@/lib/second-factor/schema';

export const DELETE = route({ permission: 'account.update', stepUp: true, params: factorIdParams }, ({ params }) => removeMyFactor(params.id));
