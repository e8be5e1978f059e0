import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import {
  closeAfterAnswer,
  hasBody,
  keepBody,
  readBody,
  RequestBodyException,
} from '../../http/request-body.js';

/**
 * The body any route but the webhook accepts. None of them reads one; a
 * client library that always sends something small ({}, null) still works,
 * and reading this much costs nothing.
 */
export const NO_BODY_LIMIT = 1024;

/**
 * How long a client has to send a whole request, headers and body. Telegram
 * and browsers send theirs in milliseconds; Node's default (300 s) let 200
 * slow bodies hold their memory and sockets for five minutes. Once a request
 * has arrived its answer may take as long as it needs: Socket.IO's
 * long-polling GETs wait up to its ping interval (25 s) for one.
 */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sets the request and headers timeouts of a server that has not started
 * listening. Node enforces them every `connectionsCheckingInterval` (30 s by
 * default: a 10 s timeout would bite after up to 40 s), an option of
 * http.createServer, which Nest calls for us; Node reads it off the server
 * when it starts listening, so it is set here as a property too (the request
 * timeout test fails if that ever stops working).
 */
export function applyRequestTimeout(server: Server, timeoutMs: number): void {
  server.requestTimeout = timeoutMs;
  server.headersTimeout = timeoutMs;
  Object.assign(server, {
    connectionsCheckingInterval: Math.min(1_000, Math.ceil(timeoutMs / 4)),
  });
}

/**
 * Every request but a POST to one of `bodyPaths` may carry at most
 * {@link NO_BODY_LIMIT} bytes: a larger Content-Length is answered 413 at
 * once, unread, and a chunked body is cut off past the limit. What a route
 * with a body reads, and how much, is its own business (the webhook reads
 * its body after checking the secret).
 */
export function limitUnexpectedBodies(bodyPaths: readonly string[]) {
  const exempt = new Set(bodyPaths);
  return (request: Request, response: Response, next: NextFunction): void => {
    if (
      !hasBody(request) ||
      (request.method === 'POST' && exempt.has(request.path))
    ) {
      next();
      return;
    }
    readBody(request, NO_BODY_LIMIT).then(
      (body) => {
        // A route that takes a small form (the OpenID interaction's complete) reads it from here.
        keepBody(request, body);
        next();
      },
      (error: unknown) => {
        if (response.headersSent) return;
        const exception =
          error instanceof RequestBodyException
            ? error
            : new RequestBodyException(400, 'Request body incomplete');
        closeAfterAnswer(request, response);
        response.status(exception.getStatus()).json(exception.getResponse());
      },
    );
  };
}
