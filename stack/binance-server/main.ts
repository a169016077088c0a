// Runs the local Binance-compatible server: tsx stack/binance-server/main.ts --port 9090
//   [--latency-ms 50] [--weight-limit 6000] [--weight-window-ms 60000] [--data-dir data/klines]
//   [--preload]  (parse every symbol and build its 1m rows before listening)
//   [--preload-archives]  (also build every monthly and daily 1m archive)
//   [--same-ip-weight N]  (another client on this IP spends N weight per window, seen in the header)
import { startBinanceServer } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string) => (arg(name) === undefined ? undefined : Number(arg(name)));

async function main() {
  const server = await startBinanceServer({
    port: num('port') ?? 9090,
    host: arg('host') ?? '127.0.0.1',
    dataDir: arg('data-dir'),
    latencyMs: num('latency-ms'),
    weightLimit: num('weight-limit'),
    weightWindowMs: num('weight-window-ms'),
    preload: process.argv.includes('--preload-archives') ? 'archives' : process.argv.includes('--preload'),
    sameIpWeightPerWindow: num('same-ip-weight'),
  });
  console.log(`binance-compatible server listening on ${server.url}`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
