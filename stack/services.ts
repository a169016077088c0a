// The local stack the demo runs on: Temporal dev server (SQLite under var/, Web UI on :8233),
// redis-server (loopback, AOF, data under var/), the Binance-compatible server and the worker.
// Each runs detached with a pid file under var/run, so `npm run stop` can stop it from another
// terminal, and a second `npm run demo` reuses what is already running.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { paths, redisServer, temporalCli } from './tools';
import { redisArgs } from './redis';
import { waitForPort } from './ports';

export interface ServiceDef {
  name: string;
  port: number;
  command(): { cmd: string; args: string[]; env?: NodeJS.ProcessEnv };
  /** Seconds to wait for the port to open. */
  startTimeout?: number;
}

import { STACK_PORTS } from '../config';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
export { STACK_PORTS };

/** `--search-attribute Name=Keyword` for each of Trainflow's search attributes. */
function searchAttributeArgs(): string[] {
  const cliType = (t: string) => t.charAt(0) + t.slice(1).toLowerCase().replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
  return SEARCH_ATTRIBUTES.flatMap((k) => ['--search-attribute', `${k.name}=${cliType(k.type)}`]);
}

const run = (...p: string[]) => path.join(paths.var, 'run', ...p);
const log = (...p: string[]) => path.join(paths.var, 'log', ...p);

export function stackServices(): ServiceDef[] {
  return [
    {
      name: 'temporal',
      port: STACK_PORTS.temporal,
      startTimeout: 60,
      command: () => {
        mkdirSync(path.join(paths.var, 'temporal'), { recursive: true });
        return {
          cmd: temporalCli(),
          args: ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(STACK_PORTS.temporal),
            '--ui-port', String(STACK_PORTS.temporalUi), '--db-filename', path.join(paths.var, 'temporal', 'temporal.db'),
            ...searchAttributeArgs(), '--log-level', 'warn'],
        };
      },
    },
    {
      name: 'redis',
      port: STACK_PORTS.redis,
      command: () => {
        const dir = path.join(paths.var, 'redis');
        mkdirSync(dir, { recursive: true });
        return { cmd: redisServer(), args: redisArgs(STACK_PORTS.redis, dir) };
      },
    },
    {
      name: 'binance',
      port: STACK_PORTS.binance,
      command: () => ({ cmd: process.execPath, args: ['--import', 'tsx', path.join(paths.root, 'stack/binance-server/main.ts'), '--port', String(STACK_PORTS.binance)] }),
    },
  ];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runningPid(name: string): number | undefined {
  const file = run(`${name}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return pid && alive(pid) ? pid : undefined;
}

/** Starts a detached process with its output in var/log/<name>.log and its pid in var/run. */
export function spawnDetached(name: string, cmd: string, args: string[], env?: NodeJS.ProcessEnv): number {
  mkdirSync(run(), { recursive: true });
  mkdirSync(log(), { recursive: true });
  const out = openSync(log(`${name}.log`), 'a');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env }, cwd: paths.root });
  closeSync(out);
  child.unref();
  writeFileSync(run(`${name}.pid`), String(child.pid));
  return child.pid!;
}

/** Starts the service unless ours is already running; returns whether this call started it. */
export async function ensureService(def: ServiceDef): Promise<{ started: boolean; pid: number }> {
  const existing = runningPid(def.name);
  if (existing) {
    await waitForPort(def.port, '127.0.0.1', (def.startTimeout ?? 20) * 1000);
    return { started: false, pid: existing };
  }
  const portBusy = await waitForPort(def.port, '127.0.0.1', 300).then(() => true, () => false);
  if (portBusy) throw new Error(`port ${def.port} is in use by another program; ${def.name} cannot start (stop it or free the port)`);
  const { cmd, args, env } = def.command();
  const pid = spawnDetached(def.name, cmd, args, env);
  try {
    await waitForPort(def.port, '127.0.0.1', (def.startTimeout ?? 20) * 1000);
  } catch {
    throw new Error(`${def.name} did not start; see ${log(`${def.name}.log`)}`);
  }
  return { started: true, pid };
}

/** Stops one service started by the stack (SIGTERM to its process group, then SIGKILL). */
export async function stopService(name: string): Promise<boolean> {
  const pid = runningPid(name);
  rmSync(run(`${name}.pid`), { force: true });
  if (!pid) return false;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) signal('SIGKILL');
  return true;
}

export const STACK_ORDER = ['worker', 'binance', 'redis', 'temporal'];
