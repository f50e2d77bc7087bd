// Which token serves an account several tokens reach: one that can see it, an active one before one
// about to expire, the one with budget left; each account once, in the order the tokens list them.
import { describe, expect, it } from 'vitest';
import type { TokenDto } from '../custody/dto';
import { accountCandidates, bestAccountRefs } from './access';

type Level = TokenDto['accounts'][number]['accessLevel'];

function token(id: string, status: TokenDto['status'], accounts: [string, Level][]): TokenDto {
  return {
    id,
    label: id,
    kind: 'readonly',
    status,
    accounts: accounts.map(([accountId, accessLevel]) => ({ id: accountId, name: `Account ${accountId}`, type: 'tinkoff', status: 'open', accessLevel })),
  } as TokenDto;
}

describe('bestAccountRefs', () => {
  it('shows an account once, through a token that can see it, even when a token listed first cannot', () => {
    const refs = bestAccountRefs([token('a', 'active', [['1', 'no_access'], ['2', 'read_only']]), token('b', 'active', [['1', 'read_only']])], 'GetPortfolio');
    expect(refs.map((ref) => [ref.accountId, ref.tokenId, ref.accessLevel])).toEqual([
      ['1', 'b', 'read_only'],
      ['2', 'a', 'read_only'],
    ]);
  });

  it('prefers full access to read-only, and an active token to one about to expire', () => {
    expect(bestAccountRefs([token('a', 'active', [['1', 'read_only']]), token('b', 'active', [['1', 'full_access']])], 'GetPortfolio')[0]!.tokenId).toBe('b');
    expect(bestAccountRefs([token('a', 'expiring', [['1', 'read_only']]), token('b', 'active', [['1', 'read_only']])], 'GetPortfolio')[0]!.tokenId).toBe('b');
    // Equal in every way: the tokens' own order decides.
    expect(bestAccountRefs([token('a', 'active', [['1', 'read_only']]), token('b', 'active', [['1', 'read_only']])], 'GetPortfolio')[0]!.tokenId).toBe('a');
  });

  it('keeps an account no token can see, once, marked as such', () => {
    const candidates = accountCandidates([token('a', 'active', [['1', 'no_access']]), token('b', 'active', [['1', 'no_access']])], 'GetPortfolio');
    expect(candidates).toHaveLength(1);
    expect(candidates[0]!.map((ref) => [ref.tokenId, ref.accessLevel])).toEqual([
      ['a', 'no_access'],
      ['b', 'no_access'],
    ]);
  });
});
