/** One line of the benchmark table, and of the JSON written by `--json PATH`. */
export interface BenchRow {
  readonly name: string;
  /** `null` when the row could not be measured (skipped or failed). */
  readonly value: number | null;
  readonly unit: string;
  /** What the README promises, e.g. `≤ 2`; `null` for rows that only inform. */
  readonly goal: string | null;
  /** `null` where there is no goal, or nothing was measured. */
  readonly met: boolean | null;
}

/** A promise of the README, with the test that decides whether a measured value keeps it. */
export interface Goal {
  readonly text: string;
  readonly test: (value: number) => boolean;
}

export const atMost = (limit: number): Goal => ({
  text: `≤ ${limit}`,
  test: (value) => value <= limit,
});

export const below = (limit: number): Goal => ({
  text: `< ${limit}`,
  test: (value) => value < limit,
});

export const exactly = (expected: number): Goal => ({
  text: `= ${expected}`,
  test: (value) => value === expected,
});

/** A measured row. `digits` rounds the value for display and JSON alike. */
export function row(name: string, value: number, unit: string, goal?: Goal, digits = 0): BenchRow {
  const rounded = roundTo(value, digits);
  return {
    name,
    value: rounded,
    unit,
    goal: goal?.text ?? null,
    // Judged on the unrounded value: rounding must not turn 2.004 into a pass of "≤ 2".
    met: goal ? goal.test(value) : null,
  };
}

/** A row that could not be measured in this run; `why` ends up in its name. */
export function notMeasured(name: string, unit: string, why: string, goal?: Goal): BenchRow {
  return { name: `${name} (${why})`, value: null, unit, goal: goal?.text ?? null, met: null };
}

function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
