// PUT /api/account/locale – choose the UI language (cookie; saved on the account when signed in)
import { localeSchema } from '@/lib/account/schema';
import { setLocale } from '@/lib/account/set-locale';
import { route } from '@/lib/http/route';

export const PUT = route({ permission: 'public', body: localeSchema }, ({ body }) => setLocale(body.locale));
