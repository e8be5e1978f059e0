import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class CreateTokenResponseDto {
  @ApiProperty({
    description:
      'Single-use login token, 32 random bytes in base64url. It is printed in the QR code, so treat it as public.',
    example: 'q3v8wXc2nN1YyF0k9pQzR7tLmA4sB6dE8gH1jK3lM5o',
    pattern: '^[A-Za-z0-9_-]{43}$',
  })
  token!: string;

  @ApiProperty({
    description:
      'Private proof that you are the browser that asked for this token. Send it as the `X-Login-Secret` header when polling and as `auth.secret` when connecting the socket. Never show it.',
    example: 'Zx0c9v8b7n6m5l4k3j2h1g0f9d8s7a6p5o4i3u2y1t0',
  })
  secret!: string;

  @ApiProperty({
    description:
      'Link that opens the bot with this token. In demo mode (no bot token) it is `https://demo.invalid/?start=<token>`, which opens nothing on a phone; `npm run simulate` takes it.',
    example:
      'https://t.me/my_login_bot?start=q3v8wXc2nN1YyF0k9pQzR7tLmA4sB6dE8gH1jK3lM5o',
  })
  deepLink!: string;

  @ApiProperty({
    description: 'QR code of `deepLink` as an SVG data URL',
    example: 'data:image/svg+xml;base64,PHN2ZyB4bWxucz0i...',
  })
  qr!: string;

  @ApiProperty({
    description: 'When the token stops working (ISO 8601)',
    example: '2026-01-01T12:05:00.000Z',
  })
  expiresAt!: string;

  @ApiProperty({ description: 'Seconds until `expiresAt`', example: 300 })
  expiresIn!: number;

  @ApiPropertyOptional({
    description:
      'Only with LOGIN_CONFIRMATION=code: two digits the page shows; the person picks the same number among three in Telegram',
    example: '47',
    pattern: '^[0-9]{2}$',
  })
  matchCode?: string;

  @ApiPropertyOptional({
    description:
      "Only in demo mode (no bot token): `true`. No bot answers the deep link; complete the login with `npm run simulate -- '<deepLink>'`. Absent with a real bot.",
    type: Boolean,
    example: true,
  })
  demo?: true;
}
