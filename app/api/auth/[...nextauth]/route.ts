// GET, POST /api/auth/* – next-auth's sign-in, sign-out, session and CSRF endpoints
import { nextAuthHandler } from '@/lib/auth/next-auth';

export const dynamic = 'force-dynamic';

export { nextAuthHandler as GET, nextAuthHandler as POST };
