import type { Metadata, Viewport } from 'next';
import { getLocale, getTimeZone } from 'next-intl/server';
import { MessagesProvider } from '@/app/_components/i18n/messages-provider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Strongroom', template: '%s · Strongroom' },
  // The icon set in public/ lets the dashboard be pinned to a phone's home screen.
  icons: {
    icon: [
      { url: '/favicon.ico', sizes: '32x32' },
      { url: '/icon.svg', type: 'image/svg+xml' },
    ],
    apple: '/apple-touch-icon.png',
  },
  manifest: '/manifest.webmanifest',
  appleWebApp: { title: 'Strongroom', statusBarStyle: 'default' },
};
export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0f172a' };

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const [locale, timeZone] = await Promise.all([getLocale(), getTimeZone()]);
  return (
    <html lang={locale}>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <MessagesProvider locale={locale} timeZone={timeZone}>
          {children}
        </MessagesProvider>
      </body>
    </html>
  );
}
