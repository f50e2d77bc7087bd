// Any unknown address.
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { buttonClasses } from '@/app/_components/ui/button';

export default async function NotFound() {
  const t = await getTranslations('notFound');
  return (
    <main id="main" className="mx-auto max-w-md px-4 py-16">
      <h1 className="text-2xl font-semibold text-slate-900">{t('title')}</h1>
      <p className="mt-2 text-sm text-slate-600">{t('description')}</p>
      <Link href="/overview" className={buttonClasses('secondary', 'md', 'mt-6')}>
        {t('home')}
      </Link>
    </main>
  );
}
