import {
  Controller,
  Get,
  Header,
  Headers,
  HttpException,
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
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import {
  ApiErrorResponse,
  NO_STORE_HEADER,
  RATE_LIMIT_HEADERS,
  RETRY_AFTER_HEADER,
} from '../openapi/api-responses.js';
import { tooManyRequests } from '../rate-limit/rate-limit.constants.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { RedisUnavailableError } from '../redis/redis-unavailable.error.js';
import { LOGIN_SECRET_HEADER } from './auth.constants.js';
import { CreateTokenResponseDto } from './dto/create-token-response.dto.js';
import {
  LOGIN_STATUS_EXAMPLES,
  LoginStatusDto,
} from './dto/login-status.dto.js';
import { TelegramUserDto } from './dto/telegram-user.dto.js';
import {
  ACCESS_TOKEN_REQUIRED,
  type AuthenticatedRequest,
  JwtAuthGuard,
} from './jwt-auth.guard.js';
import { LoginTokenService } from './login-token.service.js';
import { LoginService } from './login.service.js';
import type { TelegramUser } from './interfaces/index.js';

/** A wrong secret and an unknown token get this same answer. */
const UNKNOWN_LOGIN = 'Unknown login';

/** What the limited routes' successes carry: their own @Header, and the limit's headers. */
const LIMITED = { ...NO_STORE_HEADER, ...RATE_LIMIT_HEADERS };

const RedisDown = () =>
  ApiErrorResponse(
    'Redis (REDIS_URL) cannot be reached; try again shortly',
    new RedisUnavailableError(),
  );

const TooManyRequests = (description: string) =>
  ApiErrorResponse(
    `${description}; Retry-After says when to try again`,
    // What ThrottlerException answers: a string message, so no `error` field.
    new HttpException(tooManyRequests(42), HttpStatus.TOO_MANY_REQUESTS),
    RETRY_AFTER_HEADER,
  );

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly tokens: LoginTokenService,
    private readonly logins: LoginService,
  ) {}

  @Post('token')
  @RateLimit('tokenCreations')
  @Header('Cache-Control', 'no-store')
  @TooManyRequests(
    'Too many tokens from this address (RATE_LIMIT_TOKEN per RATE_LIMIT_TTL_SECONDS)',
  )
  @RedisDown()
  @ApiOperation({
    summary:
      'Start a login: a single-use token, its QR code and the secret only this browser gets',
  })
  @ApiCreatedResponse({ type: CreateTokenResponseDto, headers: LIMITED })
  createToken(@Req() request: Request): Promise<CreateTokenResponseDto> {
    return this.tokens.issue({
      userAgent: request.headers['user-agent'],
      ip: request.ip,
    });
  }

  @Get('poll/:token')
  @RateLimit('polls')
  @Header('Cache-Control', 'no-store')
  @TooManyRequests(
    'Too many polls from this address (RATE_LIMIT_POLL per RATE_LIMIT_TTL_SECONDS)',
  )
  @RedisDown()
  @ApiOperation({
    summary: 'The login status, for browsers that cannot keep a socket open',
    description:
      'The authenticated result (user and access token) is handed out once; the token is unknown afterwards.',
  })
  @ApiParam({ name: 'token', description: 'The token from POST /auth/token' })
  // Named as @Headers reads it, so that the two make one parameter, not two.
  @ApiHeader({
    name: LOGIN_SECRET_HEADER,
    required: true,
    description: 'The secret from POST /auth/token',
  })
  @ApiOkResponse({
    type: LoginStatusDto,
    headers: LIMITED,
    examples: LOGIN_STATUS_EXAMPLES,
  })
  @ApiErrorResponse(
    'Unknown token or wrong secret (the two are not told apart)',
    new NotFoundException(UNKNOWN_LOGIN),
    RATE_LIMIT_HEADERS,
  )
  async poll(
    @Param('token') token: string,
    @Headers(LOGIN_SECRET_HEADER) secret?: string,
  ): Promise<LoginStatusDto> {
    const login = await this.logins.authorize(token, secret);
    const status = login && (await this.logins.statusOf(login.token));
    if (!status) throw new NotFoundException(UNKNOWN_LOGIN);
    return status;
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The Telegram user of an access token' })
  @ApiOkResponse({ type: TelegramUserDto, headers: NO_STORE_HEADER })
  @ApiErrorResponse(
    'Missing, bad or expired access token',
    new UnauthorizedException(ACCESS_TOKEN_REQUIRED),
  )
  me(@Req() request: AuthenticatedRequest): TelegramUser {
    return request.user;
  }
}
