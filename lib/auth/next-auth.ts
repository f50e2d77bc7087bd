import 'server-only';
// next-auth configuration: the only importer of next-auth. JWT sessions carry the user id and
// session version; lib/auth/session.ts re-checks both against the database on every request.
import NextAuth, { getServerSession, type NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env } from '../env';
import { isAppError } from '../errors';
import { logger } from '../log';
import { authSecret } from './secret';
import { signIn } from './sign-in';

const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    useSecureCookies: env().publicUrl.startsWith('https://'),
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
        async authorize(credentials) {
          try {
            const user = await signIn(credentials);
            return { id: user.id, sessionVersion: user.sessionVersion };
          } catch (error) {
            if (isAppError(error)) throw new Error(error.message);
            logger().error({ err: error }, 'sign-in failed unexpectedly');
            throw new Error('Sign-in is unavailable right now. Try again in a minute.');
          }
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as { sessionVersion?: number }).sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        return { expires: session.expires, uid: token.uid, sv: token.sv } as typeof session;
      },
    },
    logger: {
      error: (code, metadata) => logger().warn({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, 'next-auth'),
      warn: (code) => logger().warn({ code }, 'next-auth'),
      debug: () => {},
    },
  };
}

/** The raw session claims (user id, session version), or null. */
export async function sessionClaims(): Promise<{ uid: string; sv: number } | null> {
  const session = (await getServerSession(authOptions())) as { uid?: unknown; sv?: unknown } | null;
  if (!session || typeof session.uid !== 'string' || typeof session.sv !== 'number') return null;
  return { uid: session.uid, sv: session.sv };
}

let handler: ReturnType<typeof NextAuth> | undefined;

/** The route handler behind /api/auth/*. */
export function nextAuthHandler(...args: unknown[]) {
  handler ??= NextAuth(authOptions());
  return (handler as (...a: unknown[]) => unknown)(...args);
}
