// /tokens – the T-Bank API tokens the viewer may see; owners and admins deposit new ones here
import { getTranslations } from 'next-intl/server';
import { DepositFormClient } from '@/app/_components/tokens/deposit-form-client';
import { TokenFilters } from '@/app/_components/tokens/token-filters';
import { TokenList } from '@/app/_components/tokens/token-list';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { toTokenListEntry } from '@/lib/custody/dto';
import { getTokensPage } from '@/lib/custody/get-tokens-page';

export async function generateMetadata() {
  return { title: (await getTranslations('tokens'))('title') };
}

type SearchParams = Record<string, string | string[] | undefined>;

export default async function TokensPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await pageViewer();
  const params = await searchParams;
  const page = await getTokensPage(viewer, params);
  const t = await getTranslations('tokens');
  const list = await getTranslations('tokenList');
  const first = (key: string) => (Array.isArray(params[key]) ? params[key][0] : params[key]);

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {page.canDeposit && <DepositFormClient vault={page.vault} egress={page.egress} />}
      {!page.anyVisible ? (
        <div className="mt-6">
          <EmptyState
            title={t('empty.title')}
            description={t('empty.description')}
            details={[t('empty.name'), t('empty.accounts'), t('empty.access'), t('empty.depositedBy'), t('empty.lastUsed'), t('empty.sharedWith')]}
          />
        </div>
      ) : (
        <>
          <TokenFilters values={{ status: first('status'), kind: first('kind'), provider: first('provider'), q: first('q'), sort: first('sort'), dir: first('dir') }} />
          {page.tokens.length === 0 ? (
            <div className="mt-6">
              <EmptyState title={list('noMatch.title')} description={list('noMatch.description')} />
            </div>
          ) : (
            <TokenList tokens={page.tokens.map(toTokenListEntry)} />
          )}
        </>
      )}
    </>
  );
}
