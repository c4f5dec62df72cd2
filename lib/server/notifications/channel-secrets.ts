import { env } from '../env';
import { openSecret, sealSecret } from '../kube/secret-box';

// Channel URLs (a Slack incoming-webhook URL is itself a credential) and webhook secrets are
// sealed like inline kubeconfigs, bound to the channel id so a copied value does not open elsewhere.
const context = (channelId: string, part: 'url' | 'secret') => `notification-channel:${channelId}:${part}`;

export function sealChannelSecret(channelId: string, part: 'url' | 'secret', plaintext: string): string {
  return sealSecret(plaintext, env().INGRESS_GATE_SECRET_KEY, context(channelId, part));
}

export function openChannelSecret(channelId: string, part: 'url' | 'secret', sealed: string): string {
  return openSecret(sealed, env().INGRESS_GATE_SECRET_KEY, context(channelId, part));
}
