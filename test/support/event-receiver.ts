import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A clinic's endpoint on loopback: records what it gets and answers as told (ok: 204; failing:
 * 503; down: closes the connection without an answer).
 */
export interface EventReceiver {
  url: string;
  received: ReceivedEvent[];
  mode: 'ok' | 'failing' | 'down';
  /** How long it takes to answer, so attempts can overlap. */
  delayMs: number;
  /** The most attempts of one webhook-id it had in hand at the same moment. */
  maxOverlap: number;
  close(): Promise<void>;
}

export async function startEventReceiver(): Promise<EventReceiver> {
  const receiver: Partial<EventReceiver> &
    Pick<EventReceiver, 'received' | 'mode' | 'delayMs' | 'maxOverlap'> = {
    received: [],
    mode: 'ok',
    delayMs: 0,
    maxOverlap: 0,
  };
  const inHand = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (receiver.mode === 'down') {
        req.socket.destroy();
        return;
      }
      const id = String(req.headers['webhook-id']);
      const overlap = (inHand.get(id) ?? 0) + 1;
      inHand.set(id, overlap);
      receiver.maxOverlap = Math.max(receiver.maxOverlap, overlap);
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      setTimeout(() => {
        inHand.set(id, (inHand.get(id) ?? 1) - 1);
        res.statusCode = receiver.mode === 'ok' ? 204 : 503;
        res.end();
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/clinic/events`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver as EventReceiver;
}
