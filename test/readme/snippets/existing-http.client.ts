import { HttpService } from '@nestjs/axios';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { WeirAuthInterceptor } from 'nestjs-weir-auth';

@Injectable()
export class ExistingHttpClient implements OnModuleDestroy {
  private readonly detach: () => void;

  constructor(
    readonly http: HttpService,
    interceptor: WeirAuthInterceptor,
  ) {
    this.detach = interceptor.attach(http);
  }

  onModuleDestroy(): void {
    this.detach();
  }
}
