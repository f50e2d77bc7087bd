// /tokens/:id for a token that does not exist or is not shared with the viewer (the same answer for both).
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { buttonClasses } from '@/app/_components/ui/button';
import { EmptyState } from '@/app/_components/ui/empty-state';

export default async function TokenNotFound() {
  const t = await getTranslations('tokenDetail');
  return (
    <EmptyState title={t('notFound.title')} description={t('notFound.description')}>
      <Link href="/tokens" className={buttonClasses('secondary', 'sm')}>
        {t('back')}
      </Link>
    </EmptyState>
  );
}
