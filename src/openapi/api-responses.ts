import { HttpException } from '@nestjs/common';
import { ApiResponse, type HeadersObject } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

/** Set by the /auth routes on their successes (`@Header`); the service sets it on their errors too. */
export const NO_STORE_HEADER: HeadersObject = {
  'Cache-Control': {
    description:
      '`no-store`: a token, a secret or an access token must never sit in a cache',
    schema: { type: 'string', example: 'no-store' },
  },
};

/** What @nestjs/throttler sends with every answer of a limited route that the limit let through. */
export const RATE_LIMIT_HEADERS: HeadersObject = {
  'X-RateLimit-Limit': {
    description: 'Requests this address may make per window',
    schema: { type: 'integer', example: 20 },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current window',
    schema: { type: 'integer', example: 19 },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the current window ends',
    schema: { type: 'integer', example: 60 },
  },
};

/** The only header @nestjs/throttler sends with its 429. */
export const RETRY_AFTER_HEADER: HeadersObject = {
  'Retry-After': {
    description: 'Seconds until this address may try again',
    schema: { type: 'integer', example: 42 },
  },
};

/**
 * An error answer with the {@link ErrorResponseDto} body. `answer` is the
 * exception the route throws (its body becomes the example, so the two cannot
 * drift apart) or, for errors raised outside Nest, the body itself.
 */
export function ApiErrorResponse(
  description: string,
  answer: HttpException | ErrorResponseDto,
  headers?: HeadersObject,
) {
  const body = answer instanceof HttpException ? bodyOf(answer) : answer;
  return ApiResponse({
    status: body.statusCode,
    description,
    type: ErrorResponseDto,
    example: body,
    headers,
  });
}

/** What Nest's exception filter answers for `exception`. */
function bodyOf(exception: HttpException): ErrorResponseDto {
  const response = exception.getResponse();
  return typeof response === 'string'
    ? { statusCode: exception.getStatus(), message: response }
    : (response as ErrorResponseDto);
}
