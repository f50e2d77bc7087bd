import 'server-only';
// Limits on live data per user and per token, so one person's tabs cannot hold the server's
// connections or fill a token's upstream streams for everyone else: a connection over a cap is
// refused with 429, topics past a cap get `topic-error` `limit`. Counted per process, on globalThis
// (the custom server and Next's bundles load their own copies of this module).
import { AppError } from '../errors';
import { isMarketTopic, parseTopic } from '../hub/topics';

export interface LiveLimits {
  /** Open EventSources one user may hold (a browser allows about 6 per host over HTTP/1.1 anyway). */
  connectionsPerUser: number;
  /** Open EventSources whose market data one token feeds. */
  connectionsPerToken: number;
  /** Distinct topics one user may watch across all their connections: about one upstream stream's worth. */
  topicsPerUser: number;
  /** Distinct topics one token may carry for everyone: a few upstream streams, well inside any tariff. */
  topicsPerToken: number;
}

export const LIVE_LIMITS: Readonly<LiveLimits> = Object.freeze({ connectionsPerUser: 8, connectionsPerToken: 200, topicsPerUser: 300, topicsPerToken: 1200 });

/** Seconds a refused connection is told to wait before trying again. */
const RETRY_AFTER_SECONDS = 10;

/** One open connection's share of the limits; released when the connection closes. */
export interface LiveLease {
  /** The topics that fit the user's and the tokens' topic caps, in the order given; the rest are over the limit. */
  admit(topics: readonly string[]): string[];
  /** Gives back the connection and its topics; idempotent. */
  release(): void;
}

export interface LiveLimiter {
  /** Takes a connection for `viewerId` whose market topics `marketTokenId` feeds; throws AppError('rate_limited') over a cap. */
  connect(viewerId: string, marketTokenId: string | null): LiveLease;
  /** Connections and distinct topics held now (tests, the streams page). */
  usage(): { users: Record<string, { connections: number; topics: number }>; tokens: Record<string, { connections: number; topics: number }> };
}

interface Holder {
  connections: number;
  /** Topic → connections holding it. */
  topics: Map<string, number>;
}

function take(holders: Map<string, Holder>, key: string): Holder {
  let holder = holders.get(key);
  if (!holder) holders.set(key, (holder = { connections: 0, topics: new Map() }));
  return holder;
}

function forget(holders: Map<string, Holder>, key: string, holder: Holder) {
  if (holder.connections === 0 && holder.topics.size === 0) holders.delete(key);
}

function untake(holder: Holder, topic: string) {
  const n = (holder.topics.get(topic) ?? 1) - 1;
  if (n <= 0) holder.topics.delete(topic);
  else holder.topics.set(topic, n);
}

function refuse(message: string): AppError {
  return new AppError('rate_limited', message, { retryAfterSeconds: RETRY_AFTER_SECONDS, messageKey: 'errors.liveLimit' });
}

/** A limiter with its own counts (tests); the process uses liveLimiter(). */
export function createLiveLimiter(limits: LiveLimits = LIVE_LIMITS): LiveLimiter {
  const users = new Map<string, Holder>();
  const tokens = new Map<string, Holder>();

  return {
    connect(viewerId, marketTokenId) {
      const user = users.get(viewerId);
      if ((user?.connections ?? 0) >= limits.connectionsPerUser) {
        throw refuse(`You already have ${limits.connectionsPerUser} live connections open, the most one person may hold. Close some pages or tabs with live data and try again.`);
      }
      if (marketTokenId !== null && (tokens.get(marketTokenId)?.connections ?? 0) >= limits.connectionsPerToken) {
        throw refuse(`The token that feeds your live data already serves ${limits.connectionsPerToken} live connections, the most it may. Try again later.`);
      }
      const mine = take(users, viewerId);
      mine.connections++;
      const feeding = marketTokenId === null ? null : take(tokens, marketTokenId);
      if (feeding) feeding.connections++;
      const held: { topic: string; token: string | null }[] = [];
      let released = false;

      return {
        admit(topics) {
          const accepted: string[] = [];
          for (const topic of topics) {
            if (released) break;
            const parsed = parseTopic(topic);
            const tokenId = !parsed ? null : isMarketTopic(parsed) ? marketTokenId : parsed.tokenId;
            const token = tokenId === null ? null : take(tokens, tokenId);
            const fitsUser = mine.topics.has(topic) || mine.topics.size < limits.topicsPerUser;
            const fitsToken = !token || token.topics.has(topic) || token.topics.size < limits.topicsPerToken;
            if (!fitsUser || !fitsToken) {
              if (token) forget(tokens, tokenId!, token);
              continue;
            }
            mine.topics.set(topic, (mine.topics.get(topic) ?? 0) + 1);
            token?.topics.set(topic, (token.topics.get(topic) ?? 0) + 1);
            held.push({ topic, token: tokenId });
            accepted.push(topic);
          }
          return accepted;
        },
        release() {
          if (released) return;
          released = true;
          mine.connections--;
          if (feeding) feeding.connections--;
          for (const { topic, token } of held) {
            untake(mine, topic);
            const holder = token === null ? undefined : tokens.get(token);
            if (holder) {
              untake(holder, topic);
              forget(tokens, token!, holder);
            }
          }
          forget(users, viewerId, mine);
          if (feeding) forget(tokens, marketTokenId!, feeding);
        },
      };
    },
    usage() {
      const view = (holders: Map<string, Holder>) => Object.fromEntries([...holders].map(([key, h]) => [key, { connections: h.connections, topics: h.topics.size }]));
      return { users: view(users), tokens: view(tokens) };
    },
  };
}

const globalForLimits = globalThis as unknown as { strongroomLiveLimiter?: LiveLimiter };

/** The process's limiter, shared by both stream entry points. */
export function liveLimiter(): LiveLimiter {
  return (globalForLimits.strongroomLiveLimiter ??= createLiveLimiter());
}
