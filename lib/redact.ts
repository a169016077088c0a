// Keeps secrets (the Redis password in REDIS_URL, the Temporal API key, TLS key material) out of
// everything a person or Temporal's history sees: log lines, error messages, failure messages.
// Secrets are known values taken from the configuration; any URL's user:password part is masked
// as well, whatever it is.

const MASK = '***';

interface SecretSources {
  redisUrl?: string;
  temporal?: { apiKey?: string; tls?: { clientKey?: { data?: string | Uint8Array } | { path: string } }; grpcMeta?: Record<string, string> };
}

/** The URL with its password (and any query `password=`) masked; the rest kept for diagnosis. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = MASK;
    for (const k of [...u.searchParams.keys()]) if (/pass|secret|token|key/i.test(k)) u.searchParams.set(k, MASK);
    return u.toString();
  } catch {
    return url.replace(/\/\/([^/@\s:]*):[^/@\s]*@/g, `//$1:${MASK}@`);
  }
}

/** Secret values found in a configuration (only non-trivial ones: a 1-char password is not searched for). */
export function secretsOf(config: SecretSources): string[] {
  const out: string[] = [];
  if (config.redisUrl) {
    try {
      const u = new URL(config.redisUrl);
      if (u.password) out.push(decodeURIComponent(u.password), u.password);
      for (const [k, v] of u.searchParams) if (/pass|secret|token|key/i.test(k) && v) out.push(v);
    } catch {
      /* not a URL: nothing to extract */
    }
  }
  const t = config.temporal;
  if (t?.apiKey) out.push(t.apiKey);
  const key = t?.tls?.clientKey;
  if (key && 'data' in key && key.data !== undefined) {
    const pem = typeof key.data === 'string' ? key.data : Buffer.from(key.data).toString('utf8');
    out.push(pem.trim());
    // A key in a message is most likely quoted in part: mask every base64 line of it too.
    for (const line of pem.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) out.push(line.trim());
  }
  for (const [k, v] of Object.entries(t?.grpcMeta ?? {})) if (/auth|key|token|secret/i.test(k) && v) out.push(v);
  return [...new Set(out.filter((s) => s.length >= 3))].sort((a, b) => b.length - a.length);
}

/** `text` with every known secret and any URL password masked. */
export function redactSecrets(text: string, sources: SecretSources | string[]): string {
  const secrets = Array.isArray(sources) ? sources : secretsOf(sources);
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^/@\s:]*):[^/@\s]+@/gi, `$1:${MASK}@`);
  for (const s of secrets) out = out.split(s).join(MASK);
  return out;
}

/**
 * Scrubs an error in place, with its causes: message, stack, and the fields clients attach
 * (ioredis puts the AUTH command's arguments, the password, on its ReplyError).
 */
export function redactError<E>(err: E, secrets: string[], seen = new Set<unknown>()): E {
  if (!err || typeof err !== 'object' || seen.has(err)) return err;
  seen.add(err);
  const e = err as { message?: unknown; stack?: unknown; command?: { name?: string; args?: unknown[] }; cause?: unknown };
  try {
    if (typeof e.message === 'string') e.message = redactSecrets(e.message, secrets);
    if (typeof e.stack === 'string') e.stack = redactSecrets(e.stack, secrets);
    if (e.command && Array.isArray(e.command.args)) {
      const name = String(e.command.name ?? '').toLowerCase();
      e.command.args = name === 'auth' || name === 'hello' ? e.command.args.map(() => MASK) : e.command.args.map((a) => (typeof a === 'string' ? redactSecrets(a, secrets) : a));
    }
  } catch {
    /* a frozen error: leave it */
  }
  if (e.cause) redactError(e.cause, secrets, seen);
  return err;
}
