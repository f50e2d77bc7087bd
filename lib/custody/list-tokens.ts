import 'server-only';
// The tokens page: every token the viewer may see, filtered and sorted.
import { can } from '../auth/permissions';
import { db } from '../db';
import { AppError } from '../errors';
import type { TokenDto } from './dto';
import { toTokenDtos, visibleTo } from './find-token';
import type { Actor } from './mutate-token';
import { listTokensQuerySchema, type ListTokensQuery } from './schema';
import { TOKEN_QUERY } from './to-token-dto';
import { sharedRead } from '../shared-reads';

const STATUS_ORDER = ['invalid', 'expired', 'expiring', 'active', 'paused', 'retired'];

function compare(a: TokenDto, b: TokenDto, field: string): number {
  const value = (token: TokenDto): string | number => {
    if (field === 'status') return STATUS_ORDER.indexOf(token.status);
    if (field === 'label') return token.label.toLocaleLowerCase();
    const raw = token[field as 'createdAt' | 'lastUsedAt' | 'diesOn' | 'kind'];
    return raw ?? '';
  };
  const [x, y] = [value(a), value(b)];
  return x < y ? -1 : x > y ? 1 : a.label.localeCompare(b.label);
}

/** Tokens visible to the viewer; `status` filters by the derived status (expiring, expired…). */
export async function listTokens(viewer: Actor, query: ListTokensQuery = {}, now = new Date()): Promise<TokenDto[]> {
  if (!can(viewer.role, 'tokens.read')) throw new AppError('forbidden', 'You may not see tokens.', { messageKey: 'errors.tokens.readForbidden' });
  const { status, kind, provider, q, sort, dir } = listTokensQuerySchema.parse(query);
  // One read of every visible token: the shell's expiry banner, the page and its sections each filter
  // it here, and it is shared across requests until a token, grant or user changes (lib/shared-reads).
  // Statuses (expiring, expired) are derived at the first asker's time, so the minute is the answer's variant.
  const visible = await sharedRead(
    `tokens:${viewer.id}:${viewer.role}`,
    async () => toTokenDtos(await db().token.findMany({ ...TOKEN_QUERY, where: visibleTo(viewer) }), viewer, db(), now),
    String(Math.floor(now.getTime() / 60_000)),
  );
  const needle = q?.toLocaleLowerCase();
  const tokens = visible.filter(
    (token) =>
      (!kind || token.kind === kind) &&
      (!provider || token.provider === provider) &&
      (!status || token.status === status) &&
      (!needle || token.label.toLocaleLowerCase().includes(needle) || token.purpose.toLocaleLowerCase().includes(needle) || token.masked.includes(q!)),
  );
  const sign = dir === 'asc' ? 1 : -1;
  return tokens.sort((a, b) => sign * compare(a, b, sort));
}
