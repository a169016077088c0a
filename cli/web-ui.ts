// Links into the Temporal Web UI. The local stack serves it on STACK_PORTS.temporalUi;
// TEMPORAL_UI_URL points elsewhere (a shared cluster's UI).
import { STACK_PORTS, type Config } from '../config';

export function webUiBase(env: NodeJS.ProcessEnv = process.env): string {
  return (env.TEMPORAL_UI_URL ?? `http://localhost:${STACK_PORTS.temporalUi}`).replace(/\/+$/, '');
}

export function runLink(config: Pick<Config, 'namespace'>, workflowId: string, runId?: string): string {
  const base = `${webUiBase()}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}
