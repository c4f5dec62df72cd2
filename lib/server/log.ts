import pino from 'pino';
import { currentRequestId } from './request-context';

/**
 * Structured JSON logs (pino) on stdout, one object per line: `level`, `time`, `msg`, the
 * process (`service`: web | worker | start) and, inside a request, its `requestId` — the same id
 * the error response and the audit event carry, so one request can be followed through the logs.
 * LOG_LEVEL sets the level (default info).
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.INGRESS_GATE_SERVICE ?? (/worker/.test(process.argv[1] ?? '') ? 'worker' : 'web'), pid: process.pid },
  messageKey: 'msg',
  timestamp: pino.stdTimeFunctions.isoTime,
  mixin: () => {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
});
