// Temporal refuses any one payload over 2 MiB (the server's and the SDK's default blob limit):
// an activity result, a workflow input (continue-as-new carries the run's state in it), a
// failure's details. Past that limit a retry cannot help, so we check first and fail clearly.
// Pure: used by activities (at the adapter) and by the workflow sandbox.

export const PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;
/** What we allow ourselves: the limit also counts the payload's envelope and, for a workflow input, its memo. */
export const PAYLOAD_BUDGET_BYTES = 1.9 * 2 ** 20;

/** UTF-8 length of the value's JSON (what Temporal's default converter sends). */
export function jsonBytes(value: unknown): number {
  const json = JSON.stringify(value);
  return json === undefined ? 0 : new TextEncoder().encode(json).length;
}

/** Rounded up, so a size over a limit never prints as equal to it. */
export const mebibytes = (bytes: number): string => `${(Math.ceil((bytes / 2 ** 20) * 100) / 100).toFixed(2)} MiB`;
