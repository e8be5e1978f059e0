import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type HeadersObject,
  type OpenAPIObject,
  type OperationObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { createRequire } from 'node:module';
import { NO_STORE_HEADER } from '../../openapi/api-responses.js';

/** The package's own version, read at start-up: beside src/ and dist/ alike, package.json is two levels up from app/. */
const { version } = createRequire(import.meta.url)('../../../package.json') as {
  version: string;
};

/** Set on every answer by the request logging (useStructuredLogs), which no route's decorators know of. */
const REQUEST_ID_HEADER: HeadersObject = {
  'X-Request-Id': {
    description:
      "The request's id on every log line about it: the proxy's X-Request-Id when it looks like one, else a UUID",
    schema: { type: 'string', example: '0f8c2c4e-5d7b-4a57-9a43-3c1f2a9e6b10' },
  },
};

const METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

/** Swagger UI at /docs, the OpenAPI JSON at /docs-json. */
export function setUpApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Telegram QR Auth')
    .setDescription(
      'Log in to a website with Telegram by scanning a QR code. The Socket.IO namespace `/auth` (events: `status`) is described in the README.',
    )
    .setVersion(version)
    .addBearerAuth()
    .build();
  SwaggerModule.setup(
    'docs',
    app,
    () => withServiceHeaders(SwaggerModule.createDocument(app, config)),
    { jsonDocumentUrl: 'docs-json' },
  );
}

/**
 * Adds the headers this service's middleware puts on answers, whatever the
 * route: X-Request-Id on every one, and `Cache-Control: no-store` on every
 * /auth one, errors included (applyHttpSecurity), unless the route says otherwise.
 */
function withServiceHeaders(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const headers = path.startsWith('/auth/')
      ? { ...NO_STORE_HEADER, ...REQUEST_ID_HEADER }
      : REQUEST_ID_HEADER;
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      for (const response of Object.values(operation?.responses ?? {})) {
        if (!response || '$ref' in response) continue;
        // A route that documents its own Cache-Control (a photo's) keeps it.
        response.headers = { ...headers, ...response.headers };
      }
    }
  }
  return document;
}
