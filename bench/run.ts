// `npm run bench [-- --json PATH] [-- --only id,id]`: runs every benchmark group in turn, prints
// one table, and writes it as JSON when asked. Not part of `npm test`.
import 'reflect-metadata';
import { cpus } from 'node:os';
import { anchorRows } from './rows/anchors.js';
import { cachedTokenRows } from './rows/cached-token.js';
import { coldHerdRows } from './rows/cold-herd.js';
import { httpOverheadRows } from './rows/http-overhead.js';
import { memoryRows } from './rows/memory.js';
import { redisFleetRows } from './rows/redis-fleet.js';
import { simulatedDayRows } from './rows/simulated-day.js';
import type { BenchRow } from './support/rows.js';
import { formatTable, writeJson } from './support/table.js';
import { withTimeout } from './support/time.js';

interface Group {
  readonly id: string;
  readonly title: string;
  /** A hung group must not hang the whole run. */
  readonly timeoutMs: number;
  readonly run: () => Promise<BenchRow[]>;
}

const GROUPS: readonly Group[] = [
  { id: 'cached', title: 'cached token', timeoutMs: 60_000, run: cachedTokenRows },
  { id: 'http', title: 'WeirHttpService overhead', timeoutMs: 120_000, run: httpOverheadRows },
  { id: 'herd', title: 'cold herd', timeoutMs: 60_000, run: coldHerdRows },
  { id: 'day', title: 'simulated day', timeoutMs: 120_000, run: simulatedDayRows },
  { id: 'fleet', title: 'fleet with Redis', timeoutMs: 180_000, run: redisFleetRows },
  { id: 'anchors', title: 'anchors', timeoutMs: 180_000, run: anchorRows },
  { id: 'memory', title: 'memory and handles', timeoutMs: 60_000, run: memoryRows },
];

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const groups = args.only ? GROUPS.filter((group) => args.only!.includes(group.id)) : GROUPS;
  if (typeof global.gc !== 'function') {
    throw new Error('run with node --expose-gc (npm run bench does)');
  }
  const rows: BenchRow[] = [];
  let failures = 0;
  for (const [index, group] of groups.entries()) {
    const started = performance.now();
    process.stderr.write(`bench: [${index + 1}/${groups.length}] ${group.title} … `);
    try {
      rows.push(...(await withTimeout(group.title, group.timeoutMs, group.run())));
      process.stderr.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      failures++;
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`failed: ${error instanceof Error ? error.stack : message}\n`);
      rows.push({
        name: `${group.title}: failed (${message})`,
        value: null,
        unit: '',
        goal: null,
        met: false,
      });
    }
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  process.stdout.write(
    `\nnestjs-weir-auth benchmarks — node ${process.version}, ${cpus().length} × ${cpu}\n\n`,
  );
  process.stdout.write(`${formatTable(rows)}\n`);
  if (args.json) {
    writeJson(args.json, rows);
    process.stdout.write(`\nwrote ${args.json}\n`);
  }
  if (failures > 0) process.exitCode = 1;
  // The run must end on its own; if a handle is left open by mistake, name it and stop anyway.
  setTimeout(() => {
    process.stderr.write(
      `bench: still running 10 s after the table; open: ${process.getActiveResourcesInfo().join(', ')}\n`,
    );
    process.exit(1);
  }, 10_000).unref();
}

function parseArgs(argv: readonly string[]): { json?: string; only?: string[] } {
  const parsed: { json?: string; only?: string[] } = {};
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    if (argv[i] === '--json' && value) parsed.json = argv[++i];
    else if (argv[i] === '--only' && value) parsed.only = argv[++i]!.split(',');
    else
      throw new Error(
        `unknown argument ${argv[i]}; usage: npm run bench [-- --json PATH] [--only ids]`,
      );
  }
  return parsed;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
