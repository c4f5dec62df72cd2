/**
 * One line for an error with field errors: the message, then each field error the message does
 * not already say. Operations often put the field errors' text into the message too (a policy
 * refusal lists its violations in both), and joining them blindly said everything twice (issue 12.3).
 * Cases: no field errors → the message; a field error whose text the message contains → left out;
 * others → appended as "path: message", separated by "; ".
 */
export function errorSummary(message: string, fieldErrors: readonly { path?: string; message: string }[] = []): string {
  const extra = fieldErrors
    .filter((f) => !message.includes(f.message))
    .map((f) => (f.path ? `${f.path}: ${f.message}` : f.message))
    .filter((line, i, all) => all.indexOf(line) === i);
  return extra.length ? `${message} ${extra.join('; ')}` : message;
}
