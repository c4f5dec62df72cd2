// npm run audit:verify -- export.ndjson
// Recomputes the hash chain of an NDJSON audit export (from the auditor page or
// /api/audit/export?format=ndjson) line by line, in constant memory, and prints the first broken
// link or "N events verified, head hash …". Exit code 0 = intact, 1 = broken, 2 = usage.
// Signed checkpoints in the export (checked with INGRESS_GATE_AUDIT_KEY, else the key derived
// from INGRESS_GATE_SECRET_KEY) prove the chain was not rewritten and rehashed since they were
// written. Comparing the head hash with one recorded elsewhere (a ticket, an email) adds more.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { checkpointKey } from '../lib/domain/audit/audit-checkpoint';
import { createExportVerifier, describeVerifyResult } from '../lib/domain/audit/audit-export-format';

const file = process.argv[2];
if (!file || file === '--help' || file === '-h') {
  console.error('Usage: npm run audit:verify -- <export.ndjson>   ("-" reads standard input)');
  process.exit(2);
}

const input = file === '-' ? process.stdin : createReadStream(file);
input.on('error', (error: Error) => {
  console.error(`Cannot read ${file}: ${error.message}`);
  process.exit(2);
});
// The checkpoint key comes from the environment, as the app derives it; without one the
// checkpoints are compared with the chain but their signatures are not checked (and it says so).
const verifier = createExportVerifier({
  checkpointKey: checkpointKey({
    INGRESS_GATE_AUDIT_KEY: process.env.INGRESS_GATE_AUDIT_KEY,
    INGRESS_GATE_SECRET_KEY: process.env.INGRESS_GATE_SECRET_KEY,
  }),
});
let result = null;
for await (const line of createInterface({ input, crlfDelay: Infinity })) {
  result = verifier.pushLine(line);
  if (result) break;
}
result ??= verifier.finish();
console.log(describeVerifyResult(result));
process.exit(result.ok ? 0 : 1);
