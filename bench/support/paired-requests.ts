import type { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';
import { median, percentile } from './stats.js';

export interface InterleavePlan {
  /** Requests per contender per round. */
  readonly perRound: number;
  readonly rounds: number;
  /** Requests per contender sent first and not counted: connections opened, JIT settled. */
  readonly warmup: number;
}

/** Latencies in ms: `[round][contender][request]`. */
export type RoundSamples = number[][][];

/**
 * Sends `GET path` through each HTTP service in turn, one request at a time, cycling through every
 * order of the contenders (for two: a b, b a, …), so that each sees the same machine, server and
 * connection state, and follows each other contender equally often.
 */
export async function interleavedGets(
  contenders: readonly HttpService[],
  path: string,
  plan: InterleavePlan,
): Promise<RoundSamples> {
  const orders = permutations(contenders.map((_, index) => index));
  for (let i = 0; i < plan.warmup; i++) {
    for (const contender of contenders) await timedGet(contender, path);
  }
  const rounds: RoundSamples = [];
  for (let round = 0; round < plan.rounds; round++) {
    const samples = contenders.map(() => [] as number[]);
    for (let i = 0; i < plan.perRound; i++) {
      for (const index of orders[i % orders.length]!) {
        samples[index]!.push(await timedGet(contenders[index]!, path));
      }
    }
    rounds.push(samples);
  }
  return rounds;
}

export interface LatencyComparison {
  /** Medians over rounds of each one's median and p99, in ms. */
  readonly medianMs: { readonly a: number; readonly b: number };
  readonly p99Ms: { readonly a: number; readonly b: number };
  /** Median over rounds of `median(a) / median(b)`: drift and bursts of noise stay in their round. */
  readonly medianRatio: number;
  /**
   * p99 of all of `a`'s requests over p99 of all of `b`'s. A round holds too few requests for its
   * own p99 (600 requests: the 6th slowest, one scheduler hiccup); pooled, it is the 90th slowest
   * of 9,000, and interleaving keeps drift the same for both.
   */
  readonly p99Ratio: number;
}

/** Compares contender `a` with contender `b` of the same rounds. */
export function compareLatencies(rounds: RoundSamples, a: number, b: number): LatencyComparison {
  const over = (pick: (samples: number[][]) => number) => median(rounds.map(pick));
  const p99 = (values: number[]) => percentile(values, 99);
  return {
    medianMs: { a: over((s) => median(s[a]!)), b: over((s) => median(s[b]!)) },
    p99Ms: { a: over((s) => p99(s[a]!)), b: over((s) => p99(s[b]!)) },
    medianRatio: over((s) => median(s[a]!) / median(s[b]!)),
    p99Ratio: p99(rounds.flatMap((s) => s[a]!)) / p99(rounds.flatMap((s) => s[b]!)),
  };
}

async function timedGet(http: HttpService, path: string): Promise<number> {
  const started = performance.now();
  const response = await firstValueFrom(http.get(path));
  const took = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  return took;
}

function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}
