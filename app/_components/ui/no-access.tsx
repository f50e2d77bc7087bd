/** Shown instead of a page the viewer's role does not include. */
export function NoAccess({ title, description }: { title: string; description: string }) {
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 px-5 py-6 text-amber-950">
      <h1 className="text-lg font-semibold">{title}</h1>
      <p className="mt-1 max-w-2xl text-sm">{description}</p>
    </div>
  );
}
