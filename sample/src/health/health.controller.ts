import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { WeirAuthHealthIndicator } from 'nestjs-weir-auth';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly weirAuth: WeirAuthHealthIndicator,
  ) {}

  /** 200 while a Weir token can be had, 503 (with the reason) when not. */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.weirAuth.isHealthy('weir-auth')]);
  }
}
