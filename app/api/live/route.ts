import { getChangeRequestStatus } from '@/lib/server/change-requests/get-change-request-status';
import { AppError } from '@/lib/server/errors';
import { getLiveRequestSummary } from '@/lib/server/live/get-live-request-summary';
import { subscribeLiveChanges } from '@/lib/server/live/live-changes';
import { withApiActor } from '@/lib/web/api';

export const dynamic = 'force-dynamic';

/**
 * Server-sent events for live pages: `?request=<id>` (the request page) or `?scope=inbox`. Each
 * committed change (database trigger → LISTEN/NOTIFY) becomes one `change` event; on the request
 * stream it carries `summary` (lib/server/live/get-live-request-summary.ts), which the page
 * patches in at once, before it re-renders the rest through its own checked queries. A comment line every 20 s keeps proxies from
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
        // The request page: each change carries the request's live summary (status, approvals), read
        // after the commit with the actor's visibility, so the page patches those parts at once.
        // Changes that arrive while one is being read are folded into one more read, in order.
        let isReading = false;
        let isDirty = false;
        const pushSummary = async (id: string) => {
          if (isReading) {
            isDirty = true;
            return;
          }
          isReading = true;
          try {
            do {
              isDirty = false;
              const summary = await getLiveRequestSummary(actor, id).catch(() => null);
              send(`event: change\ndata: ${JSON.stringify({ request: id, summary })}\n\n`);
            } while (isDirty);
          } finally {
            isReading = false;
          }
        };
        const unsubscribe = await subscribeLiveChanges(actor, requestId ? { requestId } : { inbox: true }, (change) => {
          if (requestId) void pushSummary(requestId);
          else send(`event: change\ndata: ${JSON.stringify({ request: change.r })}\n\n`);
        });
        const keepAlive = setInterval(() => send(': keep-alive\n\n'), 20_000);
        cleanup = () => {
          clearInterval(keepAlive);
          unsubscribe();
        };
        // A client that left while we subscribed: its abort event has already fired.
        if (request.signal.aborted) {
          cleanup();
          return;
        }
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
