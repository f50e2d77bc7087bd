'use client';
// The section links, marked with aria-current; on narrow screens they fold behind a Menu button.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { cn } from '@/lib/cn';
import { focusRing } from '../ui/button';

export interface NavItem {
  href: string;
  label: string;
}

export function PrimaryNav({ items }: { items: NavItem[] }) {
  const t = useTranslations('shell');
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);

  // Escape closes the open menu from anywhere and hands focus back to the button that opened it.
  useEffect(() => {
    if (!open) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [open]);

  return (
    <>
      <button
        ref={toggle}
        type="button"
        aria-expanded={open}
        aria-controls="primary-nav"
        onClick={() => setOpen((value) => !value)}
        className={cn('rounded-md border border-slate-300 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-100 md:hidden', focusRing)}
      >
        {open ? t('closeMenu') : t('menu')}
      </button>
      <nav
        id="primary-nav"
        aria-label={t('navigation')}
        className={cn('absolute inset-x-0 top-full z-20 border-b border-slate-200 bg-white px-4 py-3 shadow-md md:static md:block md:min-w-0 md:flex-1 md:border-0 md:bg-transparent md:p-0 md:shadow-none', open ? 'block' : 'hidden')}
      >
        <ul className="flex flex-col gap-1 md:flex-row md:flex-wrap md:items-center">
          {items.map((item) => {
            const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
            return (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={current ? 'page' : undefined}
                  onClick={() => setOpen(false)}
                  className={cn(
                    'block rounded-md px-3 py-2 text-sm font-medium',
                    current ? 'bg-slate-900 text-white' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900',
                    focusRing,
                  )}
                >
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </>
  );
}
