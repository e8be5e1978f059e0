import { Global, Module } from '@nestjs/common';
import { ShutdownService } from './shutdown.service.js';

/** Global: readiness and whoever else must know that the instance is draining. */
@Global()
@Module({
  providers: [ShutdownService],
  exports: [ShutdownService],
})
export class ShutdownModule {}
