/**
 * Builds and packs the package the way it is published, once, for every spec in test/package/.
 *
 * The repository (less node_modules, dist and .git) is copied to a temp dir, built there with
 * `scripts/build.mjs` and packed with `npm pack`, so the `files` list is what decides the tarball's
 * contents. The tarball is then installed into two scratch apps whose peers are symlinked from this
 * repository's node_modules: one with every peer, one without the optional ones
 * (`@nestjs/terminus`, `ioredis`).
 *
 * The result lives in `$TMPDIR/nestjs-weir-auth-package-<hash of the inputs>`: spec files running
 * in parallel workers, or in a later run with the same sources, share it; any change to lib/, the
 * manifest or the build gives a new one.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import * as ts from 'typescript';
import { npmCommand } from '../support/npm';

export const repoRoot = resolve(__dirname, '..', '..');

/** Entry points of the exports map, as a consumer names them. */
export const ENTRY_POINTS = [
  'nestjs-weir-auth',
  'nestjs-weir-auth/testing',
  'nestjs-weir-auth/redis',
];

/** Peers whose absence the package must survive. */
export const OPTIONAL_PEERS = ['@nestjs/terminus', 'ioredis'];

export interface PackedPackage {
  /** The copy of the repository that was built and packed; holds dist/. */
  readonly stagingDir: string;
  /** Absolute path of the `.tgz`. */
  readonly tarball: string;
  /** Paths in the tarball, relative to the package root (`npm pack --json`), sorted. */
  readonly packedFiles: readonly string[];
  /** A scratch app with the tarball installed and every peer dependency available. */
  readonly consumerWithAllPeers: string;
  /** A scratch app with the tarball installed, without the optional peers. */
  readonly consumerWithoutOptionalPeers: string;
}

const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'coverage', '.bench']);
const INPUTS = ['lib', 'scripts', 'test/package/packed-package.ts', 'test/support/npm.ts'];
const INPUT_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.build.json',
  'tsconfig.build.cjs.json',
  'README.md',
  'LICENSE',
  '.npmignore',
  '.gitignore',
];
const STALE_LOCK_MS = 5 * 60_000;

let memo: PackedPackage | undefined;

/** The built, packed and installed package; built on the first call (allow ~60 s). */
export function packedPackage(): PackedPackage {
  memo ??= loadOrBuild();
  return memo;
}

/** Runs a command, returning stdout; on failure the error carries stdout and stderr. */
export function run(
  file: string,
  args: readonly string[],
  options: ExecFileSyncOptions = {},
): string {
  try {
    return execFileSync(file, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
      ...options,
    }) as string;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      `${[file, ...args].join(' ')} failed:\n${String(stdout ?? '')}\n${String(stderr ?? '')}`,
      { cause: error },
    );
  }
}

/** Runs npm with the same node that runs the tests (else the npm on the PATH). */
export function npm(args: readonly string[], cwd: string): string {
  const command = npmCommand(args);
  return run(command.file, command.args, { cwd, shell: command.shell });
}

/** How a file refers to a module. */
export interface ModuleReference {
  /** `static`: import/export … from; `dynamic`: import(); `require`: require() or import = require(); `type`: `import('x')` in a type. */
  readonly kind: 'static' | 'dynamic' | 'require' | 'type';
  readonly specifier: string;
}

/** Every module reference in a TypeScript or JavaScript file (.ts, .d.ts, .js), in source order. */
export function moduleReferences(fileName: string, source: string): ModuleReference[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: ModuleReference[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ kind: 'static', specifier: node.moduleSpecifier.text });
    } else if (
      ts.isCallExpression(node) &&
      node.arguments.length > 0 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        found.push({ kind: 'dynamic', specifier: node.arguments[0].text });
      } else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') {
        found.push({ kind: 'require', specifier: node.arguments[0].text });
      }
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ kind: 'type', specifier: node.argument.literal.text });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ kind: 'require', specifier: node.moduleReference.expression.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The specifiers of {@link moduleReferences}. */
export function moduleSpecifiers(fileName: string, source: string): string[] {
  return moduleReferences(fileName, source).map((reference) => reference.specifier);
}

