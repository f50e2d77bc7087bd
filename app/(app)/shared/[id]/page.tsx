// /shared/[id] – a view shared with the signed-in member (read-only; it grants nothing else)
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { SharedView } from '@/app/_components/sharing/shared-view';
import { pageViewer } from '@/lib/auth/page-viewer';
import { isAppError } from '@/lib/errors';
import { openMemberShare } from '@/lib/sharing/open-share';

export async function generateMetadata() {
  return { title: (await getTranslations('shares'))('sharedTitle'), referrer: 'no-referrer', robots: { index: false, follow: false } };
}

export default async function SharedPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await pageViewer();
  const { id } = await params;
  const view = await openMemberShare(viewer, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'not_found') notFound();
    throw error;
  });
  return <SharedView view={view} />;
}
