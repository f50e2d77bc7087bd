// GET /api/stream?topics=a,b,c – live data as Server-Sent Events. The custom server answers this
// path itself (lib/server/main.ts); this handler serves the same stream under `next dev` and elsewhere.
import { liveStreamResponse } from '@/lib/http/live-stream';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return liveStreamResponse(request);
}
