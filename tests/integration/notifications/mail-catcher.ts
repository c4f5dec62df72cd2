import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verifyWebhookSignature } from '@/lib/server/notifications/sign-webhook';

/** A real SMTP server (smtp-server) that parses what arrives (mailparser). */
export async function startMailCatcher(): Promise<{ port: number; mails: ParsedMail[]; stop: () => Promise<void> }> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
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
