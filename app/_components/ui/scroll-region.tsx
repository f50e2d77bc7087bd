import { cn } from '@/lib/cn';

/**
 * A wide table's horizontal scroller. Keyboard users scroll it too: it takes focus (arrow keys scroll)
 * and is named after what it holds (a group, so it does not add a landmark beside the card it sits in).
 */
export function ScrollRegion({ label, className, children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <div role="group" aria-label={label} tabIndex={0} className={cn('overflow-x-auto focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900', className)}>
      {children}
    </div>
  );
}
