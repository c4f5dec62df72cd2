import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/**
 * Password policy by strength, not length: zxcvbn (the estimator Dropbox published, as
 * @zxcvbn-ts) scores how many guesses a password takes against dictionaries, keyboard patterns,
 * repeats and sequences, and the user's own email and name. Accepted: 12 to 200 characters AND
 * score ≥ 3 (about 10^8 guesses or more — "safely unguessable" against throttled online
 * guessing, and slow with argon2id offline). So "            " (12 spaces), "password1234" and
 * "aaaaaaaaaaaa" are refused, while a passphrase such as "violet tractor morning lamp" passes.
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | undefined;
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return factory;
}

export type TPasswordCheck = { ok: true } | { ok: false; message: string };

/** Cases: too short / too long → says so; scored below 3 → why (zxcvbn's warning) and a hint. */
export function checkPasswordStrength(password: string, userInputs: string[] = []): TPasswordCheck {
  if (password.length < MIN_PASSWORD_LENGTH)
    return { ok: false, message: `The password needs at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (password.length > MAX_PASSWORD_LENGTH)
    return { ok: false, message: `The password can have at most ${MAX_PASSWORD_LENGTH} characters.` };
  const inputs = userInputs.flatMap((s) => [s, ...s.split(/[@.\s_-]+/)]).filter((s) => s.length >= 3);
  const result = estimator().check(password, inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true };
  const why = result.feedback.warning ? ` ${result.feedback.warning}` : '';
  const hint = result.feedback.suggestions[0] ? ` ${result.feedback.suggestions[0]}` : ' Use a longer passphrase of unrelated words.';
  return { ok: false, message: `The password is too easy to guess.${why}${hint}` };
}
