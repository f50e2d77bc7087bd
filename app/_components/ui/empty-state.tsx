/** What a list will hold and how it gets filled, shown while it is empty. */
export function EmptyState({ title, description, details, children }: { title: string; description: string; details?: string[]; children?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-5 py-8 sm:px-8">
      <h2 className="text-base font-semibold text-slate-900">{title}</h2>
      <p className="mt-1 max-w-2xl text-sm text-slate-600">{description}</p>
      {details && details.length > 0 && (
        <ul className="mt-4 grid max-w-2xl gap-2 text-sm text-slate-700 sm:grid-cols-2">
          {details.map((detail) => (
            <li key={detail} className="flex gap-2">
              <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-slate-400" />
              <span>{detail}</span>
            </li>
          ))}
        </ul>
      )}
      {children && <div className="mt-5">{children}</div>}
    </div>
  );
}
