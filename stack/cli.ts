// `tsx stack/cli.ts up|stop|status`: the local stack, without running a pipeline.
import { ensureService, runningPid, STACK_ORDER, stackServices, stopService } from './services';

async function main(cmd = 'status'): Promise<void> {
  if (cmd === 'up') {
    for (const s of stackServices()) {
      const { started, pid } = await ensureService(s);
      console.log(`${s.name.padEnd(9)} ${started ? 'started' : 'running'} (pid ${pid}, port ${s.port})`);
    }
  } else if (cmd === 'stop') {
    for (const name of STACK_ORDER) {
      if (await stopService(name)) console.log(`stopped ${name}`);
    }
  } else if (cmd === 'status') {
    for (const name of STACK_ORDER) {
      const pid = runningPid(name);
      console.log(`${name.padEnd(9)} ${pid ? `running (pid ${pid})` : 'stopped'}`);
    }
  } else {
    console.error(`usage: tsx stack/cli.ts up|stop|status`);
    process.exitCode = 2;
  }
}

main(process.argv[2]).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
