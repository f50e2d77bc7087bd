import { cn } from '@/lib/cn';

export function Card({ children, className, ...props }: React.HTMLAttributes<HTMLElement>) {
  return (
    <section className={cn('rounded-lg border border-slate-200 bg-white p-5 shadow-xs sm:p-6', className)} {...props}>
      {children}
    </section>
  );
}
