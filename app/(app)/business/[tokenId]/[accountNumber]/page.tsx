// /business/[tokenId]/[accountNumber] – one business account's statement, filtered and paged by T-API's cursor, with a CSV export
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { StatementView } from '@/app/_components/business/statement-view';
import { FailureAlert } from '@/app/_components/portfolio/failure-alert';
import { focusRing } from '@/app/_components/ui/button';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { loadStatementPage } from '@/lib/business/pages';

export async function generateMetadata() {
  return { title: (await getTranslations('business.statement'))('title') };
}

export default async function StatementPage({ params, searchParams }: { params: Promise<{ tokenId: string; accountNumber: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await pageViewer();
  const t = await getTranslations('business.statement');
  const { data, failure } = await loadStatementPage(viewer, await params, await searchParams);
  return (
    <>
      <Link href="/business" className={`text-sm text-sky-800 underline ${focusRing}`}>
        {t('back')}
      </Link>
      {failure && (
        <div className="mt-4">
          <FailureAlert failure={failure} />
        </div>
      )}
      {data && (
        <>
          <div className="mt-3">
            <PageHeader title={data.account.name ?? data.account.accountNumber} description={t('description', { label: data.tokenLabel })} />
            <p className="-mt-4 mb-6 break-all font-mono text-xs text-slate-600">{data.account.accountNumber}</p>
          </div>
          <StatementView view={data} />
        </>
      )}
    </>
  );
}
