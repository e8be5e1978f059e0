import { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { fileURLToPath } from 'node:url';
import { AppModule, type AppModuleOptions } from './app.module.js';

/** The Bot API caps an update far below this; anything larger is not from Telegram. */
export const MAX_BODY_SIZE = '1mb';

export interface CreateAppOptions extends AppModuleOptions {
  logger?: LoggerService | LogLevel[] | false;
}

/** Builds the whole service, configured the same way for `main.ts` and for the e2e tests. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bodyParser: false,
    logger: options.logger,
  });
  configureApp(app);
  return app;
}

function configureApp(app: NestExpressApplication): void {
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: MAX_BODY_SIZE });
  app.use(bodyParserErrors);
  app.useStaticAssets(fileURLToPath(new URL('../client', import.meta.url)));
  setUpSwagger(app);
  app.enableShutdownHooks();
}

/**
 * body-parser reports malformed and oversized bodies by throwing before Nest
 * sees the request; answer them as JSON, without the parser's stack trace.
 */
function bodyParserErrors(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  const status = (error as { status?: number })?.status;
  if (status === 400 || status === 413 || status === 415) {
    const message = status === 413 ? 'Request body too large' : status === 415 ? 'Unsupported body encoding' : 'Malformed JSON body';
    response.status(status).json({ statusCode: status, message });
    return;
  }
  next(error);
}

function setUpSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Telegram QR Auth')
    .setDescription(
      'Log in to a website with Telegram by scanning a QR code. The Socket.IO namespace `/auth` (events: `status`) is described in the README.',
    )
    .setVersion('1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: 'docs-json',
  });
}

