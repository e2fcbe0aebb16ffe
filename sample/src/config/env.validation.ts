import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import type { WeirEnvironment } from 'nestjs-weir-auth';

/**
 * The environment variables the sample reads, checked by `ConfigModule` at start-up.
 *
 * With neither `WEIR_CLIENT_ID` nor `WEIR_SECRET_KEY` set, the sample calls an embedded
 * `FakeWeirServer`; with both, the real Weir API.
 */
export class EnvironmentVariables {
  /** Port the sample listens on. Default 3000; 0 picks a free one. */
  // class-validator checks the decorators from the bottom up, and stops at the first that fails.
  @Max(65535)
  @Min(0)
  @IsInt()
  PORT: number = 3000;

  /** Client id issued by Weir. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  WEIR_CLIENT_ID?: string;

  /** Secret key issued by Weir. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  WEIR_SECRET_KEY?: string;

  /** `production` (https://api.weir.ai, the default) or `development` (https://api-dev.weir.ai). */
  @IsOptional()
  @IsIn(['production', 'development'])
  WEIR_ENVIRONMENT?: WeirEnvironment;

  /** Overrides the environment's base URL. WeirAuthModule checks it (https, or http to loopback). */
  @IsOptional()
  @IsString()
  WEIR_API_URL?: string;

  /** Path of the real Weir API that `GET /weir/echo` calls, e.g. `/v1/...`. */
  @IsOptional()
  @Matches(/^\/(?!\/)/, { message: 'WEIR_SAMPLE_PATH must be a path that starts with one "/"' })
  WEIR_SAMPLE_PATH?: string;
}

/** Whether the environment names no Weir credentials, so that the embedded fake API is used. */
export function usesEmbeddedWeir(
  env: Pick<EnvironmentVariables, 'WEIR_CLIENT_ID' | 'WEIR_SECRET_KEY'>,
) {
  return env.WEIR_CLIENT_ID === undefined && env.WEIR_SECRET_KEY === undefined;
}

/**
 * `ConfigModule.forRoot({ validate })`: converts and checks the environment, and throws an error
 * naming every bad variable (never its value) so that start-up stops.
 */
export function validateEnvironment(config: Record<string, unknown>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, config, { enableImplicitConversion: true });
  const problems = validateSync(env, {
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  }).flatMap((error) => Object.values(error.constraints ?? {}));

  if ((env.WEIR_CLIENT_ID === undefined) !== (env.WEIR_SECRET_KEY === undefined)) {
    problems.push(
      'WEIR_CLIENT_ID and WEIR_SECRET_KEY must be set together (or neither, for the embedded fake Weir API)',
    );
  } else if (usesEmbeddedWeir(env)) {
    for (const key of ['WEIR_ENVIRONMENT', 'WEIR_API_URL'] as const) {
      if (env[key] !== undefined) {
        problems.push(
          `${key} selects a real Weir API, which needs WEIR_CLIENT_ID and WEIR_SECRET_KEY; unset it to use the embedded fake`,
        );
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return env;
}
