// One anchor contender in a process of its own: a cold herd, then steady calls across several
// token expiries, then a report line. Then it just returns: the parent checks that the process
// exits by itself, without anything being closed.
import 'reflect-metadata';
import { REPORT_PREFIX, type AnchorChildPlan, type AnchorChildReport } from './child-protocol.js';
import { loadContender } from './contender.js';

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2]!) as AnchorChildPlan;
  const contender = await (await loadContender(plan.contender))(plan.target);
  let calls = 0;
  let failedForCaller = 0;
  const call = async () => {
    calls++;
    if ((await contender.echo()) !== 200) failedForCaller++;
  };

  await Promise.all(Array.from({ length: plan.herdCallers }, call));
  const herdDoneAt = Date.now();

  const until = performance.now() + plan.runMs;
  const loop = async () => {
    while (performance.now() < until) await call();
  };
  await Promise.all(Array.from({ length: plan.concurrency }, loop));

  const report: AnchorChildReport = {
    herdDoneAt,
    calls,
    failedForCaller,
    openResources: process.getActiveResourcesInfo(),
  };
  process.stdout.write(`${REPORT_PREFIX}${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
