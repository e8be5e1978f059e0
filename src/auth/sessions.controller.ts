import {
  BadRequestException,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Post,
  Req,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { RequestBodyException, smallJsonBody } from '../http/request-body.js';
import { ApiErrorResponse, NO_STORE_HEADER } from '../openapi/api-responses.js';
import { RedisUnavailableError } from '../redis/redis-unavailable.error.js';
import type { SessionInfo } from '../sessions/interfaces/index.js';
import { SessionService } from '../sessions/session.service.js';
import { RefreshRequestDto } from './dto/refresh-request.dto.js';
import { SessionTokensDto } from './dto/session-tokens.dto.js';
import { type SessionDto, SessionListDto } from './dto/session.dto.js';
import {
  ACCESS_TOKEN_REQUIRED,
  type AuthenticatedRequest,
  JwtAuthGuard,
} from './jwt-auth.guard.js';

/** A refresh request is a token of under a hundred characters in a small JSON object. */
const REFRESH_BODY_LIMIT = 1024;

const REFRESH_REFUSED = 'The refresh token is not valid, spent or expired';
const REFRESH_TOKEN_REQUIRED =
  'The body must be a JSON object with refreshToken, a string';
/** Another person's session and one that does not exist get the same answer. */
const UNKNOWN_SESSION = 'Unknown session';

const RedisDown = () =>
  ApiErrorResponse(
    'Redis (REDIS_URL) cannot be reached; try again shortly',
    new RedisUnavailableError(),
  );

const Unauthorized = () =>
  ApiErrorResponse(
    'Missing, bad or expired access token, or its session has ended',
    new UnauthorizedException(ACCESS_TOKEN_REQUIRED),
  );

/** Refresh, log out, and the caller's own sessions. */
@ApiTags('sessions')
@Controller('auth')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'The next access and refresh token of a session',
    description:
      'The refresh token sent is spent. Sending a spent one again ends the session (its tokens may have been copied).',
  })
  @ApiBody({ type: RefreshRequestDto })
  @ApiOkResponse({ type: SessionTokensDto, headers: NO_STORE_HEADER })
  @ApiErrorResponse(
    'No JSON object with a string refreshToken',
    new BadRequestException(REFRESH_TOKEN_REQUIRED),
  )
  @ApiErrorResponse(
    'Unknown, spent or expired refresh token, or its session has ended',
    new UnauthorizedException(REFRESH_REFUSED),
  )
  @RedisDown()
  async refresh(@Req() request: Request): Promise<SessionTokensDto> {
    const body = await smallJsonBody(request, REFRESH_BODY_LIMIT).catch(
      (error: unknown) => {
        if (error instanceof RequestBodyException && error.getStatus() === 400)
          throw new BadRequestException(REFRESH_TOKEN_REQUIRED);
        throw error;
      },
    );
    const refreshToken =
      body && typeof body === 'object'
        ? (body as Record<string, unknown>).refreshToken
        : undefined;
    if (typeof refreshToken !== 'string')
      throw new BadRequestException(REFRESH_TOKEN_REQUIRED);
    const tokens = await this.sessions.refresh(refreshToken);
    if (!tokens) throw new UnauthorizedException(REFRESH_REFUSED);
    return tokens;
  }

  @Post('logout')
  @UseGuards(JwtAuthGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'End the session of this access token',
    description:
      'Its access and refresh tokens stop working, its page is told over the socket, and the sites it logged in to through OpenID Connect are told by back-channel logout.',
  })
  @ApiNoContentResponse({ description: 'The session has ended' })
  @Unauthorized()
  @RedisDown()
  async logout(@Req() request: AuthenticatedRequest): Promise<void> {
    await this.sessions.end(request.session.sid, 'logged-out');
  }

  @Get('sessions')
  @UseGuards(JwtAuthGuard)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      "The caller's sessions: every browser logged in with their Telegram account",
  })
  @ApiOkResponse({ type: SessionListDto, headers: NO_STORE_HEADER })
  @Unauthorized()
  @RedisDown()
  async list(@Req() request: AuthenticatedRequest): Promise<SessionListDto> {
    const sessions = await this.sessions.list(request.user.id);
    return {
      sessions: sessions.map((session) =>
        sessionDtoOf(session, request.session.sid),
      ),
    };
  }

  @Delete('sessions/:sid')
  @UseGuards(JwtAuthGuard)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "End one of the caller's own sessions (the current one included)",
  })
  @ApiParam({ name: 'sid', description: 'A `sid` from GET /auth/sessions' })
  @ApiNoContentResponse({ description: 'The session has ended' })
  @ApiErrorResponse(
    "No such session of the caller's (another person's is answered alike)",
    new NotFoundException(UNKNOWN_SESSION),
  )
  @Unauthorized()
  @RedisDown()
  async end(
    @Req() request: AuthenticatedRequest,
    @Param('sid') sid: string,
  ): Promise<void> {
    const own = sid === request.session.sid;
    const ended = await this.sessions.endOwn(
      request.user.id,
      sid,
      own ? 'logged-out' : 'ended-from-another-session',
    );
    if (!ended) throw new NotFoundException(UNKNOWN_SESSION);
  }
}

function sessionDtoOf(session: SessionInfo, currentSid: string): SessionDto {
  return {
    sid: session.sid,
    site: session.site,
    browser: session.browser ?? null,
    os: session.os ?? null,
    ip: session.ip ?? null,
    createdAt: new Date(session.createdAt).toISOString(),
    lastUsedAt: new Date(session.lastUsedAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
    current: session.sid === currentSid,
  };
}
