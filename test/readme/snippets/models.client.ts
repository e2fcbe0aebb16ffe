import { Injectable } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { WeirHttpService } from 'nestjs-weir-auth';

@Injectable()
export class ModelsClient {
  constructor(private readonly weir: WeirHttpService) {}

  async echo(): Promise<unknown> {
    const { data } = await firstValueFrom(this.weir.get('/v1/echo'));
    return data;
  }
}
