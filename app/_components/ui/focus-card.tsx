import { useId } from 'react';
import { Card } from './card';

/** The one card of a single-task page: a title (the page's h1), a line of explanation, the task. */
export function FocusCard({ title, description, children }: { title: string; description?: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <Card aria-labelledby={id}>
      <h1 id={id} className="text-xl font-semibold text-slate-900">
        {title}
      </h1>
      {description && <p className="mt-1 mb-5 text-sm text-slate-600">{description}</p>}
      {children}
    </Card>
  );
}
