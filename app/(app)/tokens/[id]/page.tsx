// /tokens/:id – one token: everything known about it, its use, who may use it, and its actions
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { notFound } from 'next/navigation';
import { GrantsEditorClient } from '@/app/_components/tokens/grants-editor-client';
import { PolicyEditorClient } from '@/app/_components/tokens/policy-editor-client';
import { TokenActionsClient } from '@/app/_components/tokens/token-actions-client';
import { TokenDetails } from '@/app/_components/tokens/token-details';
import { TokenStatusBadge } from '@/app/_components/tokens/token-status-badge';
import { PageHeader } from '@/app/_components/ui/page-header';
import { pageViewer } from '@/lib/auth/page-viewer';
import { getTokenPage } from '@/lib/custody/get-token-page';
import { tokenParamsSchema } from '@/lib/custody/schema';

export async function generateMetadata() {
  return { title: (await getTranslations('tokens'))('title') };
}

export default async function TokenPage({ params }: { params: Promise<{ id: string }> }) {
  // An id that cannot be a token's (not a UUID, NUL, broken Unicode) is simply not found.
  const parsed = tokenParamsSchema.safeParse(await params);
  if (!parsed.success) notFound();
  const viewer = await pageViewer();
  const page = await getTokenPage(viewer, parsed.data.id);
  if (!page) notFound();
  const t = await getTranslations('tokenDetail');
  const { token } = page;
  return (
    <>
      <Link href="/tokens" className="text-sm text-slate-700 underline-offset-2 hover:underline">
        ← {t('back')}
      </Link>
      <div className="mt-2">
        <PageHeader title={token.label} description={token.purpose || undefined}>
          <TokenStatusBadge status={token.status} invalidSince={token.invalidSince} />
        </PageHeader>
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <TokenDetails token={token} usage={page.usage} />
        </div>
        <div className="min-w-0 space-y-6">
          <TokenActionsClient token={token} />
          {/* Call classes are T-Invest's; an H2H token's reach is its accesses. */}
          {token.can.manage && token.status !== 'retired' && token.provider !== 'tapi' && <PolicyEditorClient token={token} />}
          {token.can.manage && token.status !== 'retired' && <GrantsEditorClient token={token} candidates={page.candidates} />}
        </div>
      </div>
    </>
  );
}
