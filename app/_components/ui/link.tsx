'use client';
// Every in-app link. Next's own <Link> prefetches a route as soon as its link scrolls into view, and each
// prefetch is a render of the signed-in shell on the server: one account page in a browser (25 positions and
// the navigation) made 45 prefetch requests, some 30 times the page's own CPU (docs/PERFORMANCE.md, "Links
// prefetch on intent"). Here a route is prefetched when the viewer reaches for its link (pointer over it,
// focus, touch), so navigation stays client-side and about as quick, for one request per link actually used.
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import type { ComponentProps } from 'react';

export type LinkProps = Omit<ComponentProps<typeof NextLink>, 'href'> & { href: string };

export default function Link({ href, prefetch, onMouseEnter, onFocus, onTouchStart, ...props }: LinkProps) {
  const router = useRouter();
  // Only this app's own pages; `prefetch={false}` still means never.
  const prefetchOnIntent = () => {
    if (prefetch !== false && href.startsWith('/')) router.prefetch(href);
  };
  return (
    <NextLink
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(event) => {
        prefetchOnIntent();
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        prefetchOnIntent();
        onFocus?.(event);
      }}
      onTouchStart={(event) => {
        prefetchOnIntent();
        onTouchStart?.(event);
      }}
    />
  );
}
