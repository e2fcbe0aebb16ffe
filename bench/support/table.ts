import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchRow } from './rows.js';

const HEADER = ['name', 'value', 'unit', 'goal', 'met'] as const;

/** The rows as a plain text table, columns padded to align; numbers right-aligned. */
export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => [
    row.name,
    row.value === null ? '-' : formatNumber(row.value),
    row.unit,
    row.goal ?? '-',
    row.met === null ? '-' : row.met ? 'yes' : 'NO',
  ]);
  const widths = HEADER.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]!.length)),
  );
  const render = (line: readonly string[]) =>
    line
      .map((cell, column) =>
        column === 1 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-|-');
  return [render(HEADER), rule, ...cells.map(render)].join('\n');
}

/** `{ "rows": [...] }`, the shape the README documents for `npm run bench -- --json PATH`. */
export function writeJson(path: string, rows: readonly BenchRow[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ rows }, null, 2)}\n`);
}

function formatNumber(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}
