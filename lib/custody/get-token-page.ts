import 'server-only';
// One token's detail page: the token, its use counters and (for managers) who could be granted it.
import { listTokenUsage, type TokenUsageDto } from '../audit/list-token-usage';
import { db } from '../db';
import { isAppError } from '../errors';
import type { TokenDto } from './dto';
import { getToken } from './get-token';
import type { Actor } from './mutate-token';
import { tokenParamsSchema } from './schema';
import { isManager } from './to-token-dto';

export interface GrantCandidateDto {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface TokenPageDto {
  token: TokenDto;
  usage: TokenUsageDto[];
  /** Enabled members and viewers a manager may grant the token to; empty for everyone else. */
  candidates: GrantCandidateDto[];
}

/** Everything the detail page shows; null when the id is malformed, unknown or not visible to the viewer. */
export async function getTokenPage(viewer: Actor, id: string): Promise<TokenPageDto | null> {
  if (!tokenParamsSchema.safeParse({ id }).success) return null;
  const token = await getToken(viewer, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') return null;
    throw error;
  });
  if (!token) return null;
  const [usage, people] = await Promise.all([
    listTokenUsage(viewer, id),
    isManager(viewer)
      ? db().user.findMany({ where: { disabledAt: null, role: { in: ['member', 'viewer'] } }, select: { id: true, name: true, email: true, role: true }, orderBy: { name: 'asc' } })
      : [],
  ]);
  return { token, usage, candidates: people.map((person) => ({ id: person.id, name: person.name, email: person.email, role: person.role })) };
}
