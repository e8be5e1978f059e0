import { describe, expect, it } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import {
  APP_CONTENT_SECURITY_POLICY,
  headersWorkedOutOnce,
} from './http-security.js';

function responseAfter(
  middleware: (req: Request, res: Response, next: NextFunction) => void,
) {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  response.setHeader('X-Powered-By', 'Express');
  let nextCalls = 0;
  middleware(
    request as Request,
    response as unknown as Response,
    () => nextCalls++,
  );
  return { headers: response.getHeaders(), nextCalls };
}

describe('headersWorkedOutOnce', () => {
  const options = {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: APP_CONTENT_SECURITY_POLICY,
    },
  };

  it('sets and removes exactly what helmet itself does, every time', () => {
    const once = headersWorkedOutOnce(helmet(options));
    const expected = responseAfter(helmet(options));
    expect(expected.headers['content-security-policy']).toContain(
      "frame-ancestors 'none'",
    );
    expect(expected.headers['x-powered-by']).toBeUndefined();
    for (let round = 0; round < 2; round++)
      expect(responseAfter(once)).toEqual(expected);
  });

  it('refuses at start-up a middleware whose headers depend on the request', () => {
    expect(() =>
      headersWorkedOutOnce((request, response, next) => {
        response.setHeader('X-Path', request.path);
        next();
      }),
    ).toThrow('reads the request (path)');
  });

  it('refuses one that does not go on at once', () => {
    expect(() => headersWorkedOutOnce(() => undefined)).toThrow(
      'did not call next at once',
    );
  });
});
