import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { WeirEnvironment } from '../interfaces/weir-auth-module-options.interface.js';
import { IsWeirUrl } from './is-weir-url.decorator.js';

/** @internal */
export class WeirRetryOptionsSchema {
  @IsOptional() @IsInt() @Min(1) @Max(10) attempts?: number;
  @IsOptional() @IsInt() @Min(0) baseDelayMs?: number;
  @IsOptional() @IsInt() @Min(0) maxDelayMs?: number;
}

/** @internal */
export class WeirRateLimitWindowSchema {
  @IsInt() @Min(1) limit!: number;
  @IsInt() @Min(1) windowMs!: number;
}

/**
 * @internal The shape `WeirAuthModuleOptions` must have, checked once at start-up. Messages name
 * the key and the rule, never the value, so a misplaced secret cannot end up in a log.
 */
export class WeirAuthOptionsSchema {
  @IsString()
  @IsNotEmpty()
  @Matches(/^[^:]*$/, { message: "clientId must not contain ':' (HTTP Basic cannot carry it)" })
  clientId!: string;
  @IsString() @IsNotEmpty() secretKey!: string;
  @IsOptional() @IsIn(['production', 'development']) environment?: WeirEnvironment;
  @IsOptional() @IsWeirUrl() baseUrl?: string;
  @IsOptional() @IsArray() @IsWeirUrl({ each: true }) allowedOrigins?: string[];
  @IsOptional() @IsInt() @Min(1) requestTimeoutMs?: number;
  @IsOptional() @IsInt() @Min(256) maxResponseBytes?: number;
  @IsOptional() @IsInt() @Min(0) refreshAheadMs?: number;
  @IsOptional() @IsNumber() @Min(0) @Max(0.9) refreshAheadRatio?: number;
  @IsOptional() @IsBoolean() keepFresh?: boolean;
  @IsOptional()
  @ValidateNested()
  @Type(() => WeirRetryOptionsSchema)
  retry?: WeirRetryOptionsSchema;
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => WeirRateLimitWindowSchema)
  rateLimits?: WeirRateLimitWindowSchema[];
  @IsOptional() @IsInt() @Min(0) maxRateLimitWaitMs?: number;
  @IsOptional() @IsInt() @Min(0) invalidCredentialsBackoffMs?: number;
  @IsOptional() @IsInt() @Min(1) healthProbeTimeoutMs?: number;
  @IsOptional() @IsInt() @Min(1) storeTimeoutMs?: number;
}
