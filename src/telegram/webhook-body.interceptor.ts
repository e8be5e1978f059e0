import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import {
  closeAfterAnswer,
  hasBody,
  readBody,
  RequestBodyException,
} from '../http/request-body.js';
import { WEBHOOK_BODY_LIMIT } from './telegram.constants.js';

/**
 * Reads the webhook's JSON body after the guards, so that a call without the
 * secret is refused before a byte of its body is read, and at most
 * {@link WEBHOOK_BODY_LIMIT} of it. A host app whose own body parser has read
 * the body already keeps its result.
 */
@Injectable()
export class WebhookBodyInterceptor implements NestInterceptor {
  async intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    try {
      await readJsonBody(request);
    } catch (error) {
      closeAfterAnswer(request, http.getResponse<Response>());
      throw error;
    }
    return next.handle();
  }
}

async function readJsonBody(request: Request): Promise<void> {
  // body-parser marks what it has read with _body; any other parser leaves a body.
  if ((request as { _body?: boolean })._body || request.body !== undefined)
    return;
  if (!hasBody(request)) return;
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(?:;|$)/i.test(type))
    throw new RequestBodyException(
      415,
      'Content-Type must be application/json',
    );
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(type)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset))
    throw new RequestBodyException(415, 'Unsupported charset');
  // Telegram sends plain JSON; a compressed body would be a way past the limit.
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity')
    throw new RequestBodyException(415, 'Unsupported body encoding');
  const text = (await readBody(request, WEBHOOK_BODY_LIMIT)).toString('utf8');
  // Objects and arrays only, as body-parser's strict mode: an update is an object.
  if (!/^[\s]*[{[]/.test(text))
    throw new RequestBodyException(400, 'Malformed JSON body');
  try {
    request.body = JSON.parse(text) as unknown;
  } catch {
    throw new RequestBodyException(400, 'Malformed JSON body');
  }
}
