// Runs klines.fromTicks in its own process, printing each heartbeat, so a test can kill -9 it
// mid-run: argv = redis URL, then the activity input as JSON.
import Redis from 'ioredis';
import { localContext } from '../../activities/context';
import { klinesFromTicks } from '../../activities/klines/from-ticks';

async function main() {
  const redis = new Redis(process.argv[2], { maxRetriesPerRequest: null });
  const ctx = localContext({ quiet: true, onHeartbeat: (d) => console.log(`heartbeat ${JSON.stringify(d)}`) });
  const r = await klinesFromTicks(JSON.parse(process.argv[3]), ctx, { redis });
  console.log(`done ${JSON.stringify(r)}`);
  redis.disconnect();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
