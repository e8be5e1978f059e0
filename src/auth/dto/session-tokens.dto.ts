import { ApiProperty } from '@nestjs/swagger';

export class SessionTokensDto {
  @ApiProperty({
    description:
      'A new access token of the same session, for `Authorization: Bearer`; lives `JWT_TTL_SECONDS` (10 minutes by default).',
    example: 'eyJhbGciOiJFUzI1NiIs...',
  })
  accessToken!: string;

  @ApiProperty({
    description:
      'The next refresh token: the one just sent is spent, and presenting it again ends the session.',
    example: 'Xq3v9Tz2bWcR1nP0aLk8sA.1.Pq0rT...',
  })
  refreshToken!: string;
}
