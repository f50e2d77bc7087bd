'use client';
// Every in-app link. Next's own <Link> prefetches a route as soon as its link scrolls into view, and each
// prefetch is a render of the signed-in shell on the server: one account page in a browser (25 positions and
// the navigation) made 45 prefetch requests, together about 20 times the page's own CPU (docs/PERFORMANCE.md,
// "Links prefetch on intent"). Here a route is prefetched when the viewer reaches for its link (pointer over it,
// focus, touch), so navigation stays client-side and about as quick, for one request per link actually used.
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useRef, type ComponentProps, type ReactNode, type SyntheticEvent } from 'react';

export type LinkProps = Omit<ComponentProps<typeof NextLink>, 'href'> & { href: string };

export default function Link({ href, prefetch, onMouseEnter, onFocus, onTouchStart, ...props }: LinkProps) {
  const router = useRouter();
  // Only this app's own pages; `prefetch={false}` still means never. The caller's own handler runs after.
  const prefetchingFirst =
    <E,>(own?: (event: E) => void) =>
    (event: E) => {
      if (prefetch !== false && isAppPath(href)) router.prefetch(href);
      own?.(event);
    };
  return <NextLink {...props} href={href} prefetch={false} onMouseEnter={prefetchingFirst(onMouseEnter)} onFocus={prefetchingFirst(onFocus)} onTouchStart={prefetchingFirst(onTouchStart)} />;
}

const isAppPath = (href: string) => href.startsWith('/') && !href.startsWith('//');

/**
 * For a long list's links (a table's rows): plain `<a href>` inside, these handlers once on the container.
 * A click on one of its in-app links navigates client-side, and reaching for it prefetches it, as with Link,
 * without a Link per row: each is a component with hooks of its own in the server's render, and 25 of them
 * were 1.1–1.5 CPU-ms of an account page view (docs/PERFORMANCE.md, "Links prefetch on intent").
 */
export function useLinksWithin() {
  const router = useRouter();
  // The pointer crosses a link's cells one by one: ask for each page once.
  const prefetched = useRef<string | null>(null);
  return useMemo(() => {
    const appLink = (event: SyntheticEvent) => {
      const anchor = (event.target as Element).closest?.('a[href]');
      if (!anchor || !event.currentTarget.contains(anchor) || anchor.hasAttribute('target') || anchor.hasAttribute('download')) return null;
      const href = anchor.getAttribute('href')!;
      return isAppPath(href) ? href : null;
    };
    const prefetch = (event: SyntheticEvent) => {
      const href = appLink(event);
      if (!href || href === prefetched.current) return;
      prefetched.current = href;
      router.prefetch(href);
    };
    return {
      onClick(event: React.MouseEvent) {
        // A new tab, a download, a middle click: the browser's own.
        if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        const href = appLink(event);
        if (!href) return;
        event.preventDefault();
        router.push(href);
      },
      onMouseOver: prefetch,
      onFocus: prefetch,
      onTouchStart: prefetch,
    };
  }, [router]);
}

/** useLinksWithin for a server-rendered list: this element (its tbody or ul) carries the handlers, the rows stay server-rendered. */
export function LinksWithin({ as: Element, children, ...props }: { as: 'tbody' | 'ul'; className?: string; 'data-testid'?: string; children: ReactNode }) {
  const links = useLinksWithin();
  return (
    <Element {...props} {...links}>
      {children}
    </Element>
  );
}
