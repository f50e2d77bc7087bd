// The signed-in frame: skip link, header with navigation, language and user menu, then the page.
import { getTranslations } from 'next-intl/server';
import Link from '@/app/_components/ui/link';
import { can, type Permission } from '@/lib/auth/permissions';
import type { Viewer } from '@/lib/auth/session';
import type { TokenDto } from '@/lib/custody/dto';
import { StepUpDialog } from '../second-factor/step-up-dialog';
import { ExpiryBanner } from '../tokens/expiry-banner';
import { focusRing } from '../ui/button';
import { LanguageSwitcher } from './language-switcher';
import { PrimaryNav } from './primary-nav';
import { UserMenu } from './user-menu';

const SECTIONS = [
  { href: '/overview', key: 'overview', permission: 'overview.read' },
  { href: '/analytics', key: 'analytics', permission: 'overview.read' },
  { href: '/operations', markets: 'operations', permission: 'overview.read' },
  { href: '/instruments', markets: 'instruments', permission: 'overview.read' },
  { href: '/sandbox', markets: 'sandbox', permission: 'overview.read' },
  { href: '/business', key: 'business', permission: 'overview.read' },
  { href: '/shares', key: 'shares', permission: 'overview.read' },
  { href: '/tokens', key: 'tokens', permission: 'tokens.read' },
  { href: '/streams', key: 'streams', permission: 'streams.read' },
  { href: '/team', key: 'team', permission: 'team.read' },
  { href: '/audit', key: 'audit', permission: 'audit.read' },
] as const satisfies ({ href: string; key: string; permission: Permission } | { href: string; markets: string; permission: Permission })[];

export async function AppShell({ viewer, expiring = [], children }: { viewer: Viewer; expiring?: TokenDto[]; children: React.ReactNode }) {
  const t = await getTranslations('shell');
  const nav = await getTranslations('nav');
  const markets = await getTranslations('markets.nav');
  // Links only to sections the role may open; the pages and the API check again on their own.
  const items = SECTIONS.filter((section) => can(viewer.role, section.permission)).map((section) => ({ href: section.href, label: 'markets' in section ? markets(section.markets) : nav(section.key) }));

  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only z-50 rounded-md bg-white px-4 py-2 text-sm font-medium text-slate-900 shadow focus:not-sr-only focus:fixed focus:left-4 focus:top-4">
        {t('skipToContent')}
      </a>
      <header className="relative border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-3 sm:px-6">
          <Link href="/overview" className={`mr-2 flex items-center gap-2 rounded-md text-base font-semibold text-slate-900 ${focusRing}`}>
            <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-md bg-slate-900 text-xs text-white">
              S
            </span>
            Strongroom
          </Link>
          <PrimaryNav items={items} />
          <div className="ml-auto flex items-center gap-2">
            <LanguageSwitcher className="hidden sm:flex" />
            <UserMenu name={viewer.name} email={viewer.email} role={viewer.role} />
          </div>
        </div>
      </header>
      <ExpiryBanner tokens={expiring} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none sm:px-6 sm:py-8">
        {children}
      </main>
      <StepUpDialog />
      <footer className="mx-auto max-w-6xl px-4 pb-8 sm:hidden">
        <LanguageSwitcher />
      </footer>
    </div>
  );
}