/** Every file below `dir`, as paths relative to it with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => statSync(join(dir, file)).isFile())
    .map((file) => file.split(sep).join('/'))
    .sort();
}

function inputsHash(): string {
  const hash = createHash('sha256').update(process.version);
  const files = [
    ...INPUTS.flatMap((input) => {
      const path = join(repoRoot, input);
      if (!existsSync(path)) return [];
      return statSync(path).isDirectory()
        ? listFiles(path).map((file) => `${input}/${file}`)
        : [input];
    }),
    ...INPUT_FILES.filter((file) => existsSync(join(repoRoot, file))),
  ].sort();
  for (const file of files) {
    hash.update(`\0${file}\0`).update(readFileSync(join(repoRoot, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function loadOrBuild(): PackedPackage {
  const base = join(tmpdir(), 'nestjs-weir-auth-package-');
  const dir = `${base}${inputsHash()}`;
  const manifestFile = join(dir, 'packed.json');
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 3 * 60_000;
  for (;;) {
    if (existsSync(manifestFile))
      return JSON.parse(readFileSync(manifestFile, 'utf8')) as PackedPackage;
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Another worker is building the same inputs: wait for it, unless it died.
      const lockAge =
        Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (lockAge > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`, { cause: error });
      sleep(250);
    }
  }
  try {
    removeOldBuilds(base, dir);
    const packed = build(dir);
    // Written last: its presence says the build is complete.
    writeFileSync(manifestFile, JSON.stringify(packed, null, 2));
    return packed;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function removeOldBuilds(base: string, keep: string): void {
  const parent = dirname(base);
  const prefix = base.slice(parent.length + 1);
  for (const name of readdirSync(parent)) {
    const path = join(parent, name);
    if (!name.startsWith(prefix) || path.startsWith(keep)) continue;
    // Leave alone what a concurrent run (with other sources) may still be using.
    if (Date.now() - statSync(path).mtimeMs < 30 * 60_000) continue;
    rmSync(path, { recursive: true, force: true });
  }
}

function build(workDir: string): PackedPackage {
  rmSync(workDir, { recursive: true, force: true });
  const stagingDir = join(workDir, 'repo');
  cpSync(repoRoot, stagingDir, {
    recursive: true,
    filter: (source) => {
      const rel = relative(repoRoot, source);
      return !rel.split(sep).some((part) => SKIPPED_DIRS.has(part)) && !rel.endsWith('.tgz');
    },
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(stagingDir, 'node_modules'), 'junction');

  run(process.execPath, [join(stagingDir, 'scripts', 'build.mjs')], { cwd: stagingDir });

  // prepack would build again: dist/ is fresh.
  const packOutput = npm(
    ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir],
    stagingDir,
  );
  const [packed] = JSON.parse(packOutput) as [{ filename: string; files: { path: string }[] }];
  const tarball = join(workDir, packed.filename);

  const consumerWithAllPeers = installConsumer(join(workDir, 'consumer-all-peers'), tarball, []);
  const consumerWithoutOptionalPeers = installConsumer(
    join(workDir, 'consumer-no-optional-peers'),
    tarball,
    OPTIONAL_PEERS,
  );
  return {
    stagingDir,
    tarball,
    packedFiles: packed.files.map((file) => file.path).sort(),
    consumerWithAllPeers,
    consumerWithoutOptionalPeers,
  };
}

/**
 * Installs the tarball with npm (no peers: `--legacy-peer-deps`), then links each peer from this
 * repository's node_modules, except `omit`. Linking after the install keeps npm from pruning them.
 */
function installConsumer(dir: string, tarball: string, omit: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `scratch-${omit.length ? 'partial' : 'full'}`, private: true }),
  );
  npm(
    [
      'install',
      '--no-save',
      '--no-package-lock',
      '--legacy-peer-deps',
      '--ignore-scripts',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      tarball,
    ],
    dir,
  );
  const manifest = JSON.parse(
    readFileSync(join(dir, 'node_modules', 'nestjs-weir-auth', 'package.json'), 'utf8'),
  ) as { peerDependencies?: Record<string, string> };
  for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
    if (omit.includes(peer)) continue;
    const target = join(repoRoot, 'node_modules', peer);
    if (!existsSync(target)) throw new Error(`peer ${peer} is not installed in ${repoRoot}`);
    mkdirSync(dirname(join(dir, 'node_modules', peer)), { recursive: true });
    symlinkSync(target, join(dir, 'node_modules', peer), 'junction');
  }
  return dir;
}
