'use client';
// The signed-in person's menu: who they are, their account page, sign-out.
import { useTranslations } from 'next-intl';
import Link from '@/app/_components/ui/link';
import { useEffect, useId, useRef, useState } from 'react';
import type { RoleName } from '@/lib/auth/permissions';
import { focusRing } from '../ui/button';
import { SignOutButton } from './sign-out-button';

export function UserMenu({ name, email, role }: { name: string; email: string; role: RoleName }) {
  const t = useTranslations('shell');
  const roles = useTranslations('roles');
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const container = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        trigger.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div ref={container} className="relative">
      <button
        ref={trigger}
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((value) => !value)}
        className={`flex items-center gap-2 rounded-md px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-100 ${focusRing}`}
      >
        <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-slate-800 text-xs font-semibold text-white">
          {name.trim().charAt(0).toUpperCase() || '?'}
        </span>
        <span className="hidden max-w-40 truncate sm:inline">{name}</span>
        <span className="sr-only">{t('userMenu')}</span>
      </button>
      {open && (
        <div id={menuId} className="absolute right-0 z-30 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-3 shadow-lg">
          <p className="truncate text-sm font-medium text-slate-900">{name}</p>
          <p className="truncate text-xs text-slate-600">{email}</p>
          <p className="mt-1 text-xs text-slate-600">{t('signedInAs', { role: roles(role) })}</p>
          <div className="mt-3 flex flex-col gap-1 border-t border-slate-100 pt-3">
            <Link href="/account" onClick={() => setOpen(false)} className={`rounded-md px-2 py-1.5 text-sm text-slate-800 hover:bg-slate-100 ${focusRing}`}>
              {t('accountSettings')}
            </Link>
            <SignOutButton variant="ghost" className="justify-start px-2" />
          </div>
        </div>
      )}
    </div>
  );
}
