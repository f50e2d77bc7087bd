import 'server-only';
// next-auth configuration: the only importer of next-auth. JWT sessions carry the user id and
// session version; lib/auth/session.ts re-checks both against the database on every request.
import NextAuth, { getServerSession, type NextAuthOptions } from 'next-auth';
import { decode } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import { env } from '../env';
import { isAppError } from '../errors';
import { resolveLocale } from '../i18n/resolve-locale';
import { errorMessage, translateError } from '../i18n/translate-error';
import { logger } from '../log';
import { findViewer, type Viewer } from './find-viewer';
import { clientAddress } from './client-address';
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
        async authorize(credentials, request) {
          try {
            const user = await signIn(credentials, { ip: clientAddress(request?.headers) });
            return { id: user.id, sessionVersion: user.sessionVersion };
          } catch (error) {
            // The login form shows this message as it is, so it is in the reader's language.
            if (isAppError(error)) throw new Error(errorMessage(error, await resolveLocale()));
            logger().error({ err: error }, 'sign-in failed unexpectedly');
            throw new Error(translateError('errors.signInUnavailable', undefined, await resolveLocale()));
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

/** next-auth's cookie names; large tokens are split into `.0`, `.1`, … chunks. */
function sessionCookieName(): string {
  return env().publicUrl.startsWith('https://') ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
}

function readSessionCookie(header: string): string | null {
  const name = sessionCookieName();
  const jar = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    jar.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
  }
  if (jar.has(name)) return jar.get(name)!;
  const chunks: string[] = [];
  for (let i = 0; jar.has(`${name}.${i}`); i++) chunks.push(jar.get(`${name}.${i}`)!);
  return chunks.length ? chunks.join('') : null;
}

/** The verified session claims in a raw Cookie header (user id, session version), or null. */
export async function claimsFromCookieHeader(header: string | undefined): Promise<{ uid: string; sv: number } | null> {
  const token = header ? readSessionCookie(header) : null;
  if (!token) return null;
  let claims: Awaited<ReturnType<typeof decode>>;
  try {
    claims = await decode({ token, secret: authSecret() });
  } catch {
    return null;
  }
  if (!claims || typeof claims.uid !== 'string' || typeof claims.sv !== 'number') return null;
  // decode() checks the signature; expiry is the JWT's own `exp`, which jose verifies there too.
  return { uid: claims.uid, sv: claims.sv };
}

/** The viewer behind a raw Cookie header, with the same checks as getViewer (for the node:http fast path). */
export async function viewerFromCookieHeader(header: string | undefined): Promise<Viewer | null> {
  const claims = await claimsFromCookieHeader(header);
  return claims ? findViewer(claims) : null;
}

let handler: ReturnType<typeof NextAuth> | undefined;

/** The route handler behind /api/auth/*. */
export function nextAuthHandler(...args: unknown[]) {
  handler ??= NextAuth(authOptions());
  return (handler as (...a: unknown[]) => unknown)(...args);
}
