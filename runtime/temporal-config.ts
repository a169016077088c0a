// How the worker and the client reach Temporal. The local dev server (plain gRPC on loopback) is
// the default; a cluster is configured the way every Temporal SDK and the Temporal CLI read it
// (@temporalio/envconfig): TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS,
// TEMPORAL_TLS_CLIENT_CERT_PATH / _KEY_PATH / SERVER_CA_CERT_PATH (or *_DATA), TEMPORAL_TLS_SERVER_NAME,
// or a TOML file of profiles (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE), the variables winning.
// Secrets (API key, key material) are never part of a message: errors name files and keys only.
import { existsSync } from 'node:fs';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';

export type TemporalProfile = ClientConfigProfile;

export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string | Buffer>;
}

/** The profile from the environment and the config file it names (or the default one). */
export function loadTemporalProfile(env: NodeJS.ProcessEnv): TemporalProfile {
  const file = env.TEMPORAL_CONFIG_FILE;
  if (file !== undefined && !existsSync(file)) throw new Error(`TEMPORAL_CONFIG_FILE names ${file}, which does not exist`);
  try {
    return loadClientConfigProfile({ overrideEnvVars: env as Record<string, string>, configFileStrict: true });
  } catch (err) {
    throw new Error(`Temporal configuration${file ? ` (${file})` : ''}: ${safeConfigError(err)}`);
  }
}

/**
 * A TOML parser's error quotes the offending lines, which may hold an API key or key material:
 * keep the position and the reason only.
 */
function safeConfigError(err: unknown): string {
  const e = err as { message?: string; line?: number; column?: number };
  const reason = (e.message ?? String(err)).split('\n')[0];
  return e.line !== undefined ? `${reason} (line ${e.line}, column ${e.column})` : reason;
}

/** Connection options for `Connection.connect` and `NativeConnection.connect`. */
export function temporalConnectionOptions(config: { temporalAddress: string; temporal?: TemporalProfile }): TemporalConnectionOptions {
  if (!config.temporal) return { address: config.temporalAddress };
  let options: ReturnType<typeof toClientOptions>['connectionOptions'];
  try {
    options = toClientOptions(config.temporal).connectionOptions;
  } catch (err) {
    // Reading a certificate or key file: the message names the file, not its content.
    throw new Error(`Temporal TLS settings: ${(err as Error).message.split('\n')[0]}`);
  }
  return {
    address: config.temporalAddress,
    ...(options.tls !== undefined && options.tls !== null ? { tls: options.tls } : {}),
    ...(options.apiKey !== undefined ? { apiKey: options.apiKey } : {}),
    ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
  };
}

/** "host:port, namespace ns, TLS (client certificate, CA ..., server name x), API key": never a secret. */
export function describeTemporal(config: { temporalAddress: string; namespace: string; temporal?: TemporalProfile }): string {
  const parts = [config.temporalAddress, `namespace ${config.namespace}`];
  const p = config.temporal;
  const tlsOn = p?.tls ? !p.tls.disabled : p?.apiKey !== undefined;
  if (tlsOn) {
    const tls = p?.tls;
    const what = [
      tls?.clientCert ? 'client certificate' : undefined,
      tls?.serverCACert ? `CA ${'path' in tls.serverCACert ? tls.serverCACert.path : '(inline)'}` : undefined,
      tls?.serverName ? `server name ${tls.serverName}` : undefined,
    ].filter(Boolean);
    parts.push(`TLS${what.length ? ` (${what.join(', ')})` : ''}`);
  }
  if (p?.apiKey !== undefined) parts.push('API key');
  return parts.join(', ');
}
