import 'server-only';
// next-auth configuration: the only importer of next-auth. JWT sessions carry the user id, the
// session version and the session record's id; lib/auth/find-viewer.ts re-checks all three against
// the database on every request, and signing out closes the record (lib/auth/sessions.ts).
// Single sign-on providers (OpenID Connect, from STRONGROOM_OIDC_PROVIDERS) end in the same kind
// of session: lib/auth/sso-sign-in.ts links the verified email and opens the record.
import NextAuth, { type NextAuthOptions } from 'next-auth';
import { headers } from 'next/headers';
import { decode } from 'next-auth/jwt';
import CredentialsProvider from 'next-auth/providers/credentials';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import { env } from '../env';
import { isAppError } from '../errors';
import { resolveLocale } from '../i18n/resolve-locale';
import { errorMessage, translateError } from '../i18n/translate-error';
import { logger } from '../log';
import { findViewer, type SessionClaims, type Viewer } from './find-viewer';
import { clientAddress } from './client-address';
import { authSecret } from './secret';
import { closeSession, SESSION_MAX_AGE_SECONDS } from './sessions';
import type { OidcProviderConfig } from './oidc-providers';
import { completeSignIn } from '../second-factor';
import { SECOND_FACTOR_PENDING } from '../second-factor/pending-marker';
import { passwordSignIn, type SecondFactorPending, type SignedIn } from './sign-in';
import { isSsoRefusal } from './sso-refusals';
import { ssoSignIn, type OidcClaims } from './sso-sign-in';
import { setNewest } from '../bounded-map';

/** The claims in a decoded token or session, or null when any is missing. */
function toClaims(value: Record<string, unknown> | null | undefined): SessionClaims | null {
  if (!value || typeof value.uid !== 'string' || typeof value.sv !== 'number' || typeof value.sid !== 'string') return null;
  return { uid: value.uid, sv: value.sv, sid: value.sid };
}

/** Where a refused single sign-on lands: the sign-in page, which names the reason. */
const ssoRefusedUrl = (reason: string) => `${env().publicUrl}/login?sso=${reason}`;

