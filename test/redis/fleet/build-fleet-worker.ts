import { transformFile, type Options } from '@swc/core';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import swcDecorators from '../../../scripts/swc-decorators.json';

const ROOT = resolve(__dirname, '../../..');
const WORKER_SOURCE = join(__dirname, 'fleet-worker.ts');

// The same transform jest applies, but to ES modules: Nest 12 ships ESM only, and Node runs the
// output as it is, with no hook in the worker processes.
const SWC_OPTIONS: Options = {
  swcrc: false,
  jsc: swcDecorators as Options['jsc'],
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

/** The fleet worker compiled with the library it runs, ready for `node <entry>`. */
export interface FleetWorkerBuild {
  readonly entry: string;
  dispose(): Promise<void>;
}

/**
 * Compiles lib/ and the fleet worker into a directory of their own. It lies under node_modules so
 * that the compiled files resolve their packages (Nest, ioredis) as the sources do.
 */
export async function buildFleetWorker(): Promise<FleetWorkerBuild> {
  const cache = join(ROOT, 'node_modules', '.cache');
  await mkdir(cache, { recursive: true });
  const outDir = await mkdtemp(join(cache, 'nestjs-weir-auth-fleet-'));
  // The worker imports fleet-protocol.ts for types only: nothing else of test/ is needed.
  const sources = [...(await typeScriptFiles(join(ROOT, 'lib'))), WORKER_SOURCE];
  await Promise.all(
    sources.map(async (source) => {
      const { code } = await transformFile(source, SWC_OPTIONS);
      const target = join(outDir, relative(ROOT, source)).replace(/\.ts$/, '.js');
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, code);
    }),
  );
  await writeFile(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  return {
    entry: join(outDir, relative(ROOT, WORKER_SOURCE)).replace(/\.ts$/, '.js'),
    dispose: () => rm(outDir, { recursive: true, force: true }),
  };
}

async function typeScriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /(?<!\.d|\.spec)\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}
