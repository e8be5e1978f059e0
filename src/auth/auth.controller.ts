import {
  Controller,
  Get,
  Header,
  Headers,
  NotFoundException,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { LOGIN_SECRET_HEADER } from './auth.constants.js';
import { CreateTokenResponseDto } from './dto/create-token-response.dto.js';
import { LoginStatusDto } from './dto/login-status.dto.js';
import { TelegramUserDto } from './dto/telegram-user.dto.js';
import { type AuthenticatedRequest, JwtAuthGuard } from './jwt-auth.guard.js';
import { LoginTokenService } from './login-token.service.js';
import { LoginService } from './login.service.js';
import type { TelegramUser } from './interfaces/index.js';

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
  @ApiTooManyRequestsResponse({
    description:
      'Too many tokens from this address (RATE_LIMIT_TOKEN per RATE_LIMIT_TTL_SECONDS); see Retry-After',
  })
  @ApiServiceUnavailableResponse({
    description: 'Redis (REDIS_URL) cannot be reached; try again shortly',
  })
  @ApiOperation({
    summary:
      'Start a login: a single-use token, its QR code and the secret only this browser gets',
  })
  @ApiCreatedResponse({ type: CreateTokenResponseDto })
  createToken(@Req() request: Request): Promise<CreateTokenResponseDto> {
    return this.tokens.issue({
      userAgent: request.headers['user-agent'],
      ip: request.ip,
    });
  }

  @Get('poll/:token')
  @RateLimit('polls')
  @Header('Cache-Control', 'no-store')
  @ApiTooManyRequestsResponse({
    description:
      'Too many polls from this address (RATE_LIMIT_POLL per RATE_LIMIT_TTL_SECONDS); see Retry-After',
  })
  @ApiServiceUnavailableResponse({
    description: 'Redis (REDIS_URL) cannot be reached; try again shortly',
  })
  @ApiOperation({
    summary: 'The login status, for browsers that cannot keep a socket open',
    description:
      'The authenticated result (user and access token) is handed out once; the token is unknown afterwards.',
  })
  @ApiParam({ name: 'token', description: 'The token from POST /auth/token' })
  @ApiHeader({
    name: 'X-Login-Secret',
    required: true,
    description: 'The secret from POST /auth/token',
  })
  @ApiOkResponse({ type: LoginStatusDto })
  @ApiNotFoundResponse({
    description: 'Unknown token or wrong secret (the two are not told apart)',
  })
  async poll(
    @Param('token') token: string,
    @Headers(LOGIN_SECRET_HEADER) secret?: string,
  ): Promise<LoginStatusDto> {
    const login = await this.logins.authorize(token, secret);
    const status = login && (await this.logins.statusOf(login.token));
    if (!status) throw new NotFoundException('Unknown login');
    return status;
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The Telegram user of an access token' })
  @ApiOkResponse({ type: TelegramUserDto })
  @ApiUnauthorizedResponse({
    description: 'Missing, bad or expired access token',
  })
  me(@Req() request: AuthenticatedRequest): TelegramUser {
    return request.user;
  }
}
