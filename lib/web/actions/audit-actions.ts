'use server';

import { describeVerifyResult } from '@/lib/domain/audit/audit-export-format';
import { verifyLiveAuditChain } from '@/lib/server/audit/verify-live-audit-chain';
import { authedAction, type TActionResult } from '@/lib/web/action';

export type TVerifyState = TActionResult<{ ok: boolean; message: string }> | null;

/** The auditor page's "Verify the live log" button. */
export async function verifyLiveLogAction(_prev: TVerifyState): Promise<TVerifyState> {
  return authedAction(async (actor) => {
    const result = await verifyLiveAuditChain(actor);
    const message = result.ok
      ? `${result.count} events verified, head hash ${result.headHash}${result.checkpoints ? `; ${result.checkpoints} signed checkpoint(s) match` : '; no signed checkpoint yet'}`
      : describeVerifyResult({
          ok: false,
          line: result.brokenAt.index + 1,
          seq: result.brokenAt.seq,
          reason: result.brokenAt.reason,
          eventsVerified: result.count,
        }).replace(/^BROKEN at line \d+ /, 'BROKEN ');
    return { ok: result.ok, message };
  });
}
