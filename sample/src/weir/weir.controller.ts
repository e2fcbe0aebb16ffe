import { Controller, Get, UseInterceptors } from '@nestjs/common';
import { WeirErrorsInterceptor } from './weir-errors.interceptor';
import { WeirService, type WeirEchoView, type WeirTokenView } from './weir.service';

@Controller('weir')
@UseInterceptors(WeirErrorsInterceptor)
export class WeirController {
  constructor(private readonly weir: WeirService) {}

  /** The current token's status: expiry, when it was obtained, which API. Never the token. */
  @Get('token')
  token(): Promise<WeirTokenView> {
    return this.weir.tokenStatus();
  }

  /** A call through WeirHttpService: the embedded fake's `GET /v1/echo`, or `WEIR_SAMPLE_PATH`. */
  @Get('echo')
  echo(): Promise<WeirEchoView> {
    return this.weir.echo();
  }
}
