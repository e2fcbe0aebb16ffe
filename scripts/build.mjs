#!/usr/bin/env node
// Builds the package twice from lib/ with tsc (not esbuild: decorator metadata has to be kept):
//   dist/esm  ES modules    tsconfig.build.json      + dist/esm/package.json {"type":"module"}
//   dist/cjs  CommonJS      tsconfig.build.cjs.json  + dist/cjs/package.json {"type":"commonjs"}
// each with its .d.ts, then checks that every file the exports map names was emitted.
//
// Usage: node scripts/build.mjs [--out-dir DIR]   (DIR defaults to ./dist; tests build into a temp dir)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');

const outArg = process.argv.indexOf('--out-dir');
const outDir = outArg === -1 ? join(root, 'dist') : resolve(process.argv[outArg + 1]);

const targets = [
  { name: 'esm', project: 'tsconfig.build.json', type: 'module' },
  { name: 'cjs', project: 'tsconfig.build.cjs.json', type: 'commonjs' },
];

/** Runs tsc; resolves to its output (errors and all) and whether it succeeded. */
function runTsc(project, out) {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [tsc, '-p', join(root, project), '--outDir', out], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolvePromise({ project, ok: false, output: String(error) }));
    child.on('close', (code) => resolvePromise({ project, ok: code === 0, output }));
  });
}

/** Every file path that package.json's main/module/types/exports point to. */
function manifestTargets(manifest) {
  const found = new Set();
  const walk = (value) => {
    if (typeof value === 'string') found.add(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  for (const field of ['main', 'module', 'types']) walk(manifest[field]);
  return [...found].filter((target) => target.startsWith('./dist/'));
}

rmSync(outDir, { recursive: true, force: true });
const started = Date.now();
// Two cores on CI: the two compilations run side by side.
const results = await Promise.all(
  targets.map(({ name, project }) => runTsc(project, join(outDir, name))),
);
const failures = results.filter((result) => !result.ok);
if (failures.length > 0) {
  // Both configs see the same sources, so they usually fail alike: print each distinct output once.
  for (const output of new Set(failures.map((failure) => failure.output.trim()))) {
    console.error(output);
  }
  console.error(`build: failed: tsc -p ${failures.map((failure) => failure.project).join(', ')}`);
  process.exit(1);
}
for (const { name, type } of targets) {
  mkdirSync(join(outDir, name), { recursive: true });
  writeFileSync(join(outDir, name, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = manifestTargets(manifest)
  .map((target) => join(outDir, target.slice('./dist/'.length)))
  .filter((file) => !existsSync(file));
if (missing.length > 0) {
  console.error(
    `build: package.json points to files that were not emitted (is an entry point missing in lib/?):\n  ${missing
      .map((file) => relative(root, file))
      .join('\n  ')}`,
  );
  process.exit(1);
}
console.log(`build: ${relative(root, outDir) || '.'}/{esm,cjs} in ${Date.now() - started} ms`);
