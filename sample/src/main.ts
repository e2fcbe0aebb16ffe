import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import type { EnvironmentVariables } from './config/env.validation';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // SIGINT / SIGTERM close the app: in-flight requests end, then the embedded fake Weir API stops.
  app.enableShutdownHooks();
  const config = app.get<ConfigService<EnvironmentVariables, true>>(ConfigService);
  await app.listen(config.get('PORT', { infer: true }));
  const url = await app.getUrl();
  new Logger('Sample').log(`Listening on ${url}: GET /health, /weir/token, /weir/echo`);
}

void bootstrap();
