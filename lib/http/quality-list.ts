// Accept-style headers (Accept-Language, Accept-Encoding): each entry's name and q-value. Pure.

/** Entries of a header like `br;q=1.0, gzip;q=0.5, *`: names and parameters lowercased (RFC 9110 §12.4.2), a missing q is 1, an unreadable one 0. */
export function qualityList(header: string | null | undefined): { name: string; q: number }[] {
  if (!header) return [];
  return header.split(',').map((entry) => {
    const [name = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    return { name, q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
  });
}
