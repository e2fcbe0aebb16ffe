import type { INestApplication } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { WeirAuthModule, type WeirAuthModuleOptions } from 'nestjs-weir-auth';
// The controller the README shows, so the README's snippet is the one tested here.
import { HealthController } from '../readme/snippets/health.module';

/** An app with Terminus, the Weir module and `GET /health`, listening on 127.0.0.1. */
export async function startHealthApp(options: WeirAuthModuleOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [TerminusModule.forRoot({ logger: false }), WeirAuthModule.forRoot(options)],
    controllers: [HealthController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return app;
}

/** Real time plus jumps, for the module (`clock`) and the fake server (`now`): minutes in no time. */
export class SteppedClock {
  private offsetMs = 0;

  readonly now = (): number => performance.now() + this.offsetMs;
  readonly wallNow = (): number => Date.now() + this.offsetMs;

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
