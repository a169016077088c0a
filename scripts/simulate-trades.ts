// Regenerates data/trades/simulated-2023-04.jsonl (see data/trades/README.md).
import { writeFileSync } from 'node:fs';
import { renderSimulatedTrades, SIMULATED_FILE, simulateDemoTrades } from '../activities/trades/simulated-file';

const trades = simulateDemoTrades();
writeFileSync(SIMULATED_FILE, renderSimulatedTrades(trades));
const bySymbol: Record<string, number> = {};
for (const t of trades) bySymbol[t.symbol] = (bySymbol[t.symbol] ?? 0) + 1;
console.log(`${SIMULATED_FILE}: ${trades.length} trades`, bySymbol);
