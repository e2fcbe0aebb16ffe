import { Module } from '@nestjs/common';
import { EmbeddedWeirModule } from '../embedded-weir/embedded-weir.module';
import { WeirController } from './weir.controller';
import { WeirService } from './weir.service';

/** The feature module: its service uses WeirTokenService and WeirHttpService (WeirAuthModule is global). */
@Module({
  imports: [EmbeddedWeirModule],
  controllers: [WeirController],
  providers: [WeirService],
})
export class WeirModule {}
