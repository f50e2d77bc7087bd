import 'server-only';
// The tokens page's data: the filtered inventory, plus (for depositors) where the vault key lives.
import { can } from '../auth/permissions';
import { env } from '../env';
import type { TokenDto, VaultInfoDto } from './dto';
import { listTokens } from './list-tokens';
import type { Actor } from './mutate-token';
import { listTokensQuerySchema, type ListTokensQuery } from './schema';
import { vaultInfo } from './vault-info';

export interface TokensPageDto {
  tokens: TokenDto[];
  /** Whether any token is visible at all, so "no match" and "nothing deposited" read differently. */
  anyVisible: boolean;
  canDeposit: boolean;
  vault: VaultInfoDto | null;
  /** STRONGROOM_EGRESS_IPS, for the H2H deposit form (depositors only). */
  egress: string[];
}

/** Tokens matching the URL's filters as the viewer sees them; a hand-edited bad filter is ignored. */
export async function getTokensPage(viewer: Actor, searchParams: Record<string, string | string[] | undefined>): Promise<TokensPageDto> {
  const raw = Object.fromEntries(Object.entries(searchParams).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]).filter(([, value]) => value));
  const parsed = listTokensQuerySchema.safeParse(raw);
  const query: ListTokensQuery = parsed.success ? parsed.data : {};
  const canDeposit = can(viewer.role, 'tokens.create');
  const filtered = Boolean(query.status || query.kind || query.provider || query.q);
  const [tokens, all, vault] = await Promise.all([
    listTokens(viewer, query),
    filtered ? listTokens(viewer, {}) : null,
    canDeposit ? vaultInfo(viewer) : null,
  ]);
  return { tokens, anyVisible: (all ?? tokens).length > 0, canDeposit, vault, egress: canDeposit ? [...env().STRONGROOM_EGRESS_IPS] : [] };
}
