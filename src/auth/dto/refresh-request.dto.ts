import { ApiProperty } from '@nestjs/swagger';

export class RefreshRequestDto {
  @ApiProperty({
    description:
      'The refresh token of the login result, or of the last refresh. Each one works once.',
    example: 'Xq3v9Tz2bWcR1nP0aLk8sA.0.mH6yZ...',
  })
  refreshToken!: string;
}
