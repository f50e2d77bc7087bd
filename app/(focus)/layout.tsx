// Single-task pages (sign in, first-run setup, accepting an invite, a forced password change):
// a centred card, no navigation.
import { getTranslations } from 'next-intl/server';
import { LanguageSwitcher } from '@/app/_components/shell/language-switcher';

export default async function FocusLayout({ children }: { children: React.ReactNode }) {
  const t = await getTranslations('shell');
  return (
    <div className="flex min-h-screen flex-col">
      <header className="mx-auto flex w-full max-w-md items-center justify-between px-4 pt-8">
        <p className="flex items-center gap-2 text-base font-semibold text-slate-900">
          <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-md bg-slate-900 text-xs text-white">
            S
          </span>
          Strongroom
        </p>
        <LanguageSwitcher />
      </header>
      <main id="main" className="mx-auto w-full max-w-md flex-1 px-4 py-8">
        {children}
      </main>
      <footer className="mx-auto w-full max-w-md px-4 pb-6 text-xs text-slate-500">{t('tagline')}</footer>
    </div>
  );
}
