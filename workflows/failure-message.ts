// The message a user needs from a failed stage: the innermost cause (the activity's own error),
// not Temporal's wrapper ("Activity task failed").
export function describeFailure(err: unknown): string {
  let e = err as { message?: string; cause?: unknown; type?: string } | undefined;
  let message = e?.message ?? String(err);
  while (e && e.cause) {
    e = e.cause as typeof e;
    if (e?.message) message = e.message;
  }
  const type = e?.type;
  return type && !message.startsWith(type) ? `${type}: ${message}` : message;
}
