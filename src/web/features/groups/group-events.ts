/**
 * A working group's messages as server-sent events (`id` is the message id, `event` its kind, `data` its JSON),
 * polled from the database so any app instance serves any member: the partner API's stream and the portal's.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GroupMessage } from '../../../services/working-groups.ts';

/** How often an open event stream looks for new messages: members hear of a message within a second. */
export const EVENT_POLL_MS = 250;

/**
 * Streams from after `after` until the client goes away or `next` answers null (no longer a member, or, on the
 * portal, the session ended or the user was disabled): the stream then ends at once.
 */
export function streamGroupEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  after: number,
  next: (after: number) => Promise<GroupMessage[] | null>,
  onClose: () => void = () => undefined,
): FastifyReply {
  let last = after;
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  reply.raw.write(': connected\n\n');
  // Ended by the client going away (a mutable object: the close handler changes it between ticks).
  const stream = { open: true };
  let timer: NodeJS.Timeout | undefined;
  const close = () => {
    if (!stream.open) return;
    stream.open = false;
    clearTimeout(timer);
    onClose();
  };
  const tick = async () => {
    if (!stream.open) return;
    try {
      const events = await next(last);
      if (events === null) {
        close();
        reply.raw.end();
        return;
      }
      for (const event of events) {
        last = event.id;
        reply.raw.write(`id: ${String(event.id)}\nevent: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`);
      }
    } catch (error) {
      request.log.error({ err: error }, 'group events failed');
    }
    // A stream closed meanwhile stops at the next tick's first line.
    timer = setTimeout(() => void tick(), EVENT_POLL_MS);
  };
  request.raw.on('close', close);
  void tick();
  return reply;
}
