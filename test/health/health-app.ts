import { Controller, Get, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import {
  WeirAuthHealthIndicator,
  WeirAuthModule,
  type WeirAuthModuleOptions,
} from 'nestjs-weir-auth';

/** The controller the README shows. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly weirAuth: WeirAuthHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.weirAuth.isHealthy()]);
  }
}

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
