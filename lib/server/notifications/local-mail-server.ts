import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createDb } from '../db/client';

const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/**
 * The catch-all SMTP server `npm start` runs in embedded mode (no DATABASE_URL, no SMTP_HOST):
 * it accepts every message on 127.0.0.1 only, parses it and stores it in `captured_mail`, which
 * /mail lists — so a new user sees notifications with nothing configured. Never runs when a real
 * SMTP server is configured.
 */
export async function startLocalMailServer(opts: {
  databaseUrl: string;
  port?: number;
}): Promise<{ port: number; stop: () => Promise<void> }> {
  // Its own small client: the start script disconnects the one it seeded with.
  const db = createDb(opts.databaseUrl, 2);
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: 'Ingress Gate local mail catcher',
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          await db.capturedMail.create({
            data: {
              sender: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              recipients: to.join(', '),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
            },
          });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.$disconnect();
    },
  };
}
