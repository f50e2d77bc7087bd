// /business – the viewer's companies through their H2H tokens: company, accounts and balances
import { getTranslations } from 'next-intl/server';
import { BusinessTokenSection } from '@/app/_components/business/business-token-section';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { Card } from '@/app/_components/ui/card';
import { EmptyState } from '@/app/_components/ui/empty-state';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { loadBusinessPage } from '@/lib/business/pages';

export async function generateMetadata() {
  return { title: (await getTranslations('business'))('title') };
}

export default async function BusinessPage() {
  const viewer = await pageViewer();
  const t = await getTranslations('business');
  const { data, failure } = await loadBusinessPage(viewer);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      {failure && <FailureAlert failure={failure} title={t('loadFailed')} />}
      {data && data.tokens.length === 0 && data.unusable.length === 0 && <EmptyState title={t('empty.title')} description={t('empty.description')} />}
      {data && (
        <div className="space-y-6">
          {data.tokens.map((view) => (
            <BusinessTokenSection key={view.tokenId} view={view} />
          ))}
          {data.unusable.length > 0 && (
            <Card aria-labelledby="unusable-tokens">
              <h2 id="unusable-tokens" className="text-base font-semibold text-slate-900">
                {t('unusable')}
              </h2>
              <ul className="mt-3 space-y-3">
                {data.unusable.map((token) => (
                  <li key={token.tokenId} className="text-sm">
                    <span className="font-medium text-slate-900">{token.label}</span>: <FailureAlert failure={token.failure} compact />
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </div>
      )}
    </>
  );
}
