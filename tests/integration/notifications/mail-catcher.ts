import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '@/lib/server/notifications/sign-webhook';

/**
 * A real SMTP server (smtp-server) that parses what arrives (mailparser). `rejectTo(address)`
 * makes it answer 550 to the next `times` messages for that recipient (after reading them).
 */
export async function startMailCatcher(): Promise<{
  port: number;
  mails: ParsedMail[];
  rejectTo: (address: string, times: number) => void;
  stop: () => Promise<void>;
}> {
  const mails: ParsedMail[] = [];
  const rejections = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const rcpt = session.envelope.rcptTo.map((r) => r.address.toLowerCase()).find((a) => (rejections.get(a) ?? 0) > 0);
          if (rcpt) {
            rejections.set(rcpt, rejections.get(rcpt)! - 1);
            const error = Object.assign(new Error(`mailbox ${rcpt} unavailable`), { responseCode: 550 });
            callback(error);
            return;
          }
          mails.push(mail);
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    rejectTo: (address, times) => void rejections.set(address.toLowerCase(), times),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TReceived = {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  signature: ReturnType<typeof verifyWebhookSignature>;
};

/** A real HTTP webhook receiver that verifies signatures; `failFirst` requests answer 500. */
export async function startWebhookReceiver(
  secret: string,
  failFirst = 0,
): Promise<{ url: string; received: TReceived[]; stop: () => Promise<void> }> {
  const received: TReceived[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = verifyWebhookSignature(
        secret,
        {
          signature: (req.headers['x-ingress-gate-signature'] as string) ?? null,
          timestamp: (req.headers['x-ingress-gate-timestamp'] as string) ?? null,
        },
        body,
      );
      const status = received.length < failFirst ? 500 : signature.ok ? 204 : 401;
      received.push({ status, body, headers: req.headers, signature });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 500 ? 'receiver down' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/ingress-gate`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
