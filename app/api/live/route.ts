import { getChangeRequestStatus } from '@/lib/server/change-requests/get-change-request-status';
import { AppError } from '@/lib/server/errors';
import { subscribeLiveChanges } from '@/lib/server/live/live-changes';
import { withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/**
 * Server-sent events for live pages: `?request=<id>` (the request page) or `?scope=inbox`. Each
 * committed change (database trigger → LISTEN/NOTIFY) becomes one `change` event; the page then
 * re-renders through its own checked queries. A comment line every 20 s keeps proxies from
 * closing an idle stream.
 */
export async function GET(request: Request) {
  return withApiActor(request, async (actor) => {
    const url = new URL(request.url);
    const requestId = url.searchParams.get('request');
    const isInbox = url.searchParams.get('scope') === 'inbox';
    if (!requestId && !isInbox) throw new AppError('INVALID_INPUT', 'Pass ?request=<id> or ?scope=inbox.');
    // Same visibility as the page: a hidden request is a 404 here too.
    if (requestId) await getChangeRequestStatus(actor, requestId);
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        const send = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            cleanup();
          }
        };
        const unsubscribe = await subscribeLiveChanges(actor, requestId ? { requestId } : { inbox: true }, (change) =>
          send(`event: change\ndata: ${JSON.stringify({ request: change.r })}\n\n`),
        );
        const keepAlive = setInterval(() => send(': keep-alive\n\n'), 20_000);
        cleanup = () => {
          clearInterval(keepAlive);
          unsubscribe();
        };
        request.signal.addEventListener('abort', () => {
          cleanup();
          try {
            controller.close();
          } catch {
            // already closed
          }
        });
        send('retry: 2000\nevent: ready\ndata: {}\n\n');
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      },
    });
  });
}
