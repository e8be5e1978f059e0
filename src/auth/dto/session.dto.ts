import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  @ApiProperty({
    description:
      'The session id, as access tokens carry it (`sid`); for `DELETE /auth/sessions/:sid`',
    example: 'Xq3v9Tz2bWcR1nP0aLk8sA',
  })
  sid!: string;

  @ApiProperty({
    description:
      'The site logged in to: the OpenID client, or this service (`APP_NAME`)',
    example: 'Grafana',
  })
  site!: string;

  @ApiProperty({
    description: 'The browser, as its User-Agent names it; null when unknown',
    example: 'Chrome 120',
    type: String,
    nullable: true,
  })
  browser!: string | null;

  @ApiProperty({
    description: 'The operating system; null when unknown',
    example: 'Windows 10',
    type: String,
    nullable: true,
  })
  os!: string | null;

  @ApiProperty({
    description: 'The IP address the login came from; null when unknown',
    example: '203.0.113.7',
    type: String,
    nullable: true,
  })
  ip!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-12-02T09:30:00.000Z' })
  createdAt!: string;

  @ApiProperty({
    description:
      'When a token of the session was last refreshed or checked (to within a few seconds)',
    format: 'date-time',
    example: '2026-12-02T10:05:12.000Z',
  })
  lastUsedAt!: string;

  @ApiProperty({
    description:
      'When the session ends by itself, however often it is refreshed (`SESSION_TTL_SECONDS`)',
    format: 'date-time',
    example: '2026-12-16T09:30:00.000Z',
  })
  expiresAt!: string;

  @ApiProperty({
    description: 'The session of the access token that asked',
    example: true,
  })
  current!: boolean;
}

export class SessionListDto {
  @ApiProperty({
    type: [SessionDto],
    description: 'The sessions that go on, newest first',
  })
  sessions!: SessionDto[];
}
