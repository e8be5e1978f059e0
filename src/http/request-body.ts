import { HttpException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const BODY_TOO_LARGE = 'Request body too large';

/**
 * A 400, 413 or 415 about the body itself, shaped `{ statusCode, message }`
 * (no `error`): the shape the README and the OpenAPI document give them.
 */
export class RequestBodyException extends HttpException {
  constructor(status: 400 | 413 | 415, message: string) {
    super({ statusCode: status, message }, status);
  }
}

/** Whether the request announces a body: chunked, or a Content-Length above 0. */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && length !== '0')
  );
}

/**
 * The body, read only while it stays within `limit` bytes. A Content-Length
 * over the limit is refused before a byte is read; a chunked body is cut off
 * (reading stops) the moment it passes the limit. Rejects with a
 * {@link RequestBodyException}; answer it with {@link closeAfterAnswer}.
 */
export function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer> {
  // Node has checked the header already: digits only, one value.
  if (Number(request.headers['content-length'] ?? 0) > limit)
    return Promise.reject(new RequestBodyException(413, BODY_TOO_LARGE));
  // Read by someone else already: no 'end' would come.
  if (request.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: () => void) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.pause();
      finish(() => reject(new RequestBodyException(413, BODY_TOO_LARGE)));
    };
    const onEnd = () => finish(() => resolve(Buffer.concat(chunks, size)));
    // The client went away mid-body (no 'end' came first): nobody is left to answer.
    const onClose = () =>
      finish(() =>
        reject(new RequestBodyException(400, 'Request body incomplete')),
      );
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('close', onClose);
  });
}

/**
 * Answering before the body has fully arrived: ask Node to close the
 * connection after the answer, instead of keeping it alive and reading (and
 * discarding) whatever the client still sends, for as long as it sends.
 */
export function closeAfterAnswer(
  request: IncomingMessage,
  response: ServerResponse,
): void {
  if (!request.complete && !response.headersSent)
    response.setHeader('Connection', 'close');
}

const KEPT_BODY = Symbol('keptBody');

/** A small body read by a middleware that checked its size (the app's 1 KiB limit), kept for the route. */
export function keepBody(request: IncomingMessage, body: Buffer): void {
  (request as IncomingMessage & { [KEPT_BODY]?: Buffer })[KEPT_BODY] = body;
}

/**
 * The body of a route that takes a small one (a form POST of a few fields):
 * what {@link keepBody} kept, or read here within `limit` bytes, or nothing
 * when someone else read it already.
 */
export async function smallBody(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer> {
  const kept = (request as IncomingMessage & { [KEPT_BODY]?: Buffer })[
    KEPT_BODY
  ];
  if (kept) return kept;
  if (!hasBody(request)) return Buffer.alloc(0);
  return readBody(request, limit);
}

/**
 * A small JSON body (`application/json`): what a host's body parser made of
 * it, or what {@link smallBody} gives, parsed. Rejects with a 415 for another
 * type and a 400 for text that is not JSON.
 */
export async function smallJsonBody(
  request: IncomingMessage & { body?: unknown },
  limit: number,
): Promise<unknown> {
  if (request.body !== undefined && !Buffer.isBuffer(request.body))
    return request.body;
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim();
  if (type.toLowerCase() !== 'application/json')
    throw new RequestBodyException(
      415,
      'Send the body as JSON (Content-Type: application/json)',
    );
  try {
    return JSON.parse((await smallBody(request, limit)).toString('utf8'));
  } catch (error) {
    if (error instanceof RequestBodyException) throw error;
    throw new RequestBodyException(400, 'The body is not valid JSON');
  }
}