/** One OpenID Connect provider; the client checks PKCE, state and nonce, and the ID token's signature, issuer and audience. */
function oidcProvider(config: OidcProviderConfig): OAuthConfig<OidcClaims> {
  return {
    id: config.id,
    name: config.label,
    type: 'oauth',
    wellKnown: `${config.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
    issuer: config.issuer,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authorization: { params: { scope: 'openid email' } },
    idToken: true,
    checks: ['pkce', 'state', 'nonce'],
    // Who this is gets decided in the signIn callback, from the whole claim set; `sub` is only next-auth's placeholder id.
    profile: (claims) => ({ id: String(claims.sub) }),
  };
}

/** Links a provider's sign-in to its account; the session's claims ride on `user` to the jwt callback. */
async function linkSsoSignIn(user: Record<string, unknown>, providerId: string, claims: OidcClaims): Promise<true | string> {
  try {
    const signedIn: SignedIn = await ssoSignIn(providerId, claims, { ip: clientAddress(await headers()) });
    // Without an adapter next-auth hands this same object to the jwt callback.
    Object.assign(user, { id: signedIn.id, sessionVersion: signedIn.sessionVersion, sessionId: signedIn.sessionId });
    return true;
  } catch (error) {
    const reason = isAppError(error) ? error.values?.reason : undefined;
    if (isSsoRefusal(reason)) return ssoRefusedUrl(reason);
    logger().error({ err: error }, 'single sign-on failed unexpectedly');
    return ssoRefusedUrl('failed');
  }
}

function authOptions(): NextAuthOptions {
  return {
    secret: authSecret(),
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/login', error: '/login' },
    useSecureCookies: env().publicUrl.startsWith('https://'),
    providers: [
      CredentialsProvider({
        name: 'Email and password',
        // The second step of a sign-in with a second factor posts `ticket` and `proof` instead.
        credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' }, ticket: { type: 'hidden' }, proof: { type: 'hidden' } },
        async authorize(credentials, request) {
          let result: SignedIn | SecondFactorPending;
          try {
            const context = { ip: clientAddress(request?.headers) };
            result = credentials?.ticket ? await completeSignIn(credentials, context) : await passwordSignIn(credentials, context);
          } catch (error) {
            // The login form shows this message as it is, so it is in the reader's language.
            if (isAppError(error)) throw new Error(errorMessage(error, await resolveLocale()));
            logger().error({ err: error }, 'sign-in failed unexpectedly');
            throw new Error(translateError('errors.signInUnavailable', undefined, await resolveLocale()));
          }
          // The login form reads this from the error and asks for the factor (app/_components/auth/session-actions.ts).
          if ('secondFactor' in result) throw new Error(`${SECOND_FACTOR_PENDING}${JSON.stringify(result.secondFactor)}`);
          return { id: result.id, sessionVersion: result.sessionVersion, sessionId: result.sessionId };
        },
      }),
      ...env().STRONGROOM_OIDC_PROVIDERS.map(oidcProvider),
    ],
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.type !== 'oauth') return true;
        return linkSsoSignIn(user as unknown as Record<string, unknown>, account.provider, (profile ?? {}) as OidcClaims);
      },
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.sv = (user as { sessionVersion?: number }).sessionVersion;
          token.sid = (user as { sessionId?: string }).sessionId;
        }
        return token;
      },
      session({ session, token }) {
        return { expires: session.expires, uid: token.uid, sv: token.sv, sid: token.sid } as typeof session;
      },
    },
    events: {
      // next-auth clears the cookie; closing the record makes a copy of it worthless too.
      async signOut({ token }) {
        const claims = toClaims(token);
        if (!claims) return;
        try {
          await closeSession(claims);
        } catch (error) {
          logger().error({ err: error }, 'closing the session on sign-out failed');
        }
      },
    },
    logger: {
      error: (code, metadata) => logger().warn({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, 'next-auth'),
      warn: (code) => logger().warn({ code }, 'next-auth'),
      debug: () => {},
    },
  };
}

/** The raw session claims (user id, session version, session id), or null. */
export async function sessionClaims(): Promise<SessionClaims | null> {
  // The cookie's JWT decoded once, as the node:http fast path does. next-auth's getServerSession would run its
  // whole session handler and encrypt a refreshed cookie that a page render cannot set: twice the crypto, per request.
  return claimsFromCookieHeader((await headers()).get('cookie') ?? undefined);
}

/** next-auth's cookie names; large tokens are split into `.0`, `.1`, … chunks. */
function sessionCookieName(): string {
  return env().publicUrl.startsWith('https://') ? '__Secure-next-auth.session-token' : 'next-auth.session-token';
}

/** A cookie value with its %-escapes undone; a malformed escape (`%E0%A4%A`) is kept as sent, never thrown. */
function decodeCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function readSessionCookie(header: string): string | null {
  const name = sessionCookieName();
  const jar = new Map<string, string>();
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    jar.set(part.slice(0, at).trim(), decodeCookieValue(part.slice(at + 1).trim()));
  }
  if (jar.has(name)) return jar.get(name)!;
  const chunks: string[] = [];
  for (let i = 0; jar.has(`${name}.${i}`); i++) chunks.push(jar.get(`${name}.${i}`)!);
  return chunks.length ? chunks.join('') : null;
}

/**
 * Session cookies already decrypted, by value: decoding derives a key (HKDF) and decrypts on every request,
 * the same answer each time for the same cookie. Only cookies that decoded are kept, each until its own expiry,
 * so a flood of forged ones cannot fill it; the session record behind the claims is still checked per request.
 */
const decodedCookies = new Map<string, { claims: SessionClaims | null; expiresAtMs: number }>();
const MAX_DECODED_COOKIES = 1_000;

/** The verified session claims in a raw Cookie header (user id, session version, session id), or null. */
export async function claimsFromCookieHeader(header: string | undefined): Promise<SessionClaims | null> {
  const token = header ? readSessionCookie(header) : null;
  if (!token) return null;
  const known = decodedCookies.get(token);
  if (known && known.expiresAtMs > Date.now()) return known.claims;
  decodedCookies.delete(token);
  let payload: Awaited<ReturnType<typeof decode>>;
  try {
    payload = await decode({ token, secret: authSecret() });
  } catch {
    return null;
  }
  // decode() checks the signature; expiry is the JWT's own `exp`, which jose verifies there too.
  const claims = toClaims(payload);
  if (typeof payload?.exp === 'number') setNewest(decodedCookies, token, { claims, expiresAtMs: payload.exp * 1000 }, MAX_DECODED_COOKIES);
  return claims;
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
