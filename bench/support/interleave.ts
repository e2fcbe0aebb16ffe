import { median } from './stats.js';

export interface LoopPlan {
  /** Calls per contender per round. */
  readonly iterations: number;
  /** Measured rounds; each contender runs once per round, in a rotating order. */
  readonly rounds: number;
  /** Rounds run first and thrown away, so the JIT has settled before anything counts. */
  readonly warmupRounds: number;
}

/**
 * Times sequential awaited calls of each contender, side by side: every round runs each contender
 * once (the order rotates, so none always runs first after a GC), and the result is ns/op per
 * round for each. Compare contenders by per-round ratios, then take the median.
 */
export async function interleavedNsPerOp<K extends string>(
  contenders: Readonly<Record<K, () => Promise<unknown>>>,
  plan: LoopPlan,
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const loops = new Map(names.map((name) => [name, compileTimeLoop()]));
  const results = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let round = -plan.warmupRounds; round < plan.rounds; round++) {
    for (let turn = 0; turn < names.length; turn++) {
      const name = names[(turn + Math.max(0, round)) % names.length]!;
      const ns = await loops.get(name)!(contenders[name], plan.iterations);
      if (round >= 0) results[name].push(ns / plan.iterations);
    }
  }
  return results;
}

type TimeLoop = (call: () => Promise<unknown>, iterations: number) => Promise<number>;

/**
 * A freshly compiled copy of the timing loop. One loop shared by every contender would make its
 * call site polymorphic (V8 shares type feedback between closures of one function literal), and
 * slow each contender by an amount that depends on the others.
 */
function compileTimeLoop(): TimeLoop {
  return new Function(`
    return async function timeLoop(call, iterations) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) await call();
      return Number(process.hrtime.bigint() - started);
    };
  `)() as TimeLoop;
}

/** Median ns/op of each contender and the median of the per-round ratios `a / b`. */
export function compare(a: readonly number[], b: readonly number[]) {
  return {
    a: median(a),
    b: median(b),
    ratio: median(a.map((value, round) => value / b[round]!)),
  };
}
